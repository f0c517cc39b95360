//! Convention rules, one per file.

use super::Rule;

/// Every convention rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[];
