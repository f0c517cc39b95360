//! Start-tag scanning with byte spans for the name, every attribute name and every value.
//!
//! quick-xml finds where a tag ends but does not expose attribute positions, and its attribute
//! iterator stops at the first error. The editor needs exact ranges for every attribute and a precise
//! diagnostic for a half-typed one, so the inside of a tag is scanned here.

use crate::diagnostics::codes;
use crate::model::{Diagnostic, Span};

/// An attribute exactly as written: qualified name and raw (still escaped) value.
pub struct RawAttr<'a> {
    pub qname: &'a str,
    pub name_span: Span,
    pub raw_value: &'a str,
    /// Inside the quotes.
    pub value_span: Span,
}

pub struct RawTag<'a> {
    pub qname: &'a str,
    pub name_span: Span,
    pub attrs: Vec<RawAttr<'a>>,
    /// A `<` met where an attribute should start: the tag was never finished and the markup from this
    /// offset on belongs to the next tag.
    pub stray_lt: Option<usize>,
}

/// Scans `content`, the text between `<` and `>` (without a trailing `/` of an empty element), which
/// starts at byte `base` of the document. Problems become diagnostics; everything before the first
/// unrecoverable problem is kept.
pub fn scan<'a>(content: &'a str, base: usize, diags: &mut Vec<Diagnostic>) -> RawTag<'a> {
    let bytes = content.as_bytes();
    let name_end = bytes
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let qname = &content[..name_end];
    let name_span = Span::new(base, base + name_end);
    if qname.is_empty() || !is_name_start(qname) {
        diags.push(Diagnostic::error(
            codes::SYNTAX,
            Span::new(base.saturating_sub(1), base + name_end.max(1)),
            "an element name must follow `<` directly (write `<name ...>`, or `&lt;` for a literal `<`)",
        ));
    }
    let mut tag = RawTag {
        qname,
        name_span,
        attrs: Vec::new(),
        stray_lt: None,
    };
    let mut i = name_end;
    loop {
        let ws_start = i;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        let at = |from: usize, to: usize| Span::new(base + from, base + to.max(from + 1));
        if i == ws_start {
            diags.push(Diagnostic::error(
                codes::SYNTAX,
                at(i, i + 1),
                "attributes must be separated by whitespace",
            ));
        }
        let n_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let name = &content[n_start..i];
        if name.is_empty() || !is_name_start(name) {
            let found = content[n_start..].chars().next().unwrap_or(' ');
            diags.push(Diagnostic::error(
                codes::SYNTAX,
                at(n_start, n_start + found.len_utf8()),
                format!(
                    "expected an attribute name, `>` or `/>` in `<{qname}>`, found `{found}`: finish the tag"
                ),
            ));
            if found == '<' {
                tag.stray_lt = Some(base + n_start);
            }
            return tag;
        }
        let n_span = at(n_start, i);
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == bytes.len() || bytes[i] != b'=' {
            diags.push(Diagnostic::error(
                codes::SYNTAX,
                n_span,
                format!("attribute `{name}` has no value: write {name}=\"...\""),
            ));
            if bytes.get(i) == Some(&b'<') {
                tag.stray_lt = Some(base + i);
            }
            return tag;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = bytes.get(i).copied();
        if !matches!(quote, Some(b'"' | b'\'')) {
            diags.push(Diagnostic::error(
                codes::SYNTAX,
                at(i.min(bytes.len().saturating_sub(1)), i + 1),
                format!("the value of `{name}` must be in quotes: {name}=\"...\""),
            ));
            return tag;
        }
        let v_start = i + 1;
        let Some(len) = bytes[v_start..].iter().position(|&b| Some(b) == quote) else {
            diags.push(Diagnostic::error(
                codes::SYNTAX,
                at(i, i + 1),
                format!("the value of `{name}` has no closing quote"),
            ));
            return tag;
        };
        let v_end = v_start + len;
        let raw_value = &content[v_start..v_end];
        if let Some(lt) = raw_value.find('<') {
            diags.push(Diagnostic::error(
                codes::SYNTAX,
                at(v_start + lt, v_start + lt + 1),
                format!("`<` is not allowed in the value of `{name}`: write `&lt;`"),
            ));
        }
        if tag.attrs.iter().any(|a| a.qname == name) {
            diags.push(Diagnostic::error(
                codes::SYNTAX,
                n_span,
                format!("attribute `{name}` is written twice on `<{qname}>`: keep one"),
            ));
        } else {
            tag.attrs.push(RawAttr {
                qname: name,
                name_span: n_span,
                raw_value,
                value_span: Span::new(base + v_start, base + v_end),
            });
        }
        i = v_end + 1;
    }
    tag
}

/// XML names start with a letter, `_` or `:` (or any non-ASCII character, which XML mostly allows).
fn is_name_start(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':' || !c.is_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_str(s: &str) -> (Vec<(String, String, Span, Span)>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let t = scan(s, 1, &mut d);
        let a = t
            .attrs
            .iter()
            .map(|a| {
                (
                    a.qname.to_string(),
                    a.raw_value.to_string(),
                    a.name_span,
                    a.value_span,
                )
            })
            .collect();
        (a, d)
    }

    #[test]
    fn attributes_have_exact_spans() {
        let (a, d) = scan_str("changeSet id=\"1\"  author = 'me'");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(a[0].0, "id");
        assert_eq!(a[0].2, Span::new(11, 13));
        assert_eq!(a[0].3, Span::new(15, 16));
        assert_eq!(a[1].1, "me");
        assert_eq!(a[1].3, Span::new(29, 31));
    }

    #[test]
    fn half_typed_tags_keep_what_came_before() {
        let (a, d) = scan_str("changeSet id=\"1\" auth");
        assert_eq!(a.len(), 1);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("auth"));
        let (a, d) = scan_str("changeSet id=\"1\" author=");
        assert_eq!(a.len(), 1);
        assert!(d[0].message.contains("quotes"));
    }

    #[test]
    fn a_tag_running_into_the_next_is_flagged_at_the_next_tag() {
        let (_, d) = scan_str("startingATag\n</databaseChangeLog");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span.start, 1 + "startingATag\n".len());
    }

    #[test]
    fn duplicates_and_missing_whitespace_are_errors() {
        let (a, d) = scan_str("a x=\"1\" x=\"2\"");
        assert_eq!(a.len(), 1);
        assert!(d[0].message.contains("twice"));
        let (a, d) = scan_str("a x=\"1\"y=\"2\"");
        assert_eq!(a.len(), 2);
        assert!(d[0].message.contains("whitespace"));
    }

    #[test]
    fn lt_in_values_is_an_error() {
        let (_, d) = scan_str("a x=\"1<2\"");
        assert_eq!(d[0].span, Span::new(7, 8));
    }
}
