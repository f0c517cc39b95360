//! LB132 SQLServerReservedKeywords: object names are not SQL Server's reserved keywords.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

use super::keywords::sqlserver::SQLSERVER_RESERVED;
use super::keywords::{check_names, OPTIONS};

pub static RULE: Rule = Rule {
    code: "LB132",
    name: "sql-server-reserved-keywords",
    liquibase: Some("SQLServerReservedKeywords"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: false,
    summary: "An object name is a SQL Server reserved keyword",
    doc: RuleDoc {
        what: "Reports each name a change creates or renames to (table, column, index, view, \
               sequence, constraint) that is one of SQL Server's reserved keywords, at the name. Names listed in `allowed` \
               are accepted. Off by default, as in Liquibase.",
        why: "A keyword used as a name must be quoted in every statement that mentions it, and tools \
              that do not quote break on it; a word reserved today or in a later version makes \
              upgrades and hand-written SQL fail.",
        bad: r#"<changeSet id="35" author="ana">
    <createTable tableName="file"><column name="id" type="int"/></createTable>
</changeSet>"#,
        good: r#"<changeSet id="35" author="ana">
    <createTable tableName="file_entry"><column name="id" type="int"/></createTable>
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
        SQLSERVER_RESERVED,
        "SQL Server's reserved keywords",
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
            r#"<changeSet id="1" author="a"><createTable tableName="file"><column name="key" type="int"/><column name="person_id" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["file", "key"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createIndex:\n          tableName: t\n          indexName: key\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["key"]);
    }

    #[test]
    fn silent_on_other_or_allowed_names() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="file"><column name="person_id" type="int"/></createTable><dropTable tableName="key"/></changeSet>"#,
        );
        assert_eq!(
            check_with(&RULE, &text, json!({"allowed": ["file"]})).count(),
            0
        );
    }
}
