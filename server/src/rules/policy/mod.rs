//! Liquibase's changelog policy checks (Liquibase Pro `checks run`), one per file, with Liquibase's
//! names and its default on/off state.

use super::Rule;

mod change_drop_column_warn;
mod rollback_required;

/// Every policy rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[&change_drop_column_warn::RULE, &rollback_required::RULE];
