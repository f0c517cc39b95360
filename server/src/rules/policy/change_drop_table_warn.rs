//! LB102 ChangeDropTableWarn: warns on every `dropTable`.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB102",
    name: "change-drop-table-warn",
    liquibase: Some("ChangeDropTableWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset drops a table",
    doc: RuleDoc {
        what: "Reports every `dropTable` change, at the name of the table it drops.",
        why: "Dropping a table removes its rows for good, and every client that still reads it fails. \
              Liquibase cannot recreate the data on rollback. Make sure the table is unused and its \
              data archived before the changeset ships.",
        bad: r#"<changeSet id="7" author="ana">
    <dropTable tableName="legacy_orders"/>
</changeSet>"#,
        good: r#"<changeSet id="7" author="ana">
    <renameTable oldTableName="legacy_orders" newTableName="legacy_orders_retired"/>
</changeSet>"#,
    },
    options: &[],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, _, ch) in cx.changes_of("dropTable") {
        match ch.element.attr("tableName") {
            Some(t) => out.add(
                t.value.span,
                format!("table {} is dropped: its data is lost", t.value.value),
            ),
            None => out.add(ch.kind.span, "a table is dropped: its data is lost"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_drop_table() {
        let text = xml(r#"<changeSet id="1" author="a"><dropTable tableName="t"/></changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["t"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - dropTable:\n          tableName: person\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["person"]);
    }

    #[test]
    fn silent_in_rollback_and_other_changes() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="a" type="int"/></createTable>
<rollback><dropTable tableName="t"/></rollback></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
