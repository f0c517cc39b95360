//! Facts shared by the safety and convention rules: targeted databases, column types and defaults,
//! DDL/DML classification, SQL object names, snake_case.

use crate::model::{ChangeSet, Element};
use crate::rules::Ctx;

/// Whether a changeset runs on PostgreSQL: its `dbms`/the configured databases name it, or nothing is
/// configured and `assume` (the rule's option) says to treat an unknown target as PostgreSQL.
pub(crate) fn targets_postgres(cx: &Ctx, cs: &ChangeSet, assume: bool) -> bool {
    let dbs = cx.databases(cs);
    if dbs.is_empty() {
        return assume;
    }
    dbs.iter().any(|d| d == "postgresql" || d == "postgres")
}

/// Whether a `column` gives a default value (any `defaultValue*` attribute).
pub(crate) fn has_default(col: &Element) -> bool {
    col.attrs
        .iter()
        .any(|a| a.namespace.is_none() && a.name.value.starts_with("defaultValue"))
}

/// A column type reduced for comparison: upper case, single spaces, no size (`VARCHAR(20)` ->
/// `VARCHAR`), no `java.sql.Types.` prefix.
pub(crate) fn base_type(ty: &str) -> String {
    let t = ty.trim();
    let t = t
        .strip_prefix("java.sql.Types.")
        .or_else(|| t.strip_prefix("JAVA.SQL.TYPES."))
        .unwrap_or(t);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c => out.push(c.to_ascii_uppercase()),
        }
    }
    out.trim().to_string()
}

/// The `column` children of a change that have a `type`.
pub(crate) fn typed_columns(el: &Element) -> impl Iterator<Item = &Element> {
    el.children_named("column")
        .filter(|c| c.attr("type").is_some())
}

/// Change types that write rows (DML); every other change except the few neutral ones changes
/// structure (DDL).
pub(crate) const DML_CHANGES: &[&str] =
    &["insert", "update", "delete", "loadData", "loadUpdateData"];

/// What one SQL statement is, by its first word: `"dml"` (INSERT, UPDATE, DELETE, MERGE), `"ddl"`
/// (CREATE, ALTER, DROP, ...), or `None` (SELECT, CALL, blocks lqls does not classify).
pub(crate) fn sql_statement_kind(words: &[String]) -> Option<&'static str> {
    let first = words.first()?.as_str();
    match first {
        "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "UPSERT" => Some("dml"),
        "CREATE" | "ALTER" | "DROP" | "TRUNCATE" | "RENAME" | "COMMENT" | "GRANT" | "REVOKE" => {
            Some("ddl")
        }
        _ => None,
    }
}

/// A column type written in a changelog: a `column` of createTable/addColumn, or a modifyDataType.
pub(crate) struct TypedCol<'a> {
    pub cs_index: usize,
    pub table: &'a str,
    pub name: &'a str,
    pub ty: &'a crate::model::Attr,
    pub col: Option<&'a Element>,
}

/// Every column type a file writes, in order.
pub(crate) fn typed_cols<'a>(cx: &Ctx<'a>) -> Vec<TypedCol<'a>> {
    let mut out = Vec::new();
    for (i, _, ch) in cx.changes() {
        let table = ch.attr_value("tableName").unwrap_or("?");
        match ch.kind.value.as_str() {
            "createTable" | "addColumn" => {
                for col in typed_columns(&ch.element) {
                    if let Some(ty) = col.attr("type") {
                        out.push(TypedCol {
                            cs_index: i,
                            table,
                            name: col.attr_value("name").unwrap_or("?"),
                            ty,
                            col: Some(col),
                        });
                    }
                }
            }
            "modifyDataType" => {
                if let Some(ty) = ch.element.attr("newDataType") {
                    out.push(TypedCol {
                        cs_index: i,
                        table,
                        name: ch.attr_value("columnName").unwrap_or("?"),
                        ty,
                        col: None,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// A fix replacing a column type (not safe: the type of a column that exists would not change, and a
/// new one changes what the application reads).
pub(crate) fn type_fix(
    cx: &Ctx,
    ty: &crate::model::Attr,
    new_type: &str,
) -> Option<crate::model::Fix> {
    crate::rules::edit::fix(
        format!("Use {new_type}"),
        crate::rules::edit::replace_value(cx, ty, new_type),
        false,
    )
}

/// Writes `new` in the letter case of `like` (all lower when `like` has no upper-case letter).
pub(crate) fn same_case(like: &str, new: &str) -> String {
    if like.chars().any(|c| c.is_ascii_uppercase()) {
        new.to_ascii_uppercase()
    } else {
        new.to_ascii_lowercase()
    }
}

/// Reports a constraint change on an existing table (MS205..MS207).
pub(crate) fn constraint_on_existing(
    cx: &Ctx,
    out: &mut crate::rules::Findings,
    kind: &'static str,
    table_attr: &'static str,
    message: &str,
) {
    for (_, ch, t) in cx.changes_on_existing_tables(kind, table_attr) {
        out.add(
            ch.kind.span,
            format!("{kind} on existing table {}: {message}", t.value.value),
        )
        .related(t.value.span, "this table is not created in this file");
    }
}

/// The object name starting at word `at`: the last part of `schema.name` (or `db.schema.name`).
pub(crate) fn object_name(words: &[String], at: usize) -> Option<String> {
    let mut i = at;
    let mut name = words.get(i)?;
    while words.get(i + 1).is_some_and(|w| w == ".") {
        match words.get(i + 2) {
            Some(n) => {
                name = n;
                i += 2;
            }
            None => break,
        }
    }
    Some(name.clone())
}

/// Whether SQL statement words start with `CREATE [UNIQUE] INDEX` or `DROP INDEX`; returns the table
/// after `ON` when there is one.
pub(crate) fn index_statement(words: &[String]) -> Option<(bool, Option<String>)> {
    let mut w = words.iter().map(String::as_str);
    let first = w.next()?;
    let create = match first {
        "CREATE" => true,
        "DROP" => false,
        _ => return None,
    };
    let mut second = w.next()?;
    if second == "UNIQUE" {
        second = w.next()?;
    }
    if second != "INDEX" {
        return None;
    }
    let table = words.iter().position(|x| x == "ON").and_then(|p| {
        let p = if words.get(p + 1).is_some_and(|w| w == "ONLY") {
            p + 2
        } else {
            p + 1
        };
        object_name(words, p)
    });
    Some((create, table))
}

/// Whether a change writes rows (`Some(true)`), changes structure (`Some(false)`), or neither/unknown
/// (`None`: tagDatabase, output, a `sql` lqls cannot classify). `sql` is classified by its statements.
pub(crate) fn change_is_dml(
    cx: &Ctx,
    cs_index: usize,
    change_index: usize,
    kind: &str,
) -> Option<bool> {
    if DML_CHANGES.contains(&kind) {
        return Some(true);
    }
    match kind {
        "sql" | "sqlFile" => {
            let src = cx.sql_of_change(cs_index, change_index)?;
            let kinds: Vec<&str> = src
                .statements
                .iter()
                .filter_map(|st| sql_statement_kind(&src.words(st)))
                .collect();
            if kinds.contains(&"dml") {
                Some(true)
            } else if kinds.contains(&"ddl") {
                Some(false)
            } else {
                None
            }
        }
        "tagDatabase" | "output" | "empty" | "stop" | "executeCommand" | "customChange"
        | "comment" => None,
        _ => Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            object_name(&w("ON app . person ("), 1).as_deref(),
            Some("person")
        );
        assert_eq!(
            index_statement(&w("CREATE INDEX i ON ONLY s . t ( c )")),
            Some((true, Some("t".to_string())))
        );
        assert_eq!(object_name(&w("x"), 3), None);
    }

    #[test]
    fn types() {
        assert_eq!(base_type("varchar(20)"), "VARCHAR");
        assert_eq!(base_type("double  precision"), "DOUBLE PRECISION");
        assert_eq!(
            base_type("TIMESTAMP(6) WITHOUT TIME ZONE"),
            "TIMESTAMP WITHOUT TIME ZONE"
        );
    }
}
