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
mod detect_change_type;
mod modify_data_type_warn;
mod object_name_must_match;
mod object_name_must_not_match;
mod one_change_per_changeset;
mod oracle_reserved_keywords;
mod pattern_a_followed_by_pattern_b;
mod pattern_a_not_followed_by_pattern_b;
mod pattern_a_not_preceded_by_pattern_b;
mod pattern_a_preceded_by_pattern_b;
mod postgres_non_reserved_keywords;
mod postgres_reserved_keywords;
mod primary_key_on_create_table;
mod require_changeset_id_is_uuid;
mod rollback_required;
mod sql_grant_admin_warn;
mod sql_grant_option_warn;
mod sql_grant_specific_privs_warn;
mod sql_grant_warn;
mod sql_revoke_warn;
mod sql_select_star_warn;
mod sql_user_defined_pattern_check;
mod sqlserver_future_reserved_keywords;
mod sqlserver_odbc_reserved_keywords;
mod sqlserver_reserved_keywords;
mod table_column_limit;
mod table_comment_check;
mod table_comment_pattern_check;
mod warn_on_use_database;

/// Every policy rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[
    &change_drop_column_warn::RULE,
    &change_drop_table_warn::RULE,
    &change_truncate_table_warn::RULE,
    &changeset_comment_check::RULE,
    &changeset_context_check::RULE,
    &changeset_label_check::RULE,
    &detect_change_type::RULE,
    &modify_data_type_warn::RULE,
    &one_change_per_changeset::RULE,
    &primary_key_on_create_table::RULE,
    &require_changeset_id_is_uuid::RULE,
    &rollback_required::RULE,
    &sql_grant_warn::RULE,
    &sql_grant_admin_warn::RULE,
    &sql_grant_option_warn::RULE,
    &sql_grant_specific_privs_warn::RULE,
    &sql_revoke_warn::RULE,
    &sql_select_star_warn::RULE,
    &sql_user_defined_pattern_check::RULE,
    &warn_on_use_database::RULE,
    &pattern_a_followed_by_pattern_b::RULE,
    &pattern_a_not_followed_by_pattern_b::RULE,
    &pattern_a_preceded_by_pattern_b::RULE,
    &pattern_a_not_preceded_by_pattern_b::RULE,
    &object_name_must_match::RULE,
    &object_name_must_not_match::RULE,
    &table_column_limit::RULE,
    &table_comment_check::RULE,
    &table_comment_pattern_check::RULE,
    &oracle_reserved_keywords::RULE,
    &postgres_reserved_keywords::RULE,
    &postgres_non_reserved_keywords::RULE,
    &sqlserver_reserved_keywords::RULE,
    &sqlserver_future_reserved_keywords::RULE,
    &sqlserver_odbc_reserved_keywords::RULE,
];
