//! Tests over every rule at once: each documented example behaves as documented, and no rule (nor
//! its fixes) panics or reports outside the text on any prefix of a changelog.

use serde_json::{json, Value};

use super::config::Config;
use super::registry;
use super::testing::{check_with, xml};
use crate::diagnostics::codes;

/// Options that make a rule's documented "bad" example fire (as the example's comment says).
fn doc_options(code: &str) -> Value {
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

/// Wraps a documentation snippet into a changelog: changesets as they are, changes in a changeset,
/// columns in a createTable.
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

#[test]
fn documented_examples_behave() {
    let mut wrong = Vec::new();
    for &rule in registry::all() {
        let opts = doc_options(rule.code);
        let bad = changelog(rule.doc.bad);
        if check_with(rule, &bad, opts.clone()).count() == 0 {
            wrong.push(format!("{}: bad example is silent\n{bad}", rule.code));
        }
        // Suppression comments are applied by the engine, not by a single rule's check.
        if rule.doc.good.contains("lqls-disable") {
            continue;
        }
        let good = changelog(rule.doc.good);
        let found =
            check_with(rule, &good, opts).count() + check_with(rule, &good, json!({})).count();
        if found > 0 {
            wrong.push(format!("{}: good example fires\n{good}", rule.code));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Every rule on, each with the options its documentation uses.
fn all_rules() -> crate::validate::Options {
    let mut rules = serde_json::Map::new();
    for cat in ["policy", "safety", "convention"] {
        rules.insert(cat.into(), json!("on"));
    }
    for &rule in registry::all() {
        if let Value::Object(o) = doc_options(rule.code) {
            if !o.is_empty() {
                rules.insert(rule.code.into(), Value::Object(o));
            }
        }
    }
    let loaded = Config::from_json(&json!({ "rules": rules }));
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    crate::validate::Options {
        rules: std::sync::Arc::new(loaded.config.expect("valid")),
        ..Default::default()
    }
}

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
const YAML: &str = "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    runInTransaction: false\n    changes:\n      - addColumn:\n          tableName: t\n          columns:\n            - column:\n                name: total\n                type: double\n            constraints:\n                  nullable: false\n      - dropIndex:\n          tableName: t\n          indexName: i\n      - update:\n          tableName: t\n          columns:\n            - column:\n                name: api_key\n                value: k\n";
const SQL: &str = "--liquibase formatted sql\n--changeset a:1\nCREATE INDEX CONCURRENTLY i ON t (c);\nUPDATE t SET c = 'AKIAABCDEFGHIJKLMNOP';\n--changeset :2\nALTER TABLE t ADD c int;\n";

/// Half-typed files are normal: with every rule on, no prefix of these changelogs makes the engine
/// (rules, their fixes, suppression) panic or point outside the text.
#[test]
fn no_rule_panics_on_prefixes() {
    let opts = all_rules();
    let samples = [
            xml(r#"<changeSet id="1" author="a"><comment>c</comment><createTable tableName="order" remarks="x"><column name="user" type="int"><constraints primaryKey="true" primaryKeyName="pk"/></column></createTable>
<sql>grant select, delete on t to u with grant option; select * from t; use db; revoke all on t from u</sql></changeSet>"#),
            "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - sql:\n            sql: GRANT ALL ON t TO u WITH ADMIN OPTION\n        - createTable:\n            tableName: user\n".to_string(),
            "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"1\", \"author\": \"a\", \"changes\": [{\"dropTable\": {\"tableName\": \"t\"}}]}}]}".to_string(),
            "--liquibase formatted sql\n--changeset a:1 labels:x context:y\n--comment: hi\ncreate table t (a int); grant select on t to u;\n".to_string(),
        ];
    for text in samples.iter().map(String::as_str).chain([XML, YAML, SQL]) {
        let format = crate::syntax::detect_format(None, text);
        for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            let part = &text[..end];
            let a = crate::analysis::analyze(part, format, &opts);
            let well_formed = !a.diagnostics.iter().any(|d| d.code == codes::SYNTAX);
            for d in &a.diagnostics {
                assert!(d.span.end <= part.len(), "{}: span out of range", d.code);
                for f in &super::engine::quick_fixes(part, &a.changelog, d) {
                    // A fix never breaks a file that was well-formed.
                    let (fixed, _) = super::engine::apply_fixes(part, &[f]);
                    if well_formed {
                        let re = crate::syntax::parse(&fixed, format);
                        let broken = re.diagnostics.iter().find(|x| x.code == codes::SYNTAX);
                        assert!(
                            broken.is_none(),
                            "{} fix {:?} breaks the file: {broken:?}\n{fixed}",
                            d.code,
                            f.title
                        );
                    }
                }
            }
        }
    }
}
