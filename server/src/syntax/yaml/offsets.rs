//! saphyr's markers count characters (its `Marker::index` is documented as "index in characters", and
//! every advance of the scanner adds 1 per char, CRLF counting as two). The model wants byte offsets,
//! so every marker goes through this table once.

/// Characters between two checkpoints of the table: a lookup walks at most this many characters,
/// and the table costs one entry per this many characters (not one per character of a 50 MB file).
const STRIDE: usize = 64;

/// Converts saphyr character indices into byte offsets of the original document.
pub struct Offsets<'a> {
    text: &'a str,
    /// Byte offset of every STRIDE-th character; `None` for ASCII text, where a char index already is
    /// a byte offset (the common case, and no table is worth building for it).
    checkpoints: Option<Vec<usize>>,
    /// Bytes skipped before the text saphyr saw (a byte-order mark).
    base: usize,
}

impl<'a> Offsets<'a> {
    pub fn new(text: &'a str, base: usize) -> Self {
        let checkpoints = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(STRIDE)
                .map(|(i, _)| i)
                .collect()
        });
        Offsets {
            text,
            checkpoints,
            base,
        }
    }

    /// The byte offset (in the original document) of character `index`; clamped to the end.
    pub fn byte(&self, index: usize) -> usize {
        let local = match &self.checkpoints {
            None => index.min(self.text.len()),
            Some(t) => match t.get(index / STRIDE) {
                Some(&from) => self.text[from..]
                    .char_indices()
                    .nth(index % STRIDE)
                    .map_or(self.text.len(), |(i, _)| from + i),
                None => self.text.len(),
            },
        };
        self.base + local
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_identity_and_clamped() {
        let o = Offsets::new("abc", 0);
        assert_eq!(o.byte(2), 2);
        assert_eq!(o.byte(99), 3);
    }

    #[test]
    fn multibyte_chars_map_to_their_byte_starts() {
        // é = 2 bytes, 中 = 3, 😀 = 4
        let o = Offsets::new("é中😀x", 3);
        assert_eq!(
            (0..=5).map(|i| o.byte(i)).collect::<Vec<_>>(),
            [3, 5, 8, 12, 13, 13]
        );
    }

    #[test]
    fn lookups_past_a_checkpoint_walk_from_it() {
        let text: String = "aé中".repeat(100);
        let o = Offsets::new(&text, 0);
        let want: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for (c, &b) in want.iter().enumerate() {
            assert_eq!(o.byte(c), b, "char {c}");
        }
        assert_eq!(o.byte(want.len()), text.len());
    }
}
