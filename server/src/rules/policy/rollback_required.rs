//! LB190 RollbackRequired: a changeset without an explicit rollback.

use crate::model::{Format, Severity};
use crate::rules::{rollback, Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB190",
    name: "rollback-required",
    liquibase: Some("RollbackRequired"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: true,
    summary: "A changeset has no explicit rollback",
    doc: RuleDoc {
        what: "Reports changesets without a `rollback` block. Like Liquibase's check it skips \
               unmodeled changesets (formatted SQL, `sql` and `sqlFile` changes). When every change \
               determines its own inverse, the quick fix writes the rollback out. Where MS290 or MS291 \
               reports the same changeset, only theirs is shown: they say whether Liquibase could roll \
               it back by itself.",
        why: "A rollback written next to the change is reviewed with it and can be tested with \
              `update-testing-rollback`; without one, recovering from a bad deployment means writing a \
              new changeset under pressure.",
        bad: r#"<changeSet id="7" author="ana">
    <createTable tableName="invoice">
        <column name="id" type="bigint"/>
    </createTable>
</changeSet>"#,
        good: r#"<changeSet id="7" author="ana">
    <createTable tableName="invoice">
        <column name="id" type="bigint"/>
    </createTable>
    <rollback>
        <dropTable tableName="invoice"/>
    </rollback>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-ROLLBACK-001"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    if cx.changelog.format == Format::Sql {
        return;
    }
    for cs in &cx.changelog.changesets {
        let unmodeled = cs
            .changes
            .iter()
            .any(|c| matches!(c.kind.value.as_str(), "sql" | "sqlFile"));
        if !cs.rollbacks.is_empty() || cs.changes.is_empty() || unmodeled {
            continue;
        }
        out.add(cx.anchor(cs), "this changeset has no rollback")
            .fix_opt(rollback::fix(cx.text, cx.changelog.format, cs));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    #[test]
    fn fires_without_rollback_and_fixes() {
        let text = xml(r#"    <changeSet id="1" author="a">
        <createTable tableName="t"><column name="id" type="int"/></createTable>
    </changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["1"]);
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(fixed.contains("<dropTable tableName=\"t\"/>"), "{fixed}");
    }

    #[test]
    fn yaml_fix() {
        let text = yaml("- changeSet:\n    id: x\n    author: a\n    changes:\n      - renameTable:\n          oldTableName: a\n          newTableName: b\n");
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(fixed.contains("oldTableName: b"), "{fixed}");
    }

    #[test]
    fn no_fix_when_the_inverse_is_not_determined() {
        let text = xml(r#"<changeSet id="1" author="a"><dropTable tableName="t"/></changeSet>"#);
        let o = check(&RULE, &text);
        assert_eq!(o.count(), 1);
        assert!(o.findings.items[0].fixes.is_empty());
    }

    #[test]
    fn silent_with_rollback_and_on_unmodeled_changes() {
        let text = xml(
            r#"<changeSet id="1" author="a"><dropTable tableName="t"/><rollback/></changeSet>
<changeSet id="2" author="a"><sql>drop table x</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
        let sql = "--liquibase formatted sql\n--changeset a:1\ncreate table t (id int);\n";
        assert_eq!(check(&RULE, sql).count(), 0);
    }
}
