//! Offsets and words around the cursor. Every scanner goes through these, so none of them can slice
//! a string inside a character.

use crate::model::Span;

/// `offset` moved into `text` and back to a character boundary.
pub fn clamp(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// Characters of XML names, YAML/JSON keys and property names: what the editor filters on.
pub fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

/// Characters of YAML and JSON keys, where `:` separates the key from its value.
pub fn is_key_char(c: char) -> bool {
    c != ':' && is_name_char(c)
}

/// The word ending at `offset` (made of `is_word` characters), together with the rest of it after
/// the offset: the span a proposal replaces.
pub fn word_around(text: &str, offset: usize, is_word: fn(char) -> bool) -> Span {
    let offset = clamp(text, offset);
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    Span::new(start, end)
}

/// The start of the line holding `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..clamp(text, offset)].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `offset` (before its line break).
pub fn line_end(text: &str, offset: usize) -> usize {
    let offset = clamp(text, offset);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}

/// The leading spaces and tabs of the line holding `offset`.
pub fn indent_of_line(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let rest = &text[start..];
    let n = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    &rest[..n]
}

/// The document's indentation unit: the first indented line's leading whitespace (a tab, or the
/// smallest run of spaces seen in the first lines), else four spaces.
pub fn indent_unit(text: &str) -> String {
    let mut smallest: Option<usize> = None;
    for line in text.lines().take(200) {
        let trimmed = line.trim_start_matches(' ');
        if line.starts_with('\t') {
            return "\t".into();
        }
        let n = line.len() - trimmed.len();
        if n > 0 && !trimmed.is_empty() {
            smallest = Some(smallest.map_or(n, |s| s.min(n)));
        }
    }
    " ".repeat(smallest.unwrap_or(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_splits_a_character() {
        let text = "aé€😀b";
        for o in 0..text.len() + 3 {
            let c = clamp(text, o);
            assert!(text.is_char_boundary(c));
            let w = word_around(text, o, is_name_char);
            assert!(w.start <= w.end && w.end <= text.len());
            assert!(line_start(text, o) <= line_end(text, o));
        }
    }

    #[test]
    fn word_spans_both_sides() {
        let text = "<createTa|ble x";
        let text = text.replace('|', "");
        assert_eq!(word_around(&text, 9, is_name_char), Span::new(1, 12));
        assert_eq!(indent_unit("a\n  b\n    c\n"), "  ");
    }
}
