//! LB101 ChangeDropColumnWarn: warns on every `dropColumn`.

use crate::model::{Severity, Span};
use crate::rules::sql::{SqlSource, Statement, TokenKind};
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB101",
    name: "change-drop-column-warn",
    liquibase: Some("ChangeDropColumnWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset drops a column",
    doc: RuleDoc {
        what: "Reports every `dropColumn` change, at the column it drops (each nested `column` when \
               several are dropped at once), and `ALTER TABLE ... DROP [COLUMN]` in SQL.",
        why: "Dropping a column destroys its data for good, and running clients that still read or \
              write it fail as soon as the changeset runs. Liquibase cannot roll it back by itself. \
              Review that the column is unused and backed up, and that the application release that \
              stopped using it is already deployed.",
        bad: r#"<changeSet id="42" author="ana">
    <dropColumn tableName="person" columnName="nickname"/>
</changeSet>"#,
        good: r#"<!-- Reviewed: nickname unused since release 7.3, data archived in person_archive. -->
<changeSet id="42" author="ana">
    <!-- lqls-disable-next-line LB101 -->
    <dropColumn tableName="person" columnName="nickname"/>
    <rollback>
        <addColumn tableName="person"><column name="nickname" type="varchar(100)"/></addColumn>
    </rollback>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-005"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, _, ch) in cx.changes_of("dropColumn") {
        let table = ch.attr_value("tableName").unwrap_or("?");
        if let Some(col) = ch.element.attr("columnName") {
            out.add(
                col.value.span,
                format!(
                    "column {table}.{} is dropped: its data is lost",
                    col.value.value
                ),
            );
        }
        for col in ch.columns() {
            if let Some(name) = col.attr("name") {
                out.add(
                    name.value.span,
                    format!(
                        "column {table}.{} is dropped: its data is lost",
                        name.value.value
                    ),
                );
            }
        }
        if ch.element.attr("columnName").is_none() && ch.columns().next().is_none() {
            out.add(ch.kind.span, format!("a column of {table} is dropped"));
        }
    }
    for (src, st, _) in cx.statements_starting_with("ALTER") {
        for (drop, column) in sql_dropped_columns(src, st) {
            out.add(
                src.doc_span(drop),
                format!("column {column} is dropped: its data is lost"),
            );
        }
    }
}

/// Words after `DROP` in `ALTER TABLE` that drop something other than a column.
const NOT_A_COLUMN: &[&str] = &[
    "CONSTRAINT",
    "INDEX",
    "KEY",
    "PRIMARY",
    "FOREIGN",
    "UNIQUE",
    "CHECK",
    "PARTITION",
    "DEFAULT",
    "PERIOD",
    "SYSTEM",
    "NOT",
    "IDENTITY",
    "EXPRESSION",
    "ROW",
    "STORAGE",
];

/// `ALTER TABLE t DROP [COLUMN] [IF EXISTS] c[, DROP ...]`: each DROP keyword with the column name.
fn sql_dropped_columns(src: &SqlSource, st: &Statement) -> Vec<(Span, String)> {
    let t = &st.tokens;
    if !t.get(1).is_some_and(|k| src.is_kw(k, "TABLE")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, tok) in t.iter().enumerate().skip(2) {
        if !src.is_kw(tok, "DROP") {
            continue;
        }
        let mut j = i + 1;
        if t.get(j).is_some_and(|k| src.is_kw(k, "COLUMN")) {
            j += 1;
        } else if t
            .get(j)
            .is_none_or(|k| NOT_A_COLUMN.iter().any(|w| src.is_kw(k, w)))
        {
            continue;
        }
        if t.get(j).is_some_and(|k| src.is_kw(k, "IF"))
            && t.get(j + 1).is_some_and(|k| src.is_kw(k, "EXISTS"))
        {
            j += 2;
        }
        if let Some(name) = t.get(j).filter(|n| n.kind != TokenKind::Punct) {
            out.push((tok.span.cover(name.span), src.token_text(name).to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_each_dropped_column() {
        let text = xml(r#"<changeSet id="1" author="a">
    <dropColumn tableName="person" columnName="nickname"/>
    <dropColumn tableName="t"><column name="a"/><column name="b"/></dropColumn>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["nickname", "a", "b"]);
    }

    #[test]
    fn fires_on_sql_drop_column_only() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>alter table t drop column if exists a, drop b;
alter table t drop constraint c; alter table t drop primary key; -- alter table t drop column x
select 'alter table t drop column y'</sql></changeSet>"#,
        );
        assert_eq!(
            check(&RULE, &text).spans(),
            vec!["drop column if exists a", "drop b"]
        );
    }

    #[test]
    fn fires_in_yaml() {
        let text = yaml(
            "- changeSet:\n    id: 1\n    author: a\n    changes:\n      - dropColumn:\n          tableName: t\n          columnName: c\n",
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["c"]);
    }

    #[test]
    fn silent_on_other_changes_and_rollbacks() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addColumn tableName="t"><column name="c" type="int"/></addColumn>
    <rollback><dropColumn tableName="t" columnName="c"/></rollback>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
