//! TC305 changeset-id-pattern: changeset ids follow the team's id format.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC305",
    name: "changeset-id-pattern",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Warning,
    enabled: false,
    summary: "A changeset id does not match the id format",
    doc: RuleDoc {
        what: "Reports changeset ids that do not match `pattern`. Off by default, because id formats \
               differ between teams: the default pattern is a date and a sequence number \
               (`20240131-1`); set your own and enable the rule.",
        why: "A predictable id format makes changesets sortable and searchable and keeps two \
              developers from choosing the same id for different changesets (Liquibase identifies a \
              changeset by id, author and file). Changing the id of a changeset that already ran \
              makes Liquibase run it again, so there is no quick fix.",
        bad: r#"<changeSet id="add-email" author="ana">...</changeSet>"#,
        good: r#"<changeSet id="20240131-1" author="ana">...</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "pattern",
        default: OptDefault::Regex("^[0-9]{8}-[0-9]+$"),
        description: "The regular expression every changeset id must match.",
    }],
    guideline: Some("GL-CHANGESET-001"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let Some(re) = cx.opt_regex("pattern") else {
        return;
    };
    for cs in &cx.changelog.changesets {
        let Some(id) = &cs.id else {
            continue;
        };
        if id.value.contains("${") || re.is_match(&id.value) {
            continue;
        }
        out.add(
            id.span,
            format!("changeset id {} does not match {}", id.value, re.as_str()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_with, xml, yaml};
    use serde_json::json;

    #[test]
    fn fires_on_other_ids() {
        let text = xml(
            r#"<changeSet id="add-email" author="a"><tagDatabase tag="x"/></changeSet>
<changeSet id="20240131-2" author="a"><tagDatabase tag="y"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["add-email"]);
        let y = yaml("- changeSet:\n    id: one\n    author: a\n    changes:\n      - tagDatabase:\n          tag: x\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["one"]);
        assert_eq!(
            check_with(&RULE, &y, json!({"pattern": "^[a-z]+$"})).count(),
            0
        );
    }
}
