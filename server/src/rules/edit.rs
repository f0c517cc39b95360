//! Format-aware insertions for quick fixes: add a child (XML) or key (YAML, JSON, formatted SQL) to a
//! changeset, written the way the file already writes its changesets.

use crate::model::{ChangeSet, Fix, Format, Span};

use super::Ctx;

/// The whitespace before `offset` on its line, when only whitespace precedes it there.
fn indent_before(text: &str, offset: usize) -> Option<&str> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |n| n + 1);
    let lead = text.get(line_start..offset)?;
    lead.bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(lead)
}

/// The indentation of the line holding `offset` (its leading whitespace).
fn line_indent(text: &str, offset: usize) -> &str {
    let line_start = text
        .get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |n| n + 1);
    let rest = text.get(line_start..).unwrap_or("");
    let n = rest
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    rest.get(..n).unwrap_or("")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A quoted scalar valid in both YAML and JSON.
fn quoted(s: &str) -> String {
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
