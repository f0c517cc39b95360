//! LB133 SQLServerFutureReservedKeywords: object names are not SQL Server's future reserved keywords.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

use super::keywords::sqlserver::SQLSERVER_FUTURE_RESERVED;
use super::keywords::{check_names, OPTIONS};

pub static RULE: Rule = Rule {
    code: "LB133",
    name: "sql-server-future-reserved-keywords",
    liquibase: Some("SQLServerFutureReservedKeywords"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: false,
    summary: "An object name is a SQL Server future reserved keyword",
    doc: RuleDoc {
        what: "Reports each name a change creates or renames to (table, column, index, view, \
               sequence, constraint) that is one of SQL Server's future reserved keywords, at the name. Names listed in `allowed` \
               are accepted. Off by default, as in Liquibase.",
        why: "A keyword used as a name must be quoted in every statement that mentions it, and tools \
              that do not quote break on it; a word reserved today or in a later version makes \
              upgrades and hand-written SQL fail.",
        bad: r#"<changeSet id="35" author="ana">
    <createTable tableName="data"><column name="id" type="int"/></createTable>
</changeSet>"#,
        good: r#"<changeSet id="35" author="ana">
    <createTable tableName="data_entry"><column name="id" type="int"/></createTable>
</changeSet>"#,
    },
    options: OPTIONS,
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    check_names(
        cx,
        out,
        SQLSERVER_FUTURE_RESERVED,
        "SQL Server's future reserved keywords",
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_with, xml, yaml};
    use serde_json::json;

    #[test]
    fn fires_on_keywords() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="data"><column name="value" type="int"/><column name="person_id" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["data", "value"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createIndex:\n          tableName: t\n          indexName: value\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["value"]);
    }

    #[test]
    fn silent_on_other_or_allowed_names() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="data"><column name="person_id" type="int"/></createTable><dropTable tableName="value"/></changeSet>"#,
        );
        assert_eq!(
            check_with(&RULE, &text, json!({"allowed": ["data"]})).count(),
            0
        );
    }
}
