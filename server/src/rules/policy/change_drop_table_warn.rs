//! LB102 ChangeDropTableWarn: warns on every `dropTable`.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

use super::util::sql_table_verb;

pub static RULE: Rule = Rule {
    code: "LB102",
    name: "change-drop-table-warn",
    liquibase: Some("ChangeDropTableWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset drops a table",
    doc: RuleDoc {
        what: "Reports every `dropTable` change, at the name of the table it drops, and every \
               `DROP TABLE` statement in SQL (`sql` changes, readable `sqlFile`s, formatted SQL), \
               at `DROP TABLE`. SQL Server temporary tables (`#name`) are not reported.",
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
    guideline: Some("GL-LIVE-005"),
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
    for src in cx.sql() {
        for st in &src.statements {
            if let Some((span, table)) = sql_table_verb(src, st, "DROP") {
                out.add(
                    src.doc_span(span),
                    format!("table {table} is dropped: its data is lost"),
                );
            }
        }
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

    #[test]
    fn fires_on_sql_drop_table() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>drop table if exists app.t; drop table #tmp; drop view v; -- drop table x
select 'drop table y'</sql></changeSet>"#,
        );
        let out = check(&RULE, &text);
        assert_eq!(out.spans(), vec!["drop table"]);
        assert_eq!(
            out.messages(),
            vec!["table app.t is dropped: its data is lost"]
        );
        let text = "--liquibase formatted sql\n--changeset a:1\nDROP TABLE person;\n";
        assert_eq!(check(&RULE, text).spans(), vec!["DROP TABLE"]);
    }
}
