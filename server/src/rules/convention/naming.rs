//! Shared parts of the naming conventions: collecting the names a changelog defines and reporting
//! the ones that break a convention, with a rename fix.

use crate::model::Attr;
use crate::rules::edit as edits;
use crate::rules::names::{defined_names, ConstraintKind, ObjectKind};
use crate::rules::{Ctx, Findings};

/// A name a change defines (a new table, column, index or constraint) and what kind of name it is.
pub(crate) struct Defined<'a> {
    pub attr: &'a Attr,
    pub what: &'static str,
}

/// The names of one kind the changelog defines, in document order.
fn defined<'a>(cx: &Ctx<'a>, wanted: ObjectKind) -> Vec<Defined<'a>> {
    cx.changes()
        .flat_map(|(_, _, ch)| defined_names(ch))
        .filter(|(kind, _)| *kind == wanted)
        .map(|(kind, attr)| Defined {
            attr,
            what: kind.as_str(),
        })
        .collect()
}

/// Table names: createTable, renameTable's new name.
pub(crate) fn tables<'a>(cx: &Ctx<'a>) -> Vec<Defined<'a>> {
    defined(cx, ObjectKind::Table)
}

/// Column names: columns of createTable/addColumn, renameColumn's new name.
pub(crate) fn columns<'a>(cx: &Ctx<'a>) -> Vec<Defined<'a>> {
    defined(cx, ObjectKind::Column)
}

/// Constraint names with their kind (`pk`, `fk`, `uq`, `ck`; NOT NULL constraints have no
/// convention).
pub(crate) fn constraints<'a>(cx: &Ctx<'a>) -> Vec<(&'static str, &'a Attr)> {
    cx.changes()
        .flat_map(|(_, _, ch)| defined_names(ch))
        .filter_map(|(kind, attr)| {
            let short = match kind {
                ObjectKind::Constraint(ConstraintKind::PrimaryKey) => "pk",
                ObjectKind::Constraint(ConstraintKind::ForeignKey) => "fk",
                ObjectKind::Constraint(ConstraintKind::Unique) => "uq",
                ObjectKind::Constraint(ConstraintKind::Check) => "ck",
                _ => return None,
            };
            Some((short, attr))
        })
        .collect()
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
