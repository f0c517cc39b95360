//! TC301 table-name-case: table names follow the naming convention (snake_case).

use crate::model::Severity;
use crate::rules::convention::naming;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC301",
    name: "table-name-case",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Warning,
    enabled: true,
    summary: "A table name does not follow the naming convention",
    doc: RuleDoc {
        what:
            "Reports table names that `createTable` and `renameTable` define and that do not match \
               `pattern` (snake_case by default). Names with `${properties}` are not checked.",
        why: "One spelling for every table keeps SQL free of quoting (mixed case needs quotes on \
              PostgreSQL and Oracle fold it), makes names predictable in queries and reviews, and \
              matches what ORMs generate. The quick fix renames to snake_case; use it only in a \
              changeset that has not run yet.",
        bad: r#"<createTable tableName="PersonEmail">...</createTable>"#,
        good: r#"<createTable tableName="person_email">...</createTable>"#,
    },
    options: &[OptionSpec {
        name: "pattern",
        default: OptDefault::Regex("^[a-z][a-z0-9_]*$"),
        description: "The regular expression every table name must match.",
    }],
    guideline: Some("GL-NAMING-001"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    naming::check_pattern(cx, out, naming::tables(cx));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, check_with, xml, yaml};
    use serde_json::json;

    const XML: &str = r#"<changeSet id="1" author="a">
    <createTable tableName="PersonEmail"><column name="id" type="int"/></createTable>
    <createTable tableName="person"><column name="id" type="int"/></createTable>
    <renameTable oldTableName="x" newTableName="Order-Item"/>
</changeSet>"#;

    #[test]
    fn fires_and_fixes() {
        assert_eq!(
            check(&RULE, &xml(XML)).spans(),
            vec!["PersonEmail", "Order-Item"]
        );
        assert!(assert_fix_removes(&RULE, &xml(XML)).contains(r#"tableName="person_email""#));
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createTable:\n          tableName: MyTable\n          columns:\n            - column:\n                name: id\n                type: int\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["MyTable"]);
        assert!(assert_fix_removes(&RULE, &y).contains("tableName: my_table"));
    }

    #[test]
    fn fixes_json() {
        let json = r#"{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "a", "changes": [{"createTable": {"tableName": "OrderLine", "columns": [{"column": {"name": "id", "type": "int"}}]}}]}}]}"#;
        assert_eq!(check(&RULE, json).spans(), vec!["OrderLine"]);
        assert!(assert_fix_removes(&RULE, json).contains(r#""tableName": "order_line""#));
    }

    #[test]
    fn silent_with_other_pattern_and_properties() {
        assert_eq!(
            check_with(&RULE, &xml(XML), json!({"pattern": ".*"})).count(),
            0
        );
        let t = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="${prefix}Person"><column name="id" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &t).count(), 0);
    }
}
