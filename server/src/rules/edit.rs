//! Format-aware text edits for quick fixes, written the way the file already writes its changesets:
//! add a child or key to a changeset, add an attribute to an element (an XML start tag, a YAML block
//! mapping, a JSON object, a formatted-SQL `--changeset` line), rename a value in place; and the
//! position and quoting helpers they share with `render.rs` and `suppress.rs`. Each edit helper
//! returns `None` when the layout is one it cannot edit safely (YAML flow mappings, self-closing
//! XML, half-typed files): the finding is then reported without a fix.

use crate::model::{Attr, ChangeSet, Element, Fix, Format, Span, TextEdit};

use super::Ctx;

/// Lines longer than this are not searched back to their start: fixes for findings on a minified or
/// garbage file would otherwise each scan the whole line, quadratic in the file size.
const MAX_LINE_SCAN: usize = 16 * 1024;

/// The start of the line holding `at`; for a line longer than [`MAX_LINE_SCAN`] before `at`, `at`
/// itself (indentation is then taken as none).
pub fn line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let mut from = at.saturating_sub(MAX_LINE_SCAN);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    match memchr::memrchr(b'\n', &text.as_bytes()[from..at]) {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => at,
    }
}

/// The indentation (leading spaces and tabs) of the line holding `at`.
pub fn line_indent(text: &str, at: usize) -> &str {
    let rest = &text[line_start(text, at)..];
    let n = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    &rest[..n]
}

/// The whitespace before `offset` on its line, when only whitespace precedes it there.
pub fn indent_before(text: &str, offset: usize) -> Option<&str> {
    let lead = text.get(line_start(text, offset)..offset)?;
    lead.bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(lead)
}

/// Escapes a value for an XML attribute or text.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A quoted scalar valid in both YAML and JSON.
pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Inserts `name` = `value` into changeset `cs` as its first child (XML `<name>value</name>`, YAML or
/// JSON key, formatted SQL `--name: value` line after the header). `None` when the changeset's layout
/// is not one this helper can edit safely (self-closing XML, flow-style YAML, ...).
pub fn insert_changeset_child(
    cx: &Ctx,
    cs: &ChangeSet,
    name: &str,
    value: &str,
    title: &str,
) -> Option<Fix> {
    let text = cx.text;
    let (at, new_text) = match cx.changelog.format {
        Format::Xml => {
            let header_end = cs.header.end;
            if text.get(..header_end)?.ends_with("/>") {
                return None;
            }
            let indent = match cs.element.children.first() {
                Some(first) => indent_before(text, first.span.start)?.to_string(),
                None => format!("{}    ", line_indent(text, cs.header.start)),
            };
            (
                header_end,
                format!("\n{indent}<{name}>{}</{name}>", xml_escape(value)),
            )
        }
        Format::Yaml => {
            let first = cs.attrs.first()?;
            let key_start = first.name.span.start;
            let indent = indent_before(text, key_start)?;
            let line_start = key_start - indent.len();
            (line_start, format!("{indent}{name}: {}\n", quoted(value)))
        }
        Format::Json => {
            let first = cs.attrs.first()?;
            let mut key_start = first.name.span.start;
            if key_start > 0 && text.as_bytes().get(key_start - 1) == Some(&b'"') {
                key_start -= 1;
            }
            let sep = match indent_before(text, key_start) {
                Some(indent) => format!("\n{indent}"),
                None => " ".to_string(),
            };
            (
                key_start,
                format!("{}: {},{sep}", quoted(name), quoted(value)),
            )
        }
        Format::Sql => {
            let end = cs.header.end;
            let rest = text.get(end..)?;
            match rest.find('\n') {
                Some(n) => (end + n + 1, format!("--{name}: {value}\n")),
                None => (text.len(), format!("\n--{name}: {value}")),
            }
        }
    };
    Some(Fix::replace(title, Span::new(at, at), new_text, false))
}

/// How a value is written in YAML/JSON: a bare literal (`false`, `5`) or a string.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Literal,
    /// Quoted in YAML/JSON.
    Text,
}

/// An edit adding `name = value` to `el`, placed as its first attribute.
pub fn insert_attr(
    cx: &Ctx,
    el: &Element,
    name: &str,
    value: &str,
    kind: Value,
) -> Option<TextEdit> {
    let text = cx.text;
    match cx.changelog.format {
        Format::Xml => {
            let at = el.name.span.end;
            if el.name.span.is_empty() || text.get(..at)?.ends_with('<') {
                return None;
            }
            let v = value
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;");
            Some(TextEdit {
                span: Span::new(at, at),
                new_text: format!(" {name}=\"{v}\""),
            })
        }
        Format::Yaml => {
            let first = el.attrs.first()?;
            let start = first.name.span.start;
            let ls = line_start(text, start);
            let indent = text.get(ls..start)?;
            if !indent.chars().all(|c| c == ' ') {
                return None;
            }
            let v = match kind {
                Value::Literal => value.to_string(),
                Value::Text => quoted(value),
            };
            Some(TextEdit {
                span: Span::new(ls, ls),
                new_text: format!("{indent}{name}: {v}\n"),
            })
        }
        Format::Json => {
            let first = el.attrs.first()?;
            let mut start = first.name.span.start;
            if text.get(..start)?.ends_with('"') {
                start -= 1;
            }
            let v = match kind {
                Value::Literal => value.to_string(),
                Value::Text => quoted(value),
            };
            Some(TextEdit {
                span: Span::new(start, start),
                new_text: format!("\"{name}\": {v}, "),
            })
        }
        Format::Sql => None,
    }
}

/// An edit setting an attribute of a changeset (`runInTransaction="false"`): the value is replaced
/// when the attribute is there (a duplicate attribute would not parse), else the attribute is added;
/// in formatted SQL it is appended to the `--changeset` line.
pub fn set_changeset_attr(
    cx: &Ctx,
    cs: &ChangeSet,
    name: &str,
    value: &str,
    kind: Value,
) -> Option<TextEdit> {
    if let Some(a) = cs
        .attrs
        .iter()
        .find(|a| a.namespace.is_none() && a.name.value == name)
    {
        return replace_value(cx, a, value);
    }
    if cx.changelog.format == Format::Sql {
        let line = cx.source(cs.header);
        let end = cs.header.start + line.find('\n').unwrap_or(line.len());
        let end = if cx.text.get(..end)?.ends_with('\r') {
            end - 1
        } else {
            end
        };
        if value.contains(char::is_whitespace) {
            return None;
        }
        return Some(TextEdit {
            span: Span::new(end, end),
            new_text: format!(" {name}:{value}"),
        });
    }
    insert_attr(cx, &cs.element, name, value, kind)
}

/// An edit replacing an attribute's value, keeping its quotes. `None` when the value is written in a
/// way the edit could break (escapes in a quoted YAML/JSON string, an empty span).
pub fn replace_value(cx: &Ctx, attr: &Attr, value: &str) -> Option<TextEdit> {
    let span = attr.value.span;
    if span.is_empty() && !attr.value.value.is_empty() {
        return None;
    }
    // The source must be the value as read: no entities or escapes to preserve.
    if cx.source(span) != attr.value.value {
        return None;
    }
    Some(TextEdit {
        span,
        new_text: value.to_string(),
    })
}

/// A one-edit fix, when the edit could be made.
pub fn fix(title: impl Into<String>, edit: Option<TextEdit>, safe: bool) -> Option<Fix> {
    edit.map(|e| Fix::new(title, vec![e], safe))
}

/// Where a new changeset goes after `cs`: the end of its last line, so the inserted text starts on a
/// new line.
pub fn after_changeset(text: &str, cs: &ChangeSet) -> usize {
    let end = cs.span.end.min(text.len());
    match text.get(end..).and_then(|t| t.find('\n')) {
        Some(i) if text.get(end..end + i).is_some_and(|t| t.trim().is_empty()) => end + i,
        _ => end,
    }
}
