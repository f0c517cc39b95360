//! The JSON cursor context (best effort): the enclosing objects and arrays from a scan of the text
//! before the cursor, and whether the string being typed is a key or a value.

use super::cursor::{is_key_char, word_around};
use super::spot::{Frame, Spot, Style};
use super::yaml::WRAPPERS;
use crate::model::Span;

/// An open `{` or `[`, with the key it is the value of.
struct Open {
    key: Option<String>,
    array: bool,
    /// Scalar members seen so far (objects only).
    attrs: Vec<(String, String)>,
}

/// The context at `offset`.
pub fn spot(text: &str, offset: usize) -> Spot {
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    // The last string read and whether a `:` followed it (it is then the pending key).
    let mut key: Option<String> = None;
    let mut after_colon = false;
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let end = string_end(text, start);
                if end >= offset {
                    return in_string(text, offset, Span::new(start, end), &stack, after_colon);
                }
                let s = text[start..end].to_string();
                if after_colon {
                    if let (Some(k), Some(top)) = (key.take(), stack.last_mut()) {
                        top.attrs.push((k, s));
                    }
                    after_colon = false;
                } else {
                    key = Some(s);
                }
                i = end + 1;
                continue;
            }
            b':' => after_colon = true,
            b',' => {
                // a member whose value was not a string (`true`, `3`) is written all the same
                if let (true, Some(k), Some(top)) = (after_colon, key.take(), stack.last_mut()) {
                    top.attrs.push((k, String::new()));
                }
                after_colon = false;
                key = None;
            }
            b'{' | b'[' => {
                let k = if after_colon { key.take() } else { None };
                stack.push(Open {
                    key: k,
                    array: bytes[i] == b'[',
                    attrs: Vec::new(),
                });
                after_colon = false;
                key = None;
            }
            b'}' | b']' => {
                stack.pop();
                after_colon = false;
                key = None;
            }
            _ => {}
        }
        i += 1;
    }
    // outside a string: a key may be started without its quote (`{ cre|`)
    let word = word_around(text, offset, is_key_char);
    if after_colon {
        return Spot::Nothing;
    }
    key_spot(&stack, word, false)
}

/// The end of a string starting at `start` (after its quote): its closing quote, or the end of the
/// line when it is not closed yet.
fn string_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = start;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' | b'\n' => return j,
            _ => j += 1,
        }
    }
    text.len()
}

fn in_string(text: &str, offset: usize, inner: Span, stack: &[Open], value: bool) -> Spot {
    let replace = Span::new(inner.start, inner.end.max(offset));
    if value {
        let (path, _) = frames(stack);
        // the key is the last string before the colon; find it again from the text
        let before = &text[..inner.start.saturating_sub(1)];
        let colon = before.trim_end();
        let Some(k) = colon.strip_suffix(':') else {
            return Spot::Nothing;
        };
        let k = k.trim_end();
        let Some(k) = k.strip_suffix('"') else {
            return Spot::Nothing;
        };
        let attr = k.rfind('"').map_or("", |p| &k[p + 1..]).to_string();
        let mut path = path;
        if let Some(last) = path.last_mut() {
            last.attrs.retain(|(n, _)| *n != attr);
        }
        return Spot::Value {
            path,
            attr,
            replace: super::xml::list_item(text, replace, offset),
        };
    }
    key_spot(stack, replace, true)
}

/// Elements from the stack: each object that is the value of a non-wrapper key is an element.
fn frames(stack: &[Open]) -> (Vec<Frame>, Option<String>) {
    let mut path = Vec::new();
    let mut wrapper = None;
    for (n, o) in stack.iter().enumerate() {
        let Some(k) = &o.key else { continue };
        if WRAPPERS.iter().any(|(w, _)| w == k) {
            if n + 2 >= stack.len() {
                wrapper = Some(k.clone());
            }
            continue;
        }
        let mut f = Frame::new(k.clone());
        // an element's members are in the object that is its value, or (for `databaseChangeLog`
        // and friends) in the items of its array
        if !o.array {
            f.attrs.clone_from(&o.attrs);
        }
        path.push(f);
    }
    (path, wrapper)
}

fn key_spot(stack: &[Open], replace: Span, quoted: bool) -> Spot {
    let (path, wrapper) = frames(stack);
    let Some(top) = stack.last() else {
        return Spot::Nothing;
    };
    // an object that is an item of an array: its key names the element (`{"createTable": ...}`)
    let item = !top.array && top.key.is_none() && stack.len() >= 2 && stack[stack.len() - 2].array;
    if item {
        return Spot::Element {
            path,
            replace,
            style: Style::JsonKey { quoted },
            wrapper,
        };
    }
    if top.array {
        return Spot::Nothing;
    }
    Spot::Attr {
        path,
        replace,
        keys: true,
        column: 0,
    }
}
