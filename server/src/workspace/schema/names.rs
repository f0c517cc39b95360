//! Identifier handling: how names written in changes are compared, and comma lists with the span of
//! each item (so a cursor in `baseColumnNames="a, b"` lands on one column).

use crate::model::{Span, Spanned};

/// The comparison key of a name: unquoted and lower-case, since databases fold unquoted names and
/// changelogs mix `Person`, `PERSON` and `"person"` for the same table.
pub fn key(name: &str) -> String {
    unquote(name.trim()).to_lowercase()
}

/// Whether two names are the same name (`key(a) == key(b)`), without allocating in the usual ASCII
/// case: column lookups run for every column of every insert.
pub fn same(a: &str, b: &str) -> bool {
    // The common cases first, without allocating: equal up to ASCII case, or two plain ASCII names
    // (stored names are trimmed and mostly unquoted) that differ.
    if a.len() == b.len() && a.eq_ignore_ascii_case(b) {
        return true;
    }
    let plain = |s: &str| {
        let edge = |c: u8| c.is_ascii_whitespace() || matches!(c, b'"' | b'`' | b'[' | b']');
        s.as_bytes().first().is_some_and(|&c| !edge(c))
            && s.as_bytes().last().is_some_and(|&c| !edge(c))
            && s.is_ascii()
    };
    if plain(a) && plain(b) {
        return false;
    }
    let (a, b) = (unquote(a.trim()), unquote(b.trim()));
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn unquote(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() >= 2 {
        let (f, l) = (b[0], b[b.len() - 1]);
        if (f == b'"' && l == b'"') || (f == b'`' && l == b'`') || (f == b'[' && l == b']') {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// The name if lqls can reason about it: not empty and no `${property}` (its value is unknown here).
/// Expressions (`lower(name)`, `a || b`) are not names either.
pub fn ident(name: &str) -> Option<&str> {
    let n = name.trim();
    if n.is_empty() || n.contains("${") {
        return None;
    }
    let inner = unquote(n);
    let plain = inner
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '#' | '.' | '-' | ' '));
    (plain && !(inner.contains(' ') && inner == n)).then_some(n)
}

/// A schema qualifier that can be used: unknown (`${schema}`) schemas are ignored, as if absent.
pub fn schema(name: Option<&str>) -> Option<&str> {
    name.and_then(ident)
}

/// The key of a possibly schema-qualified object.
pub fn qualified(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{}.{}", key(s), key(name)),
        None => key(name),
    }
}

/// The span of `len` bytes at `start` inside a value, when the value is in the document verbatim
/// (escapes and entities shift offsets: then the whole value is the best place).
pub fn sub_span(v: &Spanned<String>, start: usize, len: usize) -> Span {
    if v.span.len() == v.value.len() && start + len <= v.value.len() {
        Span::new(v.span.start + start, v.span.start + start + len)
    } else {
        v.span
    }
}

/// The trimmed items of a comma list with their spans.
pub fn items(v: &Spanned<String>) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut at = 0;
    for part in v.value.split(',') {
        let lead = part.len() - part.trim_start().len();
        let t = part.trim();
        if !t.is_empty() {
            out.push((t.to_string(), sub_span(v, at + lead, t.len())));
        }
        at += part.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_and_quotes() {
        assert_eq!(key("\"Person\""), "person");
        assert_eq!(key("[Order]"), "order");
        assert_eq!(qualified(Some("Public"), "T"), "public.t");
        assert_eq!(ident("${table}"), None);
        assert_eq!(ident("lower(name)"), None);
        assert_eq!(ident(" id "), Some("id"));
        assert!(same("\"Ünï\"", "ünÏ") && same("Id", "ID") && !same("id", "ids"));
        assert!(same("[Id]", " id") && same("`a`", "\"A\"") && !same("\"a\"", "b"));
    }

    #[test]
    fn list_items_have_their_own_spans() {
        let v = Spanned::new("a, bb ,c".to_string(), Span::new(10, 18));
        let got = items(&v);
        assert_eq!(
            got,
            vec![
                ("a".to_string(), Span::new(10, 11)),
                ("bb".to_string(), Span::new(13, 15)),
                ("c".to_string(), Span::new(17, 18)),
            ]
        );
    }
}
