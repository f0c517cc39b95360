//! Shared parts of the naming conventions: collecting the names a changelog defines and reporting
//! the ones that break a convention, with a rename fix.

use crate::model::{Attr, Element};
use crate::rules::edit as edits;
use crate::rules::{Ctx, Findings};

/// A name a change defines (a new table, column, index or constraint) and what kind of name it is.
pub(crate) struct Defined<'a> {
    pub attr: &'a Attr,
    pub what: &'static str,
}

/// Table names: createTable, renameTable's new name.
pub(crate) fn tables<'a>(cx: &Ctx<'a>) -> Vec<Defined<'a>> {
    let mut out = Vec::new();
    for (_, _, ch) in cx.changes() {
        let attr = match ch.kind.value.as_str() {
            "createTable" => ch.element.attr("tableName"),
            "renameTable" => ch.element.attr("newTableName"),
            _ => None,
        };
        out.extend(attr.map(|attr| Defined {
            attr,
            what: "table",
        }));
    }
    out
}

/// Column names: columns of createTable/addColumn, renameColumn's new name.
pub(crate) fn columns<'a>(cx: &Ctx<'a>) -> Vec<Defined<'a>> {
    let mut out = Vec::new();
    for (_, _, ch) in cx.changes() {
        match ch.kind.value.as_str() {
            "createTable" | "addColumn" => {
                for c in ch.columns() {
                    out.extend(c.attr("name").map(|attr| Defined {
                        attr,
                        what: "column",
                    }));
                }
            }
            "renameColumn" => {
                out.extend(ch.element.attr("newColumnName").map(|attr| Defined {
                    attr,
                    what: "column",
                }));
            }
            _ => {}
        }
    }
    out
}

/// Constraint names with their kind (`pk`, `fk`, `uq`, `ck`).
pub(crate) fn constraints<'a>(cx: &Ctx<'a>) -> Vec<(&'static str, &'a Attr)> {
    let mut out = Vec::new();
    let from_column = |c: &'a Element, out: &mut Vec<(&'static str, &'a Attr)>| {
        if let Some(k) = c.child("constraints") {
            for (n, kind) in [
                ("primaryKeyName", "pk"),
                ("foreignKeyName", "fk"),
                ("uniqueConstraintName", "uq"),
                ("checkConstraintName", "ck"),
            ] {
                out.extend(k.attr(n).map(|a| (kind, a)));
            }
        }
    };
    for (_, _, ch) in cx.changes() {
        let kind = match ch.kind.value.as_str() {
            "addPrimaryKey" => Some("pk"),
            "addForeignKeyConstraint" => Some("fk"),
            "addUniqueConstraint" => Some("uq"),
            "addCheckConstraint" => Some("ck"),
            "createTable" | "addColumn" => {
                for c in ch.columns() {
                    from_column(c, &mut out);
                }
                None
            }
            _ => None,
        };
        if let Some(kind) = kind {
            out.extend(ch.element.attr("constraintName").map(|a| (kind, a)));
        }
    }
    out
}

/// Whether a value is (or contains) a `${property}`, which the convention cannot judge.
pub(crate) fn is_property(v: &str) -> bool {
    v.contains("${")
}

/// Reports `attr` with `message` and a rename fix to `fixed` (not safe: renaming changes the
/// object's name; only for a changeset that has not run yet).
pub(crate) fn report(
    cx: &Ctx,
    out: &mut Findings,
    attr: &Attr,
    message: String,
    fixed: Option<String>,
) {
    let f = out.add(attr.value.span, message);
    if let Some(new) = fixed.filter(|n| !n.is_empty() && *n != attr.value.value) {
        f.fix_opt(edits::fix(
            format!("Rename to {new}"),
            edits::replace_value(cx, attr, &new),
            false,
        ));
    }
}

/// Reports each defined name that does not match the rule's `pattern` option, with a snake_case
/// rename as the fix when that would match.
pub(crate) fn check_pattern(cx: &Ctx, out: &mut Findings, defined: Vec<Defined>) {
    let Some(re) = cx.opt_regex("pattern") else {
        return;
    };
    for d in defined {
        let v = &d.attr.value.value;
        if is_property(v) || re.is_match(v) {
            continue;
        }
        let fixed = Some(snake_case(v)).filter(|s| re.is_match(s));
        report(
            cx,
            out,
            d.attr,
            format!("{} name {v} does not match {}", d.what, re.as_str()),
            fixed,
        );
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
    use super::snake_case;

    #[test]
    fn snake() {
        assert_eq!(snake_case("PersonEmail"), "person_email");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("order-Item"), "order_item");
        assert_eq!(snake_case("a__b"), "a_b");
    }
}
