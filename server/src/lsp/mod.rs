//! Language server. Placeholder.
pub fn run_stdio() -> i32 {
    0
}
