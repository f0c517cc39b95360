//! MS205 add-foreign-key-existing: `addForeignKeyConstraint` on an existing table.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS205",
    name: "add-foreign-key-existing",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A foreign key is added to an existing table",
    doc: RuleDoc {
        what: "Reports `addForeignKeyConstraint` on a table this file does not create (`baseTableName`).",
        why: "Adding a foreign key locks both tables (PostgreSQL takes SHARE ROW EXCLUSIVE on each, blocking writes) and scans every existing row to validate it; MySQL may rebuild the table. On PostgreSQL add the constraint NOT VALID (only new rows are checked, the lock is brief) and VALIDATE CONSTRAINT in a later changeset, which scans without blocking writes.",
        bad: r#"<changeSet id="10" author="ana">
    <addForeignKeyConstraint baseTableName="orders" baseColumnNames="person_id"
        constraintName="fk_orders_person" referencedTableName="person" referencedColumnNames="id"/>
</changeSet>"#,
        good: r#"<changeSet id="10" author="ana">
    <sql>ALTER TABLE orders ADD CONSTRAINT fk_orders_person FOREIGN KEY (person_id) REFERENCES person (id) NOT VALID</sql>
</changeSet>
<changeSet id="11" author="ana">
    <sql>ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_person</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-003"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    super::common::constraint_on_existing(cx, out, "addForeignKeyConstraint", "baseTableName", "both tables are locked against writes while every row is validated; add it NOT VALID and validate later");
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_existing_and_not_on_new() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addForeignKeyConstraint baseTableName="orders" baseColumnNames="p" constraintName="fk_o_p" referencedTableName="person" referencedColumnNames="id"/>
</changeSet>
<changeSet id="2" author="a">
    <createTable tableName="n"><column name="p" type="int"/></createTable>
    <addForeignKeyConstraint baseTableName="n" baseColumnNames="p" constraintName="fk_n_p" referencedTableName="person" referencedColumnNames="id"/>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["addForeignKeyConstraint"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addForeignKeyConstraint:\n          baseTableName: o\n          baseColumnNames: p\n          referencedTableName: person\n          referencedColumnNames: id\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }
}
