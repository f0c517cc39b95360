//! YAML: contexts from indentation.

use super::*;

#[test]
fn yaml_change_types_under_changes() {
    let items = at(Format::Yaml, &format!("{YAML_CS}        - |"));
    assert_eq!(labels(&items), strings(crate::catalog::change_types()));
    let ct = find(&items, "createTable");
    assert_eq!(ct.insert_text, "createTable:\n            tableName: $1");
    let items = at(Format::Yaml, &format!("{YAML_CS}        - crea|"));
    let start = YAML_CS.len() + 10;
    assert_eq!(
        find(&items, "createTable").replace,
        Span::new(start, start + 4)
    );
}

#[test]
fn yaml_keys_of_an_element_are_attributes_and_nested_elements() {
    let items = at(
        Format::Yaml,
        &format!("{YAML_CS}        - createTable:\n            schemaName: s\n            |\n            remarks: r\n"),
    );
    let mut expected = strings(CREATE_TABLE_ATTRS);
    expected.retain(|l| l != "schemaName" && l != "remarks");
    expected.push("columns".into());
    assert_eq!(labels(&items), expected);
    assert_eq!(find(&items, "tableName").insert_text, "tableName: ");
    assert_eq!(
        find(&items, "columns").insert_text,
        "columns:\n              - column:\n                  $0"
    );
    // changeSet keys: its attributes, then changes, comment, rollback, ...
    let items = at(
        Format::Yaml,
        "databaseChangeLog:\n  - changeSet:\n      id: 1\n      |",
    );
    let l = labels(&items);
    assert!(!l.contains(&"id".to_string()));
    assert_eq!(l[0], "author");
    assert!(l.contains(&"changes".to_string()) && l.contains(&"rollback".to_string()));
    assert!(!l.contains(&"createTable".to_string()));
}

#[test]
fn yaml_values_and_names() {
    let text = format!(
        "{YAML_CS}        - createTable:\n            tableName: person\n            columns:\n              - column:\n                  name: id\n                  autoIncrement: |\n"
    );
    assert_eq!(
        labels(&at(Format::Yaml, &text)),
        strings(&["false", "true"])
    );
    let doc = format!(
        "{YAML_CS}        - createTable:\n            tableName: person\n            columns:\n              - column:\n                  name: id\n              - column:\n                  name: name\n  - changeSet:\n      id: 2\n      author: a\n      changes:\n        - createIndex:\n            tableName: person\n            columns:\n              - column:\n                  name: |\n"
    );
    let names = names_of(Format::Yaml, &doc);
    assert_eq!(
        labels(&at_with(Format::Yaml, &doc, &names)),
        strings(&["id", "name"])
    );
    let doc2 = doc.replace("        - createIndex:\n            tableName: person\n            columns:\n              - column:\n                  name: |\n", "        - dropTable:\n            tableName: \"pe|\"\n");
    let items = at_with(Format::Yaml, &doc2, &names);
    assert_eq!(labels(&items), strings(&["person"]));
    assert_eq!(items[0].replace.len(), 2);
}

#[test]
fn yaml_nothing_in_block_scalars_and_comments() {
    let doc = format!("{YAML_CS}        - sql:\n            sql: |\n              select |");
    assert!(at(Format::Yaml, &doc).is_empty());
    let doc = format!("{YAML_CS}        # a |");
    assert!(at(Format::Yaml, &doc).is_empty());
}

#[test]
fn yaml_rollback_and_precondition_items() {
    let doc = "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      rollback:\n        - dro|";
    let items = at(Format::Yaml, doc);
    assert_eq!(find(&items, "dropTable").kind, ItemKind::ChangeType);
    let doc = "databaseChangeLog:\n  - preConditions:\n      - onFail: HALT\n      - |";
    let l = labels(&at(Format::Yaml, doc));
    assert!(
        ["and", "dbms", "not", "or", "tableExists"]
            .iter()
            .all(|p| l.contains(&p.to_string())),
        "{l:?}"
    );
}
