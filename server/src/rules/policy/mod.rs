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

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::rules::testing::{check, check_with, xml};
    use serde_json::json;

    /// Options that make a rule's documented "bad" example fire (as its comment says).
    fn doc_options(code: &str) -> serde_json::Value {
        match code {
            "LB107" => json!({"change-types": ["sql"]}),
            "LB118" => json!({"pattern": "(?i)databasechangelog"}),
            "LB120" | "LB121" | "LB122" | "LB123" => {
                json!({"pattern-a": "(?i)create table", "pattern-b": "(?i)grant"})
            }
            "LB124" => json!({"pattern": "^[a-z][a-z0-9_]*$"}),
            "LB125" => json!({"pattern": "^(tmp|temp)_"}),
            "LB126" => json!({"max-columns": 2}),
            "LB128" => json!({"pattern": "^Owner: "}),
            _ => json!({}),
        }
    }

    #[test]
    fn documented_examples_behave() {
        let mut wrong = Vec::new();
        for rule in RULES {
            let bad = xml(rule.doc.bad);
            let good = xml(rule.doc.good);
            let opts = doc_options(rule.code);
            if check_with(rule, &bad, opts.clone()).count() == 0 {
                wrong.push(format!("{}: bad example is silent", rule.code));
            }
            // Suppression comments are applied by the engine, not by `check`.
            if !rule.doc.good.contains("lqls-disable")
                && (check_with(rule, &good, opts).count() > 0 || check(rule, &good).count() > 0)
            {
                wrong.push(format!("{}: good example fires", rule.code));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn half_typed_files_never_panic() {
        let samples = [
            xml(r#"<changeSet id="1" author="a"><comment>c</comment><createTable tableName="order" remarks="x"><column name="user" type="int"><constraints primaryKey="true" primaryKeyName="pk"/></column></createTable>
<sql>grant select, delete on t to u with grant option; select * from t; use db; revoke all on t from u</sql></changeSet>"#),
            "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - sql:\n            sql: GRANT ALL ON t TO u WITH ADMIN OPTION\n        - createTable:\n            tableName: user\n".to_string(),
            "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"1\", \"author\": \"a\", \"changes\": [{\"dropTable\": {\"tableName\": \"t\"}}]}}]}".to_string(),
            "--liquibase formatted sql\n--changeset a:1 labels:x context:y\n--comment: hi\ncreate table t (a int); grant select on t to u;\n".to_string(),
        ];
        for text in &samples {
            for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
                let part = &text[..end];
                for rule in RULES {
                    let out = check_with(rule, part, doc_options(rule.code));
                    for f in &out.findings.items {
                        assert!(f.span.end <= part.len(), "{}: span out of range", rule.code);
                    }
                }
            }
        }
    }
}
