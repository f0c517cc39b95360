//! MS207 add-primary-key-existing: `addPrimaryKey` on an existing table.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS207",
    name: "add-primary-key-existing",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A primary key is added to an existing table",
    doc: RuleDoc {
        what: "Reports `addPrimaryKey` on a table this file does not create (`tableName`).",
        why: "Adding a primary key builds a unique index under an exclusive lock and, for nullable columns, also scans the table to set NOT NULL; MySQL rebuilds the table. Reads and writes wait for the whole build. On PostgreSQL build a unique index concurrently first, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX.",
        bad: r#"<changeSet id="14" author="ana">
    <addPrimaryKey tableName="audit_log" columnNames="id" constraintName="pk_audit_log"/>
</changeSet>"#,
        good: r#"<changeSet id="14" author="ana" runInTransaction="false">
    <sql>CREATE UNIQUE INDEX CONCURRENTLY pk_audit_log ON audit_log (id)</sql>
</changeSet>
<changeSet id="15" author="ana">
    <sql>ALTER TABLE audit_log ADD CONSTRAINT pk_audit_log PRIMARY KEY USING INDEX pk_audit_log</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-003"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    super::common::constraint_on_existing(cx, out, "addPrimaryKey", "tableName", "the index is built under an exclusive lock; build a unique index concurrently and attach it");
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_existing_and_not_on_new() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addPrimaryKey tableName="log" columnNames="id"/>
</changeSet>
<changeSet id="2" author="a">
    <createTable tableName="n"><column name="id" type="bigint"/></createTable>
    <addPrimaryKey tableName="n" columnNames="id"/>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["addPrimaryKey"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addPrimaryKey:\n          tableName: t\n          columnNames: id\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }
}
