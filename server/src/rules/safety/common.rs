//! Facts shared by the safety rules: column types, defaults, targeted databases.

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

/// Every `column` with a `type` that a change defines (createTable, addColumn) or retypes
/// (modifyDataType is handled by its own attributes).
pub(crate) fn typed_columns(el: &Element) -> impl Iterator<Item = &Element> {
    el.children_named("column")
        .filter(|c| c.attr("type").is_some())
}

/// Changes that create or alter structure (DDL) as opposed to changing rows (DML).
pub(crate) const DML_CHANGES: &[&str] =
    &["insert", "update", "delete", "loadData", "loadUpdateData"];

/// Whether a change is a row change: a DML change type, or `sql` whose statements all start with
/// INSERT/UPDATE/DELETE/MERGE.
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

/// Splits a name into lower-case words at case changes, spaces, dashes and underscores
/// (`PersonEmail` -> `person_email`, `HTTPServer` -> `http_server`).
pub(crate) fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' || c == ' ' || c == '_' {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if c.is_uppercase() && i > 0 {
            let prev = chars.get(i - 1).copied().unwrap_or('_');
            let next = chars.get(i + 1).copied();
            let boundary = prev.is_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_uppercase() && next.is_some_and(|n| n.is_lowercase()));
            if boundary && !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake() {
        assert_eq!(snake_case("PersonEmail"), "person_email");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("order-Item"), "order_item");
        assert_eq!(snake_case("a__b"), "a_b");
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
