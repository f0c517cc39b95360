//! A rope-backed open document with incremental edits.
//!
//! Edits arrive as LSP ranges; they are resolved against the rope (so a 500 KB file is not copied per
//! keystroke) and applied in the order given. The contiguous `String` the parsers need is produced once
//! per version by [`Document::text`] and shared through the snapshot.

use std::sync::Arc;

use ropey::Rope;

use super::{Position, PositionEncoding};

/// One `TextDocumentContentChangeEvent`: a replacement of `range`, or of the whole text when `None`.
#[derive(Clone, Debug)]
pub struct Edit {
    pub range: Option<(Position, Position)>,
    pub text: String,
}

#[derive(Debug)]
pub struct Document {
    rope: Rope,
    version: i32,
    /// The text of the current version, built lazily and dropped on every edit.
    text: Option<Arc<str>>,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
            text: None,
        }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    /// The text of the current version as one string (cached until the next edit).
    pub fn text(&mut self) -> Arc<str> {
        if self.text.is_none() {
            self.text = Some(Arc::from(self.rope.to_string()));
        }
        self.text.clone().expect("set above")
    }

    /// Applies a batch of edits (one `didChange`) and moves to `version`. Edits apply in order, each to
    /// the result of the previous one, as the protocol says.
    pub fn apply(&mut self, edits: &[Edit], version: i32, enc: PositionEncoding) {
        for edit in edits {
            match edit.range {
                None => self.rope = Rope::from_str(&edit.text),
                Some((start, end)) => {
                    let a = self.char_index(start, enc);
                    let b = self.char_index(end, enc).max(a);
                    self.rope.remove(a..b);
                    self.rope.insert(a, &edit.text);
                }
            }
        }
        self.version = version;
        self.text = None;
    }

    /// Resolves an LSP position to a char index of the rope, clamping out-of-range lines and columns
    /// (to the end of the text, and to the end of the line before its line break).
    fn char_index(&self, pos: Position, enc: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_chars();
        }
        let line_start = self.rope.line_to_char(line);
        let slice = self.rope.line(line);
        let mut content_chars = slice.len_chars();
        // Exclude the line break: "\n", "\r\n" (ropey also breaks lines on lone \r and Unicode
        // separators; the column can never point past them either).
        while content_chars > 0 {
            let c = slice.char(content_chars - 1);
            if c == '\n'
                || c == '\r'
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{85}'
                || c == '\u{b}'
                || c == '\u{c}'
            {
                content_chars -= 1;
            } else {
                break;
            }
        }
        let want = pos.character as usize;
        let mut units = 0;
        for (i, c) in slice.chars().take(content_chars).enumerate() {
            let w = match enc {
                PositionEncoding::Utf8 => c.len_utf8(),
                PositionEncoding::Utf16 => c.len_utf16(),
            };
            if units + w > want {
                return line_start + i;
            }
            units += w;
        }
        line_start + content_chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn incremental_edits_apply_in_order() {
        let mut d = Document::new("<a>\n  😀x\n</a>\n", 1);
        // insert after the emoji: utf-16 column 4 (2 spaces + surrogate pair)
        d.apply(
            &[Edit {
                range: Some((pos(1, 4), pos(1, 5))),
                text: "y".into(),
            }],
            2,
            PositionEncoding::Utf16,
        );
        assert_eq!(&*d.text(), "<a>\n  😀y\n</a>\n");
        // same place in utf-8 bytes: 2 + 4
        d.apply(
            &[
                Edit {
                    range: Some((pos(1, 6), pos(1, 7))),
                    text: "zz".into(),
                },
                Edit {
                    range: Some((pos(0, 0), pos(0, 0))),
                    text: "<?xml?>\n".into(),
                },
            ],
            3,
            PositionEncoding::Utf8,
        );
        assert_eq!(&*d.text(), "<?xml?>\n<a>\n  😀zz\n</a>\n");
        assert_eq!(d.version(), 3);
    }

    #[test]
    fn out_of_range_edits_clamp_instead_of_panicking() {
        let mut d = Document::new("ab\r\ncd", 1);
        d.apply(
            &[Edit {
                range: Some((pos(0, 50), pos(7, 3))),
                text: "!".into(),
            }],
            2,
            PositionEncoding::Utf16,
        );
        assert_eq!(&*d.text(), "ab!");
        d.apply(
            &[Edit {
                range: None,
                text: "new".into(),
            }],
            3,
            PositionEncoding::Utf16,
        );
        assert_eq!(&*d.text(), "new");
    }
}
