//! saphyr's markers count characters (its `Marker::index` is documented as "index in characters", and
//! every advance of the scanner adds 1 per char, CRLF counting as two). The model wants byte offsets,
//! so every marker goes through this table once.

/// Converts saphyr character indices into byte offsets of the original document.
pub struct Offsets {
    /// Byte offset of every character, plus one entry for the end; `None` for ASCII text, where a char
    /// index already is a byte offset (the common case, and no table is worth building for it).
    table: Option<Vec<usize>>,
    /// Bytes skipped before the text saphyr saw (a byte-order mark).
    base: usize,
    /// Length of the text saphyr saw, in bytes.
    len: usize,
}

impl Offsets {
    pub fn new(text: &str, base: usize) -> Self {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        Offsets {
            table,
            base,
            len: text.len(),
        }
    }

    /// The byte offset (in the original document) of character `index`; clamped to the end.
    pub fn byte(&self, index: usize) -> usize {
        let local = match &self.table {
            None => index.min(self.len),
            Some(t) => t.get(index).copied().unwrap_or(self.len),
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
}
