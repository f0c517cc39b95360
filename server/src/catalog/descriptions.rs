//! placeholder
pub fn element(_key: &str, _name: &str) -> Option<&'static str> {
    None
}
pub fn attribute(_element: &str, _name: &str) -> Option<&'static str> {
    None
}
