//! MS219 add-check-existing: `addCheckConstraint` on an existing table.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS219",
    name: "add-check-existing",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A check constraint is added to an existing table",
    doc: RuleDoc {
        what: "Reports `addCheckConstraint` on a table this file does not create.",
        why: "Adding a check constraint scans every row to validate it while holding a lock that \
              blocks writes (ACCESS EXCLUSIVE on PostgreSQL), and fails if one row breaks it. On \
              PostgreSQL add it `NOT VALID` (new rows are checked at once, the lock is brief) and run \
              `VALIDATE CONSTRAINT` in a later changeset, which scans without blocking writes.",
        bad: r#"<changeSet id="26" author="ana">
    <addCheckConstraint tableName="orders" constraintName="ck_orders_total" constraintBody="total &gt;= 0"/>
</changeSet>"#,
        good: r#"<changeSet id="26" author="ana">
    <sql>ALTER TABLE orders ADD CONSTRAINT ck_orders_total CHECK (total &gt;= 0) NOT VALID</sql>
</changeSet>
<changeSet id="27" author="ana">
    <sql>ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_total</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-003"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    super::common::constraint_on_existing(
        cx,
        out,
        "addCheckConstraint",
        "tableName",
        "every row is validated while writes are blocked; add it NOT VALID and validate later",
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_existing_and_not_on_new() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addCheckConstraint tableName="orders" constraintName="ck" constraintBody="total &gt;= 0"/>
</changeSet>
<changeSet id="2" author="a">
    <createTable tableName="n"><column name="p" type="int"/></createTable>
    <addCheckConstraint tableName="n" constraintName="ck2" constraintBody="p &gt; 0"/>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["addCheckConstraint"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addCheckConstraint:\n          tableName: t\n          constraintName: ck\n          constraintBody: c > 0\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }
}
