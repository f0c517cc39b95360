//! Convention rules, one per file: the team's naming, changeset and security guidelines.

use super::Rule;

mod naming;
mod walk;

mod changeset_author_required;
mod changeset_comment_required;
mod changeset_id_pattern;
mod column_name_case;
mod constraint_name_prefix;
mod hardcoded_environment;
mod hardcoded_secret;
mod index_name_prefix;
mod reserved_word_name;
mod table_name_case;

/// Every convention rule. Add a new rule's `RULE` here.
pub static RULES: &[&Rule] = &[
    &table_name_case::RULE,
    &column_name_case::RULE,
    &index_name_prefix::RULE,
    &constraint_name_prefix::RULE,
    &changeset_id_pattern::RULE,
    &changeset_author_required::RULE,
    &changeset_comment_required::RULE,
    &hardcoded_secret::RULE,
    &hardcoded_environment::RULE,
    &reserved_word_name::RULE,
];
