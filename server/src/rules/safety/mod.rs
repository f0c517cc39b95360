//! Migration-safety rules, one per file: what squawk, strong_migrations and Atlas warn about (locks,
//! table rewrites, changes that break running clients, data loss, rollbacks that cannot run).

use super::Rule;

mod rollback_implicit;
mod rollback_impossible;

/// Every safety rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[&rollback_impossible::RULE, &rollback_implicit::RULE];
