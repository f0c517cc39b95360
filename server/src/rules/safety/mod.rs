//! Safety rules, one per file.

use super::Rule;

pub(crate) mod common;
pub(crate) mod edits;

mod add_not_null_column;
mod add_not_null_constraint;

/// Every safety rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[&add_not_null_column::RULE, &add_not_null_constraint::RULE];
