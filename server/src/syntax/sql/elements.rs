//! Small constructors for the generic [`Element`]/[`Attr`] tree, shared by the lowering modules.

use super::lines::Line;
use super::scan;
use crate::model::{Attr, Element, Span, Spanned};

pub fn element(name: &str, name_span: Span, span: Span) -> Element {
    Element {
        name: Spanned::new(name.to_string(), name_span),
        span,
        ..Element::default()
    }
}

pub fn attr(name: &str, name_span: Span, value: Spanned<String>) -> Attr {
    Attr {
        name: Spanned::new(name.to_string(), name_span),
        value,
        namespace: None,
    }
}

/// Liquibase's `.*key:\s*(\S+).*` (or `(\w+)` when `word`): the value after the last `key:` on the line
/// that has one, as an attribute named `name` whose name span is the key.
pub fn keyed(line: &Line, from: usize, key: &str, name: &str, word: bool) -> Option<Attr> {
    let s = &line.text[from..];
    let mut hay = s;
    while let Some(after) = scan::last_ci(hay, key) {
        let vstart = if word { after } else { scan::skip_ws(s, after) };
        let vend = if word {
            scan::skip_word(s, vstart)
        } else {
            scan::skip_non_ws(s, vstart)
        };
        if vend > vstart {
            let key_start = after - key.len();
            return Some(attr(
                name,
                line.span(from + key_start, from + after - 1),
                Spanned::new(
                    s[vstart..vend].to_string(),
                    line.span(from + vstart, from + vend),
                ),
            ));
        }
        // This occurrence has no value: an earlier one may (the regex would backtrack to it).
        hay = &s[..after - key.len()];
    }
    None
}
