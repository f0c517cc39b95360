//! The YAML cursor context, from indentation and the `- key:` / `key:` structure of the lines above
//! the cursor (the parser cannot help: a half-typed key is not valid YAML yet).
//!
//! Walking up from the cursor line, a line is an ancestor when its key starts left of the current
//! limit; a list item's owner is the key left of (or, YAML allows, at) its dash. The keys found give
//! the path (`databaseChangeLog > changeSet > changes > createTable > columns > column`), from which
//! the list wrappers (`changes`, `columns`, ...) are dropped to reach the XML vocabulary.

use super::cursor::{is_key_char, line_end, line_start, word_around};
use super::spot::{Frame, Spot, Style};
use crate::model::Span;

/// Keys whose list items are lifted into the parent element (as in `syntax::yaml::lower`).
pub const WRAPPERS: &[(&str, &str)] = &[
    ("args", "arg"),
    ("changes", ""),
    ("columns", "column"),
    ("nestedPreconditions", ""),
    ("params", "param"),
];

/// One line, as far as structure goes.
#[derive(Clone, Copy, Debug, Default)]
struct Line<'a> {
    /// Column of the first non-blank character (the dash of a list item, or the key).
    indent: usize,
    dash: bool,
    /// Column of the key, and the key and its raw value.
    key: Option<(usize, &'a str, &'a str)>,
    /// Blank or comment: says nothing about structure.
    blank: bool,
}

fn parse_line(s: &str) -> Line<'_> {
    let s = s.trim_end_matches('\r');
    let trimmed = s.trim_start_matches(' ');
    let indent = s.len() - trimmed.len();
    if trimmed.trim().is_empty() || trimmed.starts_with('#') {
        return Line {
            blank: true,
            ..Default::default()
        };
    }
    let (dash, content, col) = match trimmed.strip_prefix('-') {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
            let c = rest.trim_start_matches(' ');
            (true, c, indent + 1 + rest.len() - c.len())
        }
        _ => (false, trimmed, indent),
    };
    let key = key_of(content).map(|(k, v)| (col, k, v));
    Line {
        indent,
        dash,
        key,
        blank: false,
    }
}

/// `key: value` → (`key`, `value`), `key:` → (`key`, ``). Quoted keys lose their quotes.
fn key_of(content: &str) -> Option<(&str, &str)> {
    let colon = content
        .char_indices()
        .find(|&(i, c)| c == ':' && content[i + 1..].chars().next().is_none_or(|n| n == ' '))?
        .0;
    let key = content[..colon].trim().trim_matches(['"', '\'']);
    if key.is_empty() {
        return None;
    }
    Some((key, scalar(&content[colon + 1..])))
}

/// A scalar value without its comment and quotes.
fn scalar(raw: &str) -> &str {
    let raw = raw.trim();
    let raw = match raw.find(" #") {
        Some(p) => raw[..p].trim_end(),
        None => raw,
    };
    raw.trim_matches(['"', '\''])
}

/// Lines with their start offsets.
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split('\n') {
        out.push((start, l));
        start += l.len() + 1;
    }
    out
}

/// The scalar `key: value` pairs of the mapping owned by the line `owner` (whose key is at `col`).
fn block_attrs(all: &[(usize, &str)], owner: usize, col: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut child_col = None;
    for (_, s) in all.iter().skip(owner + 1) {
        let l = parse_line(s);
        if l.blank {
            continue;
        }
        if l.indent <= col {
            break;
        }
        let Some((kc, k, v)) = l.key else { continue };
        let cc = *child_col.get_or_insert(kc);
        // deeper keys belong to nested mappings; dashed ones to list items
        if kc == cc && !l.dash {
            out.push((k.to_string(), v.to_string()));
        }
    }
    out
}

/// The context at `offset`.
pub fn spot(text: &str, offset: usize) -> Spot {
    let all = lines(text);
    let ls = line_start(text, offset);
    let Some(cur) = all.iter().position(|&(s, _)| s == ls) else {
        return Spot::Nothing;
    };
    let line_text = &text[ls..line_end(text, offset)];
    let before = &text[ls..offset];
    if before.trim_start().starts_with('#') || before.contains(" #") {
        return Spot::Nothing;
    }
    let here = parse_line(line_text);
    let word = word_around(text, offset, is_key_char);
    // Where the key of this line starts (or would start), and whether the cursor is past its colon.
    let trimmed = before.trim_start_matches(' ');
    let (dash, key_col) = match trimmed.strip_prefix('-') {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
            let c = rest.trim_start_matches(' ');
            (true, before.len() - c.len())
        }
        _ => (false, before.len() - trimmed.len()),
    };
    let on_value = here
        .key
        .and_then(|(kc, k, _)| {
            let colon = kc + line_text[kc..].find(':')?;
            (offset - ls > colon).then_some(k)
        })
        .filter(|_| here.key.is_some_and(|(kc, _, _)| kc == key_col));

    // Walk up to collect the ancestors: (line index, key, key column), innermost first.
    let mut chain: Vec<(usize, &str, usize)> = Vec::new();
    // A list item's owner is left of (or at) its dash; a key's owner is left of the key.
    let (mut limit, mut via_dash) = if dash {
        (before.len() - trimmed.len(), true)
    } else {
        (key_col, false)
    };
    for i in (0..cur).rev() {
        let l = parse_line(all[i].1);
        if l.blank {
            continue;
        }
        let Some((kc, k, v)) = l.key else {
            if l.indent < limit {
                // a scalar list item or flow content: structure we do not follow
                break;
            }
            continue;
        };
        let owns = kc < limit || (via_dash && kc == limit && !l.dash && v.is_empty());
        if !owns {
            continue;
        }
        if !v.is_empty() && !v.starts_with(['{', '[']) {
            // an owner with a scalar value: the cursor is in its block scalar (`sql: |`), i.e. text
            return Spot::Nothing;
        }
        chain.push((i, k, kc));
        if l.dash {
            limit = l.indent;
            via_dash = true;
        } else {
            limit = kc;
            via_dash = false;
        }
        if limit == 0 && !via_dash {
            // reached the root key
            break;
        }
    }
    chain.reverse();

    let wrapper = chain
        .last()
        .map(|&(_, k, _)| k)
        .filter(|k| WRAPPERS.iter().any(|(w, _)| w == k))
        .map(str::to_string);
    let mut path: Vec<Frame> = chain
        .iter()
        .filter(|(_, k, _)| !WRAPPERS.iter().any(|(w, _)| w == k))
        .map(|&(i, k, kc)| {
            let mut f = Frame::new(k);
            f.attrs = block_attrs(&all, i, kc);
            f
        })
        .collect();
    let current = here.key.map(|(_, k, _)| k);

    if let Some(attr) = on_value {
        if let Some(last) = path.last_mut() {
            last.attrs.retain(|(n, _)| n != attr);
        }
        let value_start = ls + line_text.find(':').map_or(0, |p| p + 1);
        let replace = value_span(text, value_start, ls + line_text.len(), offset);
        return Spot::Value {
            path,
            attr: attr.to_string(),
            replace,
        };
    }
    if let (Some(last), Some(k)) = (path.last_mut(), current) {
        last.attrs.retain(|(n, _)| n != k);
    }
    if dash {
        return Spot::Element {
            path,
            replace: word,
            style: Style::YamlItem { column: key_col },
            wrapper,
        };
    }
    if wrapper.is_some() {
        // a key directly under a wrapper list item's level without a dash: nothing sensible
        return Spot::Nothing;
    }
    Spot::Attr {
        path,
        replace: word,
        keys: true,
        column: key_col,
    }
}

/// The value after `key:` without quotes, or the list item being typed in a comma-separated one.
fn value_span(text: &str, start: usize, end: usize, offset: usize) -> Span {
    let raw = &text[start..end];
    let lead = raw.len() - raw.trim_start().len();
    let mut s = (start + lead).min(offset);
    let mut e = start + raw.trim_end().len();
    if let Some(q) = text[s..].chars().next().filter(|c| *c == '"' || *c == '\'') {
        s += 1;
        if let Some(p) = text[s..e].find(q) {
            e = s + p;
        }
    }
    let e = e.max(offset);
    super::xml::list_item(text, Span::new(s.min(offset), e), offset)
}
