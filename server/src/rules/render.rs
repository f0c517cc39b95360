//! Writes changes (for generated rollbacks) as XML, YAML or JSON text, and finds where a new child goes
//! at the end of a changeset. Only flat changes are needed: every generated inverse is one element
//! with attributes.

use super::edit::{indent_before, line_indent, line_start, quoted, xml_escape};
use crate::model::{ChangeSet, Element, Format, Span};

/// A change to write: its type and attributes, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub name: &'static str,
    pub attrs: Vec<(&'static str, String)>,
}

/// A YAML scalar, quoted when plain style would change its meaning (numbers, booleans, `: `, `#`,
/// leading indicators, ...).
pub fn yaml_scalar(v: &str) -> String {
    let plain_ok = !v.is_empty()
        && !v.contains(": ")
        && !v.contains(" #")
        && !v.ends_with(':')
        && !v.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !v.ends_with(' ')
        && v.parse::<f64>().is_err()
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        );
    if plain_ok {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', "''"))
    }
}

/// A `rollback` block holding `nodes`, whose first line starts at column `indent`; `unit` is one
/// level of indentation. Ends with a newline (XML, YAML); JSON returns the member without a comma.
pub fn rollback_block(format: Format, nodes: &[Node], indent: &str, unit: &str) -> String {
    let mut s = String::new();
    match format {
        Format::Xml | Format::Sql => {
            if nodes.is_empty() {
                s.push_str(&format!("{indent}<rollback/>\n"));
                return s;
            }
            s.push_str(&format!("{indent}<rollback>\n"));
            for n in nodes {
                s.push_str(&format!("{indent}{unit}<{}", n.name));
                for (k, v) in &n.attrs {
                    s.push_str(&format!(" {k}=\"{}\"", xml_escape(v)));
                }
                s.push_str("/>\n");
            }
            s.push_str(&format!("{indent}</rollback>\n"));
        }
        Format::Yaml => {
            if nodes.is_empty() {
                s.push_str(&format!("{indent}rollback: []\n"));
                return s;
            }
            s.push_str(&format!("{indent}rollback:\n"));
            for n in nodes {
                s.push_str(&format!("{indent}{unit}- {}:\n", n.name));
                for (k, v) in &n.attrs {
                    s.push_str(&format!(
                        "{indent}{unit}{unit}{unit}{k}: {}\n",
                        yaml_scalar(v)
                    ));
                }
            }
        }
        Format::Json => {
            let items: Vec<String> = nodes
                .iter()
                .map(|n| {
                    let attrs: Vec<String> = n
                        .attrs
                        .iter()
                        .map(|(k, v)| format!("{}: {}", quoted(k), quoted(v)))
                        .collect();
                    format!(
                        "{indent}{unit}{{{}: {{{}}}}}",
                        quoted(n.name),
                        attrs.join(", ")
                    )
                })
                .collect();
            if items.is_empty() {
                s.push_str(&format!("{indent}\"rollback\": []"));
            } else {
                s.push_str(&format!(
                    "{indent}\"rollback\": [\n{}\n{indent}]",
                    items.join(",\n")
                ));
            }
        }
    }
    s
}

/// The end of the last thing written in an element (attribute value, child, text), past a closing
/// quote.
fn content_end(text: &str, el: &Element) -> usize {
    let mut end = el.name.span.end;
    for a in &el.attrs {
        end = end.max(a.value.span.end).max(a.name.span.end);
    }
    for c in &el.children {
        end = end.max(c.span.end).max(content_end(text, c));
    }
    if let Some(t) = &el.text {
        end = end.max(t.span.end);
    }
    if matches!(text.as_bytes().get(end), Some(b'"' | b'\'')) {
        end += 1;
    }
    end.min(text.len())
}

/// Where a new last child of `cs` goes and the indentation of its children: `(insertion offset,
/// text to insert)` for a block built by `block(indent, unit)`.
pub fn append_to_changeset(
    text: &str,
    format: Format,
    cs: &ChangeSet,
    block: impl Fn(&str, &str) -> String,
) -> Option<(Span, String)> {
    let body = text.get(cs.span.start..cs.span.end)?;
    match format {
        Format::Xml => {
            let close = cs.span.start + body.rfind("</")?;
            let cs_indent = line_indent(text, cs.span.start);
            let unit = "    ";
            let child_indent = cs
                .changes
                .first()
                .map(|c| c.element.span.start)
                .filter(|&at| indent_before(text, at).is_some())
                .map_or_else(
                    || format!("{cs_indent}{unit}"),
                    |at| line_indent(text, at).to_string(),
                );
            if indent_before(text, close).is_some() {
                let line_start = line_start(text, close);
                Some((
                    Span::new(line_start, line_start),
                    block(&child_indent, unit),
                ))
            } else {
                let b = block(&child_indent, unit);
                Some((Span::new(close, close), format!("\n{b}{cs_indent}")))
            }
        }
        Format::Yaml => {
            let first_key = cs
                .element
                .attrs
                .iter()
                .map(|a| a.name.span.start)
                .chain(cs.element.children.iter().map(|c| c.name.span.start))
                .min()?;
            if indent_before(text, first_key).is_none()
                && !text[..first_key].trim_end().ends_with(':')
            {
                // `- changeSet: {id: 1, ...}` (flow style) or `- id: ..` on the dash line: not a
                // layout this fix writes into.
                let before = &text[line_start(text, first_key)..first_key];
                if before.contains('{') {
                    return None;
                }
            }
            let key_indent = " ".repeat(column(text, first_key));
            let end = content_end(text, &cs.element);
            let at = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            let b = block(&key_indent, "  ");
            let prefix = if at == text.len() && !text.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            Some((Span::new(at, at), format!("{prefix}{b}")))
        }
        Format::Json => {
            let first_key = cs.element.attrs.first().map(|a| a.name.span.start)?;
            let key_indent = line_indent(text, first_key).to_string();
            let unit = if key_indent.contains('\t') {
                "\t"
            } else {
                "  "
            };
            let end = content_end(text, &cs.element);
            let b = block(&key_indent, unit);
            Some((Span::new(end, end), format!(",\n{b}")))
        }
        Format::Sql => None,
    }
}

/// The column (in characters) of byte offset `at` on its line.
fn column(text: &str, at: usize) -> usize {
    let start = line_start(text, at);
    text[start..at].chars().count()
}
