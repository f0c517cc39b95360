//! Liquibase's changelog policy checks (Liquibase Pro `checks run`), one per file, with Liquibase's
//! names and its default on/off state.

use super::Rule;

mod keywords;
mod util;

mod change_drop_column_warn;
mod change_drop_table_warn;
mod change_truncate_table_warn;
mod changeset_comment_check;
mod changeset_context_check;
mod changeset_label_check;

/// Every policy rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[
    &change_drop_column_warn::RULE,
    &change_drop_table_warn::RULE,
    &change_truncate_table_warn::RULE,
    &changeset_comment_check::RULE,
    &changeset_context_check::RULE,
    &changeset_label_check::RULE,
];
