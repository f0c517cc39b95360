//! The XML cursor context: a tolerant tag scanner over the text before the cursor.
//!
//! It tracks the open elements from the start of the document, skipping comments, CDATA, processing
//! instructions and quoted attribute values, so that a `>` or `<` inside them never confuses it. A
//! start tag missing its `>` still counts as open (the user is in the middle of writing it); an end
//! tag closes up to the matching open element, so one stray end tag does not lose the whole stack.

use super::cursor::{is_name_char, word_around};
use super::spot::{Frame, Spot, Style};
use crate::model::Span;

/// One attribute as scanned. `value` is the span inside the quotes.
struct TagAttr {
    name: Span,
    value: Option<Span>,
}

/// One start tag as scanned.
struct Tag {
    name: Span,
    attrs: Vec<TagAttr>,
    /// Just past the `>` when `closed`, else where scanning stopped (an unquoted `<` or the end).
    end: usize,
    closed: bool,
    self_closing: bool,
}

/// The context at `offset` (a character boundary of `text`).
pub fn spot(text: &str, offset: usize) -> Spot {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < offset {
        let Some(lt) = text[i..offset].find('<').map(|p| i + p) else {
            break;
        };
        let rest = &text[lt..];
        let skip = [
            ("<!--", "-->"),
            ("<![CDATA[", "]]>"),
            ("<?", "?>"),
            ("<!", ">"),
        ]
        .iter()
        .find(|(open, _)| rest.starts_with(open));
        if let Some((open, close)) = skip {
            match text[lt + open.len()..].find(close) {
                Some(p) if lt + open.len() + p + close.len() <= offset => {
                    i = lt + open.len() + p + close.len();
                    continue;
                }
                // the cursor is inside a comment, CDATA or declaration: nothing to propose
                _ => return Spot::Nothing,
            }
        }
        if rest.starts_with("</") {
            let name_end = name_end(text, lt + 2);
            let name = local(&text[lt + 2..name_end]);
            match text[lt..].find('>').map(|p| lt + p) {
                Some(gt) if gt < offset => {
                    if let Some(pos) = stack.iter().rposition(|f| f.name == name) {
                        stack.truncate(pos);
                    }
                    i = gt + 1;
                    continue;
                }
                _ if lt + 2 <= offset && offset <= name_end => {
                    return Spot::Element {
                        path: stack,
                        replace: Span::new(lt + 2, name_end),
                        style: Style::XmlClose,
                        wrapper: None,
                    }
                }
                _ => return Spot::Nothing,
            }
        }
        let tag = scan_tag(text, lt);
        let inside = offset < tag.end || (offset == tag.end && !tag.closed);
        if inside {
            return in_tag(text, offset, &tag, stack);
        }
        if !tag.self_closing {
            stack.push(frame(text, &tag));
        }
        i = tag.end.max(lt + 1);
    }
    Spot::Element {
        path: stack,
        replace: word_around(text, offset, is_name_char),
        style: Style::XmlContent,
        wrapper: None,
    }
}

/// An element name as the catalog would know it. A prefixed name (`ext:createSomething`) is kept
/// whole: it is an extension element, which the catalog does not describe, so nothing is proposed in it.
fn local(name: &str) -> String {
    name.to_string()
}

fn name_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| !is_name_char(c))
        .map_or(text.len(), |(i, _)| from + i)
}

fn skip_ws(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| from + i)
}

fn scan_tag(text: &str, lt: usize) -> Tag {
    let bytes = text.as_bytes();
    let name = Span::new(lt + 1, name_end(text, lt + 1));
    let mut tag = Tag {
        name,
        attrs: Vec::new(),
        end: text.len(),
        closed: false,
        self_closing: false,
    };
    let mut j = name.end;
    loop {
        j = skip_ws(text, j);
        let Some(&b) = bytes.get(j) else {
            tag.end = text.len();
            return tag;
        };
        match b {
            b'>' => {
                tag.end = j + 1;
                tag.closed = true;
                return tag;
            }
            b'/' if bytes.get(j + 1) == Some(&b'>') => {
                tag.end = j + 2;
                tag.closed = true;
                tag.self_closing = true;
                return tag;
            }
            b'<' => {
                tag.end = j;
                return tag;
            }
            _ => {}
        }
        let attr_end = name_end(text, j);
        if attr_end == j {
            // a stray character (`/` alone, a quote without a name): step over it
            j += text[j..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let mut attr = TagAttr {
            name: Span::new(j, attr_end),
            value: None,
        };
        j = skip_ws(text, attr_end);
        if bytes.get(j) == Some(&b'=') {
            j = skip_ws(text, j + 1);
            match bytes.get(j) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let start = j + 1;
                    // `<` cannot occur in an attribute value, so it ends an unterminated one
                    let stop = text[start..]
                        .find([q as char, '<'])
                        .map_or(text.len(), |p| start + p);
                    attr.value = Some(Span::new(start, stop));
                    j = if bytes.get(stop) == Some(&q) {
                        stop + 1
                    } else {
                        stop
                    };
                }
                _ => {}
            }
        }
        tag.attrs.push(attr);
    }
}

fn frame(text: &str, tag: &Tag) -> Frame {
    let mut f = Frame::new(local(&text[tag.name.start..tag.name.end]));
    f.attrs = tag
        .attrs
        .iter()
        .map(|a| {
            let value = a.value.map_or("", |v| &text[v.start..v.end]);
            (
                text[a.name.start..a.name.end].to_string(),
                value.to_string(),
            )
        })
        .collect();
    f
}

fn in_tag(text: &str, offset: usize, tag: &Tag, mut path: Vec<Frame>) -> Spot {
    if offset <= tag.name.end {
        return Spot::Element {
            path,
            replace: tag.name,
            style: Style::XmlTag,
            wrapper: None,
        };
    }
    let own = frame(text, tag);
    for a in &tag.attrs {
        if let Some(v) = a.value {
            if v.start <= offset && offset <= v.end {
                let attr = text[a.name.start..a.name.end].to_string();
                let mut own = own;
                // the value being typed is not yet a fact about the element
                own.attrs.retain(|(n, _)| *n != attr);
                path.push(own);
                return Spot::Value {
                    path,
                    attr,
                    replace: list_item(text, v, offset),
                };
            }
        }
        if a.name.start <= offset && offset <= a.name.end {
            let mut own = own;
            let typed = &text[a.name.start..a.name.end];
            own.attrs.retain(|(n, _)| n != typed);
            path.push(own);
            return Spot::Attr {
                path,
                replace: a.name,
                keys: false,
                column: 0,
            };
        }
    }
    let after_space = text[..offset]
        .chars()
        .next_back()
        .is_some_and(char::is_whitespace);
    if !after_space {
        return Spot::Nothing;
    }
    path.push(own);
    Spot::Attr {
        path,
        replace: Span::new(offset, offset),
        keys: false,
        column: 0,
    }
}

/// The item of a comma-separated value the cursor is in (`columnNames="id, na|me"` → `name`), so
/// that a column list is completed one name at a time.
pub fn list_item(text: &str, value: Span, offset: usize) -> Span {
    let before = &text[value.start..offset];
    let start = before
        .rfind(',')
        .map_or(value.start, |p| value.start + p + 1);
    let start = skip_ws(text, start).min(offset);
    let end = text[offset..value.end]
        .find(',')
        .map_or(value.end, |p| offset + p);
    let end = offset + text[offset..end].trim_end().len();
    Span::new(start, end)
}
