//! Safety rules, one per file: what squawk, strong_migrations and Atlas warn about (locks, table
//! rewrites, changes that break running clients, data-type traps, names the database refuses).

use super::Rule;

pub(crate) mod common;

mod add_check_existing;
mod add_foreign_key_existing;
mod add_not_null_column;
mod add_not_null_constraint;
mod add_primary_key_existing;
mod add_unique_existing;
mod concurrently_in_transaction;
mod dml_without_transaction;
mod drop_breaks_clients;
mod fixed_char_type;
mod float_for_money;
mod identifier_too_long;
mod index_without_concurrently;
mod int_primary_key;
mod mixed_ddl_dml;
mod modify_data_type;
mod rename_breaks_clients;
mod rollback_implicit;
mod rollback_impossible;
mod timestamp_without_time_zone;
mod update_without_where;
mod volatile_default;

/// Every safety rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[
    &add_not_null_column::RULE,
    &add_not_null_constraint::RULE,
    &index_without_concurrently::RULE,
    &concurrently_in_transaction::RULE,
    &add_foreign_key_existing::RULE,
    &add_unique_existing::RULE,
    &add_primary_key_existing::RULE,
    &rename_breaks_clients::RULE,
    &modify_data_type::RULE,
    &drop_breaks_clients::RULE,
    &update_without_where::RULE,
    &dml_without_transaction::RULE,
    &mixed_ddl_dml::RULE,
    &float_for_money::RULE,
    &int_primary_key::RULE,
    &fixed_char_type::RULE,
    &timestamp_without_time_zone::RULE,
    &identifier_too_long::RULE,
    &rollback_impossible::RULE,
    &rollback_implicit::RULE,
    &add_check_existing::RULE,
    &volatile_default::RULE,
];
