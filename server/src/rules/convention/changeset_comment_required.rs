//! TC307 changeset-comment-required: every changeset says why it exists.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC307",
    name: "changeset-comment-required",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Information,
    enabled: true,
    summary: "A changeset has no comment",
    doc: RuleDoc {
        what: "Reports changesets without a `comment` (XML `<comment>`, YAML/JSON `comment:`, \
               formatted SQL `--comment:`), or with one shorter than `min-length`. It overlaps \
               Liquibase's ChangesetCommentCheck policy check, which Liquibase ships disabled; this \
               convention is on because the team guideline asks for a comment on every changeset.",
        why: "The comment is stored in DATABASECHANGELOG and shown by `liquibase history`: it is how \
              someone reading the schema's history years later learns why a change was made (a \
              ticket, a reason). The change itself only says what.",
        bad: r#"<changeSet id="25" author="ana">
    <addColumn tableName="person"><column name="email" type="varchar(200)"/></addColumn>
</changeSet>"#,
        good: r#"<changeSet id="25" author="ana">
    <comment>PROJ-142: store the contact e-mail for invoices</comment>
    <addColumn tableName="person"><column name="email" type="varchar(200)"/></addColumn>
</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "min-length",
        default: OptDefault::Int(1),
        description: "The shortest acceptable comment, in characters (after trimming).",
    }],
    guideline: Some("GL-CHANGESET-003"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let min = usize::try_from(cx.opt_int("min-length"))
        .unwrap_or(0)
        .max(1);
    for cs in &cx.changelog.changesets {
        match &cs.comment {
            Some(c) if c.value.trim().chars().count() >= min => {}
            Some(c) => {
                let span = if c.span.is_empty() { cs.header } else { c.span };
                out.add(
                    span,
                    format!("changeset comment is shorter than {min} characters"),
                );
            }
            None => {
                let fix = crate::rules::edit::insert_changeset_child(
                    cx,
                    cs,
                    "comment",
                    "TODO: describe why this change is needed",
                    "Add a comment to the changeset",
                );
                out.add(
                    cx.anchor(cs),
                    "changeset has no comment saying why it is needed",
                )
                .fix_opt(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_with, xml, yaml};
    use serde_json::json;

    #[test]
    fn fires_without_comment() {
        let text = xml(
            r#"<changeSet id="1" author="a"><tagDatabase tag="a"/></changeSet>
<changeSet id="2" author="a"><comment>why</comment><tagDatabase tag="b"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["1"]);
        assert_eq!(
            check_with(&RULE, &text, json!({"min-length": 10})).count(),
            2
        );
        let y = yaml("- changeSet:\n    id: 7\n    author: a\n    changes:\n      - tagDatabase:\n          tag: x\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["7"]);
    }

    #[test]
    fn formatted_sql() {
        let sql = "--liquibase formatted sql\n--changeset a:1\n--comment: PROJ-1 why\nSELECT 1;\n--changeset a:2\nSELECT 2;\n";
        assert_eq!(check(&RULE, sql).count(), 1);
    }

    #[test]
    fn silent_with_comment() {
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    comment: PROJ-1 seed\n    changes:\n      - tagDatabase:\n          tag: x\n");
        assert_eq!(check(&RULE, &y).count(), 0);
    }
}
