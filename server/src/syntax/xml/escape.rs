//! Entity and character references. Only XML's five predefined entities and numeric character
//! references are ever resolved: entities a DOCTYPE declares are left as written (never expanded, never
//! fetched), which makes billion-laughs and external-entity files harmless.

use crate::diagnostics::codes;
use crate::model::{Diagnostic, Span};

/// What a reference `&name;` stands for.
pub enum Resolved {
    Char(char),
    /// A named entity that is not predefined: left unexpanded.
    Entity,
    /// A character reference to something that is not a character.
    Invalid,
}

/// Resolves the inside of a reference (`lt`, `#60`, `#x3C`, `myEntity`).
pub fn resolve(name: &str) -> Resolved {
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let Some(num) = name.strip_prefix('#') else {
                return Resolved::Entity;
            };
            let code = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16),
                None => num.parse(),
            };
            match code.ok().and_then(char::from_u32) {
                Some(c) => c,
                None => return Resolved::Invalid,
            }
        }
    };
    Resolved::Char(c)
}

/// Reports a reference that was not resolved. `declared_doctype`: the document has a DOCTYPE, so the
/// entity may be declared there; lqls still does not expand it, but the file is not malformed.
pub fn unresolved(name: &str, span: Span, declared_doctype: bool, how: Resolved) -> Diagnostic {
    match how {
        Resolved::Invalid => Diagnostic::error(
            codes::SYNTAX,
            span,
            format!("`&{name};` is not a valid character reference"),
        ),
        _ if declared_doctype => Diagnostic::warning(
            codes::NOT_EXPANDED,
            span,
            format!(
                "entity `&{name};` is declared in the DOCTYPE; lqls does not expand DOCTYPE entities, so \
                 checks see it as written"
            ),
        ),
        _ => Diagnostic::error(
            codes::SYNTAX,
            span,
            format!(
                "entity `&{name};` is not defined: write `&amp;` for a literal `&`, or use one of \
                 &lt; &gt; &amp; &apos; &quot;"
            ),
        ),
    }
}

/// Unescapes an attribute value (which quick-xml does not split into references), normalising
/// whitespace characters to spaces as XML requires. `base` is the byte offset of `raw`.
pub fn attr_value(raw: &str, base: usize, doctype: bool, diags: &mut Vec<Diagnostic>) -> String {
    if !raw.contains(['&', '\t', '\n', '\r']) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut at = base;
    while let Some(amp) = rest.find('&') {
        push_normalised(&mut out, &rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after
            .find(';')
            .filter(|&s| !after[..s].contains([' ', '&']))
        else {
            diags.push(Diagnostic::error(
                codes::SYNTAX,
                Span::new(at + amp, at + amp + 1),
                "a bare `&` must be written `&amp;`",
            ));
            out.push('&');
            at += amp + 1;
            rest = after;
            continue;
        };
        let name = &after[..semi];
        let span = Span::new(at + amp, at + amp + semi + 2);
        match resolve(name) {
            Resolved::Char(c) => out.push(c),
            how => {
                diags.push(unresolved(name, span, doctype, how));
                out.push('&');
                out.push_str(name);
                out.push(';');
            }
        }
        at += amp + semi + 2;
        rest = &after[semi + 1..];
    }
    push_normalised(&mut out, rest);
    out
}

fn push_normalised(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| match c {
        '\t' | '\n' | '\r' => ' ',
        c => c,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_and_numeric_references_resolve() {
        let mut d = Vec::new();
        assert_eq!(
            attr_value("a &lt; b &#x41;&#66;", 0, false, &mut d),
            "a < b AB"
        );
        assert!(d.is_empty());
    }

    #[test]
    fn unknown_entities_are_kept_and_reported() {
        let mut d = Vec::new();
        assert_eq!(attr_value("x &foo; y", 10, false, &mut d), "x &foo; y");
        assert_eq!(d[0].span, Span::new(12, 17));
        assert_eq!(d[0].code, codes::SYNTAX);
        let mut d = Vec::new();
        attr_value("&foo;", 0, true, &mut d);
        assert_eq!(d[0].code, codes::NOT_EXPANDED);
    }

    #[test]
    fn bare_ampersands_and_newlines() {
        let mut d = Vec::new();
        assert_eq!(attr_value("a & b\nc", 0, false, &mut d), "a & b c");
        assert_eq!(d[0].span, Span::new(2, 3));
    }
}
