//! Safety rules, one per file.

use super::Rule;

/// Every safety rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[];
