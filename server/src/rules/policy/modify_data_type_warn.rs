//! LB108 ModifyDataTypeWarn: warns on every `modifyDataType`.

use crate::model::Severity;
use crate::model::Span;
use crate::rules::sql::{SqlSource, Statement, TokenKind};
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB108",
    name: "modify-data-type-warn",
    liquibase: Some("ModifyDataTypeWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset changes a column's data type",
    doc: RuleDoc {
        what: "Reports every `modifyDataType` change, at the new data type, and type changes in SQL \
               `ALTER TABLE` statements (`ALTER COLUMN c TYPE t`, `ALTER COLUMN c SET DATA TYPE t`, \
               SQL Server's `ALTER COLUMN c t`, MySQL and Oracle `MODIFY [COLUMN] c t`), at the \
               keywords.",
        why: "Changing a type can truncate or reject existing values, rewrite the whole table under a \
              lock, and break clients that expect the old type. Liquibase cannot roll it back by itself.",
        bad: r#"<changeSet id="13" author="ana">
    <modifyDataType tableName="person" columnName="zip" newDataType="int"/>
</changeSet>"#,
        good: r#"<changeSet id="13" author="ana">
    <addColumn tableName="person"><column name="zip_code" type="varchar(10)"/></addColumn>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-006"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, _, ch) in cx.changes_of("modifyDataType") {
        let table = ch.attr_value("tableName").unwrap_or("?");
        let column = ch.attr_value("columnName").unwrap_or("?");
        match ch.element.attr("newDataType") {
            Some(t) => out.add(
                t.value.span,
                format!(
                    "column {table}.{column} changes type to {}: existing data may not convert",
                    t.value.value
                ),
            ),
            None => out.add(
                ch.kind.span,
                format!("column {table}.{column} changes type"),
            ),
        };
    }
    for src in cx.sql() {
        for st in &src.statements {
            for (span, column) in sql_type_changes(src, st) {
                out.add(
                    src.doc_span(span),
                    format!("column {column} changes type: existing data may not convert"),
                );
            }
        }
    }
}

/// Words after `ALTER COLUMN c` or `MODIFY c` that change something other than the type.
const NOT_A_TYPE: &[&str] = &[
    "ADD",
    "CHECK",
    "COLLATE",
    "CONSTRAINT",
    "DEFAULT",
    "DROP",
    "INVISIBLE",
    "NOT",
    "NULL",
    "RESET",
    "RESTART",
    "SET",
    "VISIBLE",
];

/// Type changes in an `ALTER TABLE` statement: the span of `ALTER COLUMN`/`MODIFY` and the column.
fn sql_type_changes(src: &SqlSource, st: &Statement) -> Vec<(Span, String)> {
    let t = &st.tokens;
    let mut out = Vec::new();
    let is_alter_table = t.first().is_some_and(|a| src.is_kw(a, "ALTER"))
        && t.get(1).is_some_and(|b| src.is_kw(b, "TABLE"));
    if !is_alter_table {
        return out;
    }
    let mut i = 2;
    while i < t.len() {
        let Some(tok) = t.get(i) else { break };
        let start = tok.span;
        let col_at =
            if src.is_kw(tok, "ALTER") && t.get(i + 1).is_some_and(|c| src.is_kw(c, "COLUMN")) {
                Some(i + 2)
            } else if src.is_kw(tok, "MODIFY") {
                Some(if t.get(i + 1).is_some_and(|c| src.is_kw(c, "COLUMN")) {
                    i + 2
                } else {
                    i + 1
                })
            } else {
                None
            };
        if let Some(c) = col_at {
            if let (Some(col), Some(next)) = (t.get(c), t.get(c + 1)) {
                let word = src.token_text(next).to_ascii_uppercase();
                let changes_type = if word == "TYPE" {
                    true
                } else if word == "SET" {
                    t.get(c + 2).is_some_and(|d| src.is_kw(d, "DATA"))
                } else {
                    col.kind != TokenKind::Punct
                        && next.kind == TokenKind::Word
                        && !NOT_A_TYPE.contains(&word.as_str())
                };
                if changes_type && col.kind != TokenKind::Punct {
                    let end = t.get(c.saturating_sub(1)).map_or(start, |k| k.span);
                    out.push((start.cover(end), src.token_text(col).to_string()));
                }
            }
            i = c + 1;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_modify_data_type() {
        let text = xml(
            r#"<changeSet id="1" author="a"><modifyDataType tableName="t" columnName="c" newDataType="bigint"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["bigint"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - modifyDataType:\n          tableName: t\n          columnName: c\n          newDataType: text\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["text"]);
    }

    #[test]
    fn silent_otherwise() {
        let text = xml(
            r#"<changeSet id="1" author="a"><renameColumn tableName="t" oldColumnName="a" newColumnName="b"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }

    #[test]
    fn fires_on_sql_type_changes() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>alter table t alter column a type bigint, alter column b set data type text;
alter table t alter column c int; alter table t modify column d varchar(9); alter table t modify e number</sql></changeSet>"#,
        );
        assert_eq!(
            check(&RULE, &text).spans(),
            vec![
                "alter column",
                "alter column",
                "alter column",
                "modify column",
                "modify"
            ]
        );
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: ALTER TABLE t ALTER COLUMN c TYPE int\n");
        assert_eq!(check(&RULE, &text).count(), 1);
    }

    #[test]
    fn silent_on_other_alters() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>alter table t alter column a set default 1, alter column b drop not null;
alter table t alter column c set not null; alter table t modify d not null; alter table t modify (e default 0);
-- alter table t alter column x type int
select 'alter table t alter column y int'</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
