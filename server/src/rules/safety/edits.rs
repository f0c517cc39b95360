//! Format-aware text edits for the safety and convention quick fixes: add an attribute to an element
//! (an XML start tag, a YAML block mapping, a JSON object, a formatted-SQL `--changeset` line) and
//! rename a value in place. Each helper returns `None` when the layout is one it cannot edit safely
//! (YAML flow mappings, half-typed files): the finding is then reported without a fix.

use crate::model::{Attr, ChangeSet, Element, Fix, Format, Span, TextEdit};
use crate::rules::Ctx;

/// How a value is written in YAML/JSON: a bare literal (`false`, `5`) or a string.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value {
    Literal,
    /// Quoted in YAML/JSON.
    Text,
}

/// The start of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An edit adding `name = value` to `el`, placed as its first attribute.
pub(crate) fn insert_attr(
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
pub(crate) fn set_changeset_attr(
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
pub(crate) fn replace_value(cx: &Ctx, attr: &Attr, value: &str) -> Option<TextEdit> {
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
pub(crate) fn fix(title: impl Into<String>, edit: Option<TextEdit>, safe: bool) -> Option<Fix> {
    edit.map(|e| Fix::new(title, vec![e], safe))
}

/// The indentation of the line holding `offset`.
pub(crate) fn indent_at(text: &str, offset: usize) -> &str {
    let ls = line_start(text, offset);
    let line = text.get(ls..).unwrap_or("");
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    line.get(..n).unwrap_or("")
}

/// Where a new changeset goes after `cs`: the end of its last line, so the inserted text starts on a
/// new line.
pub(crate) fn after_changeset(text: &str, cs: &ChangeSet) -> usize {
    let end = cs.span.end.min(text.len());
    match text.get(end..).and_then(|t| t.find('\n')) {
        Some(i) if text.get(end..end + i).is_some_and(|t| t.trim().is_empty()) => end + i,
        _ => end,
    }
}
