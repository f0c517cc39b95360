//! MS291 rollback-implicit: a changeset relies on Liquibase's automatic rollback.

use crate::catalog::rollback::{auto_rollback, is_auto_rollback};
use crate::model::Severity;
use crate::rules::{rollback, Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS291",
    name: "rollback-implicit",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Information,
    enabled: true,
    summary: "A changeset relies on Liquibase's automatic rollback",
    doc: RuleDoc {
        what: "Reports a changeset without a `rollback` block whose changes Liquibase can all roll \
               back by itself (`createTable`, `addColumn`, `createIndex`, `renameColumn`, ...), and \
               says what that rollback does. The quick fix writes the same rollback out explicitly.",
        why: "The automatic rollback is fine, but invisible in review: an explicit block shows what \
              `liquibase rollback` will drop, and keeps working if a change that cannot be rolled back \
              is added to the changeset later.",
        bad: r#"<changeSet id="9" author="ana">
    <addColumn tableName="invoice">
        <column name="due_date" type="date"/>
    </addColumn>
</changeSet>"#,
        good: r#"<changeSet id="9" author="ana">
    <addColumn tableName="invoice">
        <column name="due_date" type="date"/>
    </addColumn>
    <rollback>
        <dropColumn tableName="invoice" columnName="due_date"/>
    </rollback>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-ROLLBACK-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for cs in &cx.changelog.changesets {
        if !cs.rollbacks.is_empty() || cs.changes.is_empty() {
            continue;
        }
        if !cs.changes.iter().all(|c| is_auto_rollback(&c.kind.value)) {
            continue;
        }
        let what: Vec<String> = cs
            .changes
            .iter()
            .rev()
            .filter_map(|c| auto_rollback(&c.kind.value).map(|w| format!("{} ({w})", c.kind.value)))
            .collect();
        out.add(
            cx.anchor(cs),
            format!(
                "no explicit rollback; Liquibase undoes it automatically: {}",
                what.join(", then ")
            ),
        )
        .fix_opt(rollback::fix(cx.text, cx.changelog.format, cs));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    #[test]
    fn fires_and_fixes() {
        let text = xml(r#"    <changeSet id="1" author="a">
        <createIndex tableName="t" indexName="idx_t_a"><column name="a"/></createIndex>
    </changeSet>"#);
        let o = check(&RULE, &text);
        assert_eq!(o.spans(), vec!["1"]);
        assert!(o.messages()[0].contains("drops the index"));
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(
            fixed.contains("<dropIndex tableName=\"t\" indexName=\"idx_t_a\"/>"),
            "{fixed}"
        );
        let y = yaml("- changeSet:\n    id: 2\n    author: a\n    changes:\n      - createView:\n          viewName: v\n          selectQuery: select 1\n");
        assert_fix_removes(&RULE, &y);
    }

    #[test]
    fn silent_when_explicit_or_not_automatic() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"/><rollback><dropTable tableName="t"/></rollback></changeSet>
<changeSet id="2" author="a"><createTable tableName="t"/><insert tableName="t"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
