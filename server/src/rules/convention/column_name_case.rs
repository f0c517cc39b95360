//! TC302 column-name-case: column names follow the naming convention (snake_case).

use crate::model::Severity;
use crate::rules::convention::naming;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC302",
    name: "column-name-case",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Warning,
    enabled: true,
    summary: "A column name does not follow the naming convention",
    doc: RuleDoc {
        what: "Reports column names that `createTable`, `addColumn` and `renameColumn` define and \
               that do not match `pattern` (snake_case by default).",
        why: "Mixed-case column names must be quoted everywhere on PostgreSQL and Oracle, and a \
              single convention keeps ORM mappings and hand-written SQL in agreement. The quick fix \
              renames to snake_case; use it only in a changeset that has not run yet.",
        bad: r#"<column name="emailAddress" type="varchar(200)"/>"#,
        good: r#"<column name="email_address" type="varchar(200)"/>"#,
    },
    options: &[OptionSpec {
        name: "pattern",
        default: OptDefault::Regex("^[a-z][a-z0-9_]*$"),
        description: "The regular expression every column name must match.",
    }],
    guideline: Some("GL-NAMING-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    naming::check_pattern(cx, out, naming::columns(cx));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    const XML: &str = r#"<changeSet id="1" author="a">
    <createTable tableName="t"><column name="emailAddress" type="int"/><column name="id" type="int"/></createTable>
    <renameColumn tableName="t" oldColumnName="a" newColumnName="NewName"/>
</changeSet>"#;

    #[test]
    fn fires_and_fixes() {
        assert_eq!(
            check(&RULE, &xml(XML)).spans(),
            vec!["emailAddress", "NewName"]
        );
        assert!(assert_fix_removes(&RULE, &xml(XML)).contains(r#"name="email_address""#));
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addColumn:\n          tableName: t\n          columns:\n            - column:\n                name: FirstName\n                type: int\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["FirstName"]);
        assert!(assert_fix_removes(&RULE, &y).contains("name: first_name"));
    }

    #[test]
    fn silent_on_snake_case() {
        let t = xml(
            r#"<changeSet id="1" author="a"><addColumn tableName="T"><column name="first_name" type="int"/></addColumn></changeSet>"#,
        );
        assert_eq!(check(&RULE, &t).count(), 0);
    }
}
