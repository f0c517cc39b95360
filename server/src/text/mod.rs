//! Text storage and position conversion.

mod document;
mod line_index;

pub use document::{Document, Edit};
pub use line_index::{LineIndex, Position, PositionEncoding, Range};

/// The largest character boundary of `text` at or before `i` (`text.len()` when `i` is past the end):
/// where to cut a string of unknown content without splitting a UTF-8 sequence.
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
