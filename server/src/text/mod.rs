//! Text storage and position conversion.

mod document;
mod line_index;

pub use document::{Document, Edit};
pub use line_index::{LineIndex, Position, PositionEncoding, Range};
