//! Offsets to positions and back. The only place in lqls that knows how LSP counts columns.
//!
//! Everything inside lqls works in byte offsets into UTF-8 text. LSP positions are (line, character),
//! where `character` counts UTF-16 code units unless the client and server negotiated UTF-8
//! (`positionEncoding`). Lines end at `\n`; a `\r` before it belongs to the line break (CRLF).

use serde::Serialize;

/// How a position's `character` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    /// Bytes of UTF-8 (negotiated `utf-8`).
    Utf8,
    /// UTF-16 code units (LSP's default).
    #[default]
    Utf16,
}

/// A 0-based line and column, as in LSP.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// Line starts of one text, for converting offsets in it.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of every line; always begins with 0.
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// Converts a byte offset to a position. An offset inside a multi-byte character is moved back to
    /// the start of that character, so a position never splits one.
    pub fn position(&self, text: &str, offset: usize, enc: PositionEncoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let prefix = &text[start..offset];
        let character = match enc {
            PositionEncoding::Utf8 => prefix.len(),
            PositionEncoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
        };
        Position {
            line: line as u32,
            character: character as u32,
        }
    }

    pub fn range(&self, text: &str, start: usize, end: usize, enc: PositionEncoding) -> Range {
        Range {
            start: self.position(text, start, enc),
            end: self.position(text, end.max(start), enc),
        }
    }

    /// Converts a position to a byte offset. A column past the end of its line clamps to the line end
    /// (before its line break), a line past the end clamps to the end of the text, and a column that
    /// falls inside a UTF-16 surrogate pair moves to the character's start: clients do send such
    /// positions, and lqls must not panic on them.
    pub fn offset(&self, text: &str, pos: Position, enc: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let start = self.line_starts[line];
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(text.len());
        let content = text[start..end]
            .trim_end_matches('\n')
            .trim_end_matches('\r');
        let want = pos.character as usize;
        match enc {
            PositionEncoding::Utf8 => {
                let mut o = want.min(content.len());
                while !content.is_char_boundary(o) {
                    o -= 1;
                }
                start + o
            }
            PositionEncoding::Utf16 => {
                let mut units = 0;
                for (i, c) in content.char_indices() {
                    if units + c.len_utf16() > want {
                        return start + i;
                    }
                    units += c.len_utf16();
                }
                start + content.len()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a\r\n<!-- 😀 日本 -->x\nlast";

    #[test]
    fn utf16_counts_surrogate_pairs_as_two() {
        let idx = LineIndex::new(TEXT);
        let x = TEXT.find('x').unwrap();
        // "<!-- " (5) + emoji (2 units) + " " + 2 CJK + " -->" (4) = 5 + 2 + 1 + 2 + 4 = 14
        assert_eq!(
            idx.position(TEXT, x, PositionEncoding::Utf16),
            Position {
                line: 1,
                character: 14
            }
        );
        assert_eq!(
            idx.position(TEXT, x, PositionEncoding::Utf8),
            Position {
                line: 1,
                character: 5 + 4 + 1 + 6 + 4
            }
        );
    }

    #[test]
    fn round_trips_every_char_boundary() {
        let idx = LineIndex::new(TEXT);
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            for (o, _) in TEXT.char_indices() {
                if TEXT[..o].ends_with('\r') {
                    continue; // between \r and \n is not addressable: it maps to the line end
                }
                let p = idx.position(TEXT, o, enc);
                assert_eq!(
                    idx.offset(TEXT, p, enc),
                    o,
                    "offset {o} via {p:?} ({enc:?})"
                );
            }
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let idx = LineIndex::new(TEXT);
        assert_eq!(
            idx.offset(
                TEXT,
                Position {
                    line: 0,
                    character: 99
                },
                PositionEncoding::Utf16
            ),
            1
        );
        assert_eq!(
            idx.offset(
                TEXT,
                Position {
                    line: 9,
                    character: 0
                },
                PositionEncoding::Utf16
            ),
            TEXT.len()
        );
        // inside the emoji's surrogate pair: back to the emoji's start
        let emoji = TEXT.find('😀').unwrap();
        assert_eq!(
            idx.offset(
                TEXT,
                Position {
                    line: 1,
                    character: 6
                },
                PositionEncoding::Utf16
            ),
            emoji
        );
        assert_eq!(
            idx.position(TEXT, emoji + 1, PositionEncoding::Utf8)
                .character,
            5
        );
    }
}
