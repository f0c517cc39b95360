//! LB104 ChangesetCommentCheck: every changeset has a comment.

use crate::model::Severity;
use crate::rules::edit::insert_changeset_child;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB104",
    name: "changeset-comment-check",
    liquibase: Some("ChangesetCommentCheck"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: true,
    summary: "A changeset has no comment",
    doc: RuleDoc {
        what:
            "Reports changesets without a `comment` (or with an empty one), at the changeset's id. \
               The quick fix inserts a placeholder comment to fill in.",
        why:
            "A comment says why a change was made; reviewers and whoever reads the history of the \
              database later need it, and Liquibase stores it in DATABASECHANGELOG.",
        bad: r#"<changeSet id="9" author="ana">
    <addColumn tableName="person"><column name="phone" type="varchar(32)"/></addColumn>
</changeSet>"#,
        good: r#"<changeSet id="9" author="ana">
    <comment>Phone number for two-factor login (TICKET-118)</comment>
    <addColumn tableName="person"><column name="phone" type="varchar(32)"/></addColumn>
</changeSet>"#,
    },
    options: &[],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for cs in &cx.changelog.changesets {
        let has = cs
            .comment
            .as_ref()
            .is_some_and(|c| !c.value.trim().is_empty());
        if has {
            continue;
        }
        let fix = if cs.comment.is_none() {
            insert_changeset_child(
                cx,
                cs,
                "comment",
                "TODO: describe this change",
                "Add a comment to the changeset",
            )
        } else {
            None
        };
        out.add(
            cx.anchor(cs),
            format!("changeset {} has no comment", cs.id_str()),
        )
        .fix_opt(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    #[test]
    fn fires_without_comment() {
        let text = xml(
            r#"<changeSet id="1" author="a"><dropTable tableName="t"/></changeSet>
<changeSet id="2" author="a"><comment>why</comment><dropTable tableName="u"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["1"]);
    }

    #[test]
    fn yaml_and_silent() {
        let text = yaml("- changeSet:\n    id: x1\n    author: a\n    changes:\n      - dropTable:\n          tableName: t\n- changeSet:\n    id: x2\n    author: a\n    comment: ok\n    changes:\n      - dropTable:\n          tableName: t\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["x1"]);
    }

    #[test]
    fn fix_in_xml() {
        let text = xml(
            "<changeSet id=\"1\" author=\"a\">\n    <dropTable tableName=\"t\"/>\n</changeSet>",
        );
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(fixed.contains("<changeSet id=\"1\" author=\"a\">\n    <comment>TODO: describe this change</comment>\n    <dropTable"), "{fixed}");
    }

    #[test]
    fn fix_in_xml_without_children() {
        let text = xml("  <changeSet id=\"1\" author=\"a\">\n  </changeSet>");
        assert_fix_removes(&RULE, &text);
    }

    #[test]
    fn fix_in_yaml() {
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - dropTable:\n          tableName: t\n");
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(
            fixed.contains("    comment: \"TODO: describe this change\"\n    id: 1"),
            "{fixed}"
        );
    }

    #[test]
    fn fix_in_json() {
        let text = "{\"databaseChangeLog\": [\n  {\"changeSet\": {\n    \"id\": \"1\",\n    \"author\": \"a\",\n    \"changes\": [{\"dropTable\": {\"tableName\": \"t\"}}]\n  }}\n]}\n";
        let fixed = assert_fix_removes(&RULE, text);
        assert!(
            fixed.contains("\"comment\": \"TODO: describe this change\",\n    \"id\""),
            "{fixed}"
        );
    }

    #[test]
    fn fix_in_formatted_sql() {
        let text = "--liquibase formatted sql\n\n--changeset a:1\ndrop table t;\n";
        let fixed = assert_fix_removes(&RULE, text);
        assert!(
            fixed.contains("--changeset a:1\n--comment: TODO: describe this change\ndrop"),
            "{fixed}"
        );
    }

    #[test]
    fn fix_in_compact_json_and_nested_yaml() {
        let text = "{\"databaseChangeLog\":[{\"changeSet\":{\"id\":\"1\",\"author\":\"a\",\"changes\":[]}}]}\n";
        let fixed = assert_fix_removes(&RULE, text);
        assert!(
            fixed.contains("{\"comment\": \"TODO: describe this change\", \"id\""),
            "{fixed}"
        );
        let text = yaml("  - changeSet:\n      author: a\n      id: 2\n      changes:\n        - dropTable:\n            tableName: t\n");
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(
            fixed.contains("      comment: \"TODO: describe this change\"\n      author: a"),
            "{fixed}"
        );
    }

    #[test]
    fn empty_comment_fires_without_fix() {
        let text = xml(r#"<changeSet id="1" author="a"><comment> </comment></changeSet>"#);
        let out = check(&RULE, &text);
        assert_eq!(out.spans(), vec!["1"]);
        assert!(out.findings.items[0].fixes.is_empty());
    }
}
