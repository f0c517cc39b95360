//! Command line. Placeholder.
pub fn main() -> i32 {
    0
}
