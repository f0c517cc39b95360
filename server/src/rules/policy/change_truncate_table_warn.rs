//! LB103 ChangeTruncateTableWarn: warns on every `truncateTable`.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

use super::util::sql_table_verb;

pub static RULE: Rule = Rule {
    code: "LB103",
    name: "change-truncate-table-warn",
    liquibase: Some("ChangeTruncateTableWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset truncates a table",
    doc: RuleDoc {
        what: "Reports every `truncateTable` change, at the name of the table it empties, and \
               every `TRUNCATE [TABLE]` statement in SQL, at `TRUNCATE`.",
        why: "Truncating deletes every row at once and cannot be rolled back by Liquibase. It is \
              rarely what a schema migration should do on a production database.",
        bad: r#"<changeSet id="8" author="ana">
    <truncateTable tableName="audit_log"/>
</changeSet>"#,
        good: r#"<changeSet id="8" author="ana">
    <delete tableName="audit_log"><where>created &lt; '2020-01-01'</where></delete>
</changeSet>"#,
    },
    options: &[],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, _, ch) in cx.changes_of("truncateTable") {
        match ch.element.attr("tableName") {
            Some(t) => out.add(
                t.value.span,
                format!(
                    "table {} is truncated: all its rows are deleted",
                    t.value.value
                ),
            ),
            None => out.add(
                ch.kind.span,
                "a table is truncated: all its rows are deleted",
            ),
        };
    }
    for src in cx.sql() {
        for st in &src.statements {
            if let Some((span, table)) = sql_table_verb(src, st, "TRUNCATE") {
                out.add(
                    src.doc_span(span),
                    format!("table {table} is truncated: all its rows are deleted"),
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
    fn fires_on_truncate() {
        let text =
            xml(r#"<changeSet id="1" author="a"><truncateTable tableName="t"/></changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["t"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - truncateTable:\n          tableName: log\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["log"]);
    }

    #[test]
    fn silent_on_delete() {
        let text = xml(r#"<changeSet id="1" author="a"><delete tableName="t"/></changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }

    #[test]
    fn fires_on_sql_truncate() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>truncate table a; TRUNCATE b; -- truncate c
select 'truncate d'</sql></changeSet>"#,
        );
        assert_eq!(
            check(&RULE, &text).spans(),
            vec!["truncate table", "TRUNCATE"]
        );
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: truncate table log\n");
        assert_eq!(check(&RULE, &text).count(), 1);
    }
}
