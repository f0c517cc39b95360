//! MS290 rollback-impossible: a changeset Liquibase cannot roll back, with no rollback written.

use crate::catalog::rollback::is_auto_rollback;
use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS290",
    name: "rollback-impossible",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Error,
    enabled: true,
    summary: "A changeset Liquibase cannot roll back has no rollback",
    doc: RuleDoc {
        what: "Reports a changeset without a `rollback` block when one of its changes has no \
               automatic rollback in Liquibase (`dropTable`, `sql`, `insert`, `update`, \
               `modifyDataType`, formatted SQL, ...). The finding points at the first such change.",
        why:
            "`liquibase rollback` stops with an error at this changeset, so nothing deployed after \
              it can be rolled back either. Write the inverse (or `<rollback/>` when rolling back \
              should deliberately do nothing) while the change is fresh in mind.",
        bad: r#"<changeSet id="8" author="ana">
    <update tableName="invoice">
        <column name="status" value="open"/>
        <where>status is null</where>
    </update>
</changeSet>"#,
        good: r#"<changeSet id="8" author="ana">
    <update tableName="invoice">
        <column name="status" value="open"/>
        <where>status is null</where>
    </update>
    <rollback>
        <!-- the backfill is harmless to keep -->
    </rollback>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-ROLLBACK-001"),
    check,
};

/// Whether Liquibase refuses to roll back a change of this type without a written rollback. Not
/// said of `customChange` (its class may implement rollback), `stop` (nothing ran) or types lqls does
/// not know (extensions may roll back; unknown ones are already reported as such).
fn cannot_roll_back(kind: &str) -> bool {
    !is_auto_rollback(kind)
        && !matches!(kind, "customChange" | "stop")
        && crate::catalog::is_change_type(kind)
}

fn check(cx: &Ctx, out: &mut Findings) {
    for cs in &cx.changelog.changesets {
        if !cs.rollbacks.is_empty() {
            continue;
        }
        let Some(ch) = cs.changes.iter().find(|c| cannot_roll_back(&c.kind.value)) else {
            continue;
        };
        out.add(
            cx.anchor(cs),
            format!(
                "no rollback, and Liquibase cannot roll back `{}` by itself: write one (or an empty \
                 rollback if undoing it should do nothing)",
                ch.kind.value
            ),
        )
        .related(ch.kind.span, "this change has no automatic rollback");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_changes_without_automatic_rollback() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"/><dropTable tableName="u"/></changeSet>
<changeSet id="2" author="a"><sql>update t set a = 1</sql></changeSet>"#,
        );
        let o = check(&RULE, &text);
        assert_eq!(o.spans(), vec!["1", "2"]);
        assert!(o.messages()[0].contains("`dropTable`"));
        let sql = "--liquibase formatted sql\n--changeset a:1\ndelete from t;\n";
        assert_eq!(check(&RULE, sql).count(), 1);
        let y = yaml("- changeSet:\n    id: 3\n    author: a\n    changes:\n      - delete:\n          tableName: t\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["3"]);
    }

    #[test]
    fn silent_on_changes_that_may_roll_back_themselves() {
        let text = xml(
            r#"<changeSet id="1" author="a"><customChange class="x.Y"/></changeSet>
<changeSet id="2" author="a"><stop/></changeSet>
<changeSet id="3" author="a"><createTable tableName="t"/><mySpecialChange/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }

    #[test]
    fn silent_with_a_rollback_or_automatic_ones() {
        let text = xml(
            r#"<changeSet id="1" author="a"><dropTable tableName="u"/><rollback/></changeSet>
<changeSet id="2" author="a"><createTable tableName="t"/><addColumn tableName="t"><column name="c" type="int"/></addColumn></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
        let sql =
            "--liquibase formatted sql\n--changeset a:1\ndelete from t;\n--rollback select 1;\n";
        assert_eq!(check(&RULE, sql).count(), 0);
    }
}
