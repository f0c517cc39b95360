//! LB107 DetectChangeType: flags change types the team forbids.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB107",
    name: "detect-change-type",
    liquibase: Some("DetectChangeType"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: false,
    summary: "A changeset uses a forbidden change type",
    doc: RuleDoc {
        what: "Reports every change whose type is in `change-types` (for example `dropTable, sql`), \
               at the change's name. Off by default: it only makes sense once the list is configured \
               (Liquibase's documentation is inconsistent about its default state).",
        why: "Some teams route certain changes (raw SQL, drops, data loads) through a separate review; \
              this check makes the forbidden types visible where they are written.",
        bad: r#"<!-- lqls.toml: [rules.detect-change-type] change-types = ["sql"] -->
<changeSet id="12" author="ana">
    <sql>update person set vip = true</sql>
</changeSet>"#,
        good: r#"<changeSet id="12" author="ana">
    <update tableName="person"><column name="vip" valueBoolean="true"/></update>
</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "change-types",
        default: OptDefault::List(&[]),
        description: "Change types to report (`dropTable`, `sql`, ...), any case.",
    }],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let forbidden = cx.opt_list("change-types");
    if forbidden.is_empty() {
        return;
    }
    for (_, _, ch) in cx.changes() {
        if forbidden
            .iter()
            .any(|f| f.trim().eq_ignore_ascii_case(&ch.kind.value))
        {
            out.add(
                ch.kind.span,
                format!("change type {} is not allowed", ch.kind.value),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_with, xml, yaml};
    use serde_json::json;

    #[test]
    fn fires_on_configured_types() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>select 1</sql><dropTable tableName="t"/><createTable tableName="u"/></changeSet>"#,
        );
        let out = check_with(&RULE, &text, json!({"change-types": ["SQL", "dropTable"]}));
        assert_eq!(out.spans(), vec!["sql", "dropTable"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - dropTable:\n          tableName: t\n");
        let out = check_with(&RULE, &text, json!({"change-types": "dropTable"}));
        assert_eq!(out.spans(), vec!["dropTable"]);
    }

    #[test]
    fn silent_without_configuration() {
        let text = xml(r#"<changeSet id="1" author="a"><dropTable tableName="t"/></changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
