//! Safety rules, one per file: what squawk, strong_migrations and Atlas warn about (locks, table
//! rewrites, changes that break running clients, data-type traps, names the database refuses).

use super::Rule;

pub(crate) mod common;
pub(crate) mod edits;

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

#[cfg(test)]
mod doc_examples {
    use crate::rules::testing::{check, xml};

    /// Wraps a documentation snippet into a changelog: changesets as they are, changes in a
    /// changeset, columns in a createTable.
    fn changelog(snippet: &str) -> String {
        let s = snippet.trim_start();
        if s.starts_with("<changeSet") || s.starts_with("<!--") {
            xml(snippet)
        } else if s.starts_with("<column") {
            xml(&format!(
                "<changeSet id=\"x\" author=\"a\"><createTable tableName=\"t\">{snippet}</createTable></changeSet>"
            ))
        } else {
            xml(&format!(
                "<changeSet id=\"x\" author=\"a\">{snippet}</changeSet>"
            ))
        }
    }

    /// Every safety and convention rule reports its own "bad" example and not its "good" one.
    #[test]
    fn examples_match_the_rules() {
        for rule in super::RULES.iter().chain(crate::rules::convention::RULES) {
            let bad = changelog(rule.doc.bad);
            assert!(
                check(rule, &bad).count() > 0,
                "{}: bad example not reported\n{bad}",
                rule.code
            );
            if rule.doc.good.contains("lqls-disable") {
                continue;
            }
            let good = changelog(rule.doc.good);
            assert_eq!(
                check(rule, &good).messages(),
                Vec::<&str>::new(),
                "{}: good example reported\n{good}",
                rule.code
            );
        }
    }
}

#[cfg(test)]
mod robustness {
    use crate::rules::testing::check;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
<changeSet id="1" author="a" dbms="postgresql,oracle">
    <addColumn tableName="Person"><column name="eMail" type="char(20)"><constraints nullable="false" primaryKey="true" primaryKeyName="p1"/></column></addColumn>
    <createIndex tableName="t" indexName="i" unique="true"><column name="c" descending="true"/></createIndex>
    <insert tableName="u"><column name="password" value="x"/><column name="url" value="jdbc:h2:mem"/></insert>
    <sql>CREATE INDEX CONCURRENTLY i ON ONLY t (c); DELETE FROM t; ALTER USER x IDENTIFIED BY 'y'</sql>
    <modifyDataType tableName="t" columnName="price" newDataType="float(8)"/>
</changeSet>
</databaseChangeLog>
"#;

    const YAML: &str = "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    runInTransaction: false\n    changes:\n      - addColumn:\n          tableName: t\n          columns:\n            - column:\n                name: total\n                type: double\n                constraints:\n                  nullable: false\n      - dropIndex:\n          tableName: t\n          indexName: i\n      - update:\n          tableName: t\n          columns:\n            - column:\n                name: api_key\n                value: k\n";

    const SQL: &str = "--liquibase formatted sql\n--changeset a:1\nCREATE INDEX CONCURRENTLY i ON t (c);\nUPDATE t SET c = 'AKIAABCDEFGHIJKLMNOP';\n--changeset :2\nALTER TABLE t ADD c int;\n";

    /// Half-typed files are normal: no rule panics on any prefix of a changelog.
    #[test]
    fn no_panic_on_prefixes() {
        for text in [XML, YAML, SQL] {
            let mut cut = 0;
            while cut <= text.len() {
                if text.is_char_boundary(cut) {
                    let part = &text[..cut];
                    for rule in super::RULES.iter().chain(crate::rules::convention::RULES) {
                        let o = check(rule, part);
                        for f in &o.findings.items {
                            assert!(f.span.end <= part.len(), "{} span out of range", rule.code);
                        }
                    }
                }
                cut += 3;
            }
        }
    }
}
