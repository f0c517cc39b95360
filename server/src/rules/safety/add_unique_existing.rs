//! MS206 add-unique-existing: `addUniqueConstraint` on an existing table.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS206",
    name: "add-unique-existing",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A unique constraint is added to an existing table",
    doc: RuleDoc {
        what: "Reports `addUniqueConstraint` on a table this file does not create (`tableName`).",
        why: "A unique constraint builds its index while holding a lock that blocks writes for the whole build, and fails if duplicates exist. On PostgreSQL build the index first with CREATE UNIQUE INDEX CONCURRENTLY (runInTransaction=false), then ADD CONSTRAINT ... UNIQUE USING INDEX, which is instant.",
        bad: r#"<changeSet id="12" author="ana">
    <addUniqueConstraint tableName="person" columnNames="email" constraintName="uq_person_email"/>
</changeSet>"#,
        good: r#"<changeSet id="12" author="ana" runInTransaction="false">
    <sql>CREATE UNIQUE INDEX CONCURRENTLY uq_person_email ON person (email)</sql>
</changeSet>
<changeSet id="13" author="ana">
    <sql>ALTER TABLE person ADD CONSTRAINT uq_person_email UNIQUE USING INDEX uq_person_email</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-003"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    super::common::constraint_on_existing(cx, out, "addUniqueConstraint", "tableName", "its index is built while writes are blocked, and duplicates make it fail; build a unique index concurrently first");
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_existing_and_not_on_new() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addUniqueConstraint tableName="person" columnNames="email"/>
</changeSet>
<changeSet id="2" author="a">
    <createTable tableName="n"><column name="p" type="int"/></createTable>
    <addUniqueConstraint tableName="n" columnNames="p"/>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["addUniqueConstraint"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addUniqueConstraint:\n          tableName: t\n          columnNames: c\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }
}
