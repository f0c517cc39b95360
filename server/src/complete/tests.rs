//! Completion by syntax, on half-typed documents. `|` marks the cursor.

use super::*;

/// Completes at the `|` of `marked` with no names known.
fn at(format: Format, marked: &str) -> Vec<Item> {
    at_with(format, marked, &NoNames)
}

fn at_with(format: Format, marked: &str, names: &dyn Names) -> Vec<Item> {
    let offset = marked.find('|').expect("a cursor mark");
    let text = marked.replacen('|', "", 1);
    let prefs = Prefs {
        author: None,
        fallback_author: Some("me".into()),
        id_pattern: None,
        now: Clock::from_unix(1_764_580_000),
    };
    complete(&text, format, offset, names, &prefs)
}

/// Labels in the order an editor shows them (by sort text, then label).
fn labels(items: &[Item]) -> Vec<String> {
    let mut v: Vec<&Item> = items.iter().collect();
    v.sort_by(|a, b| (&a.sort_text, &a.label).cmp(&(&b.sort_text, &b.label)));
    v.iter().map(|i| i.label.clone()).collect()
}

fn find<'a>(items: &'a [Item], label: &str) -> &'a Item {
    items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| panic!("no {label} in {:?}", labels(items)))
}

const XML_HEAD: &str = "<?xml version=\"1.0\"?>\n<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n";

#[test]
fn xml_change_types_inside_a_changeset() {
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <cr|\n");
    let items = at(Format::Xml, &text);
    let ct = find(&items, "createTable");
    assert_eq!(ct.kind, ItemKind::ChangeType);
    assert!(ct.documentation.as_deref().unwrap().contains("table"));
    assert_eq!(ct.insert_text, "createTable tableName=\"$1\">\n      $0\n    </createTable>");
    let start = text.find("<cr").unwrap() + 1;
    assert_eq!(ct.replace, Span::new(start, start + 2));
    assert!(items.iter().any(|i| i.label == "rollback"));
    assert!(!items.iter().any(|i| i.label == "changeSet"));
}

#[test]
fn debug_dump() {
    let cases: &[(Format, &str)] = &[
        (Format::Xml, "<databaseChangeLog>\n  <changeSet id=\"1\" author=\"a\">\n    <createTable |"),
        (Format::Xml, "<databaseChangeLog>\n  <|"),
        (Format::Xml, "<databaseChangeLog>\n  <changeSet id=\"1\" author=\"a\">\n    <createTable tableName=\"t\">\n      <|"),
        (Format::Yaml, "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - |"),
        (Format::Yaml, "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - createTable:\n            tableName: t\n            |"),
        (Format::Yaml, "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - createTable:\n            tableName: t\n            columns:\n              - column:\n                  name: id\n                  autoIncrement: |"),
        (Format::Yaml, "databaseChangeLog:\n  - |"),
        (Format::Json, "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"1\", \"changes\": [{\"|"),
        (Format::Json, "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"1\", \"changes\": [{\"createTable\": {\"|"),
        (Format::Sql, "--liquibase formatted sql\n--cha|"),
        (Format::Sql, "--liquibase formatted sql\n--changeset a:1 |"),
        (Format::Sql, "--liquibase formatted sql\n--changeset a:1 runOnChange:|"),
    ];
    for (f, t) in cases {
        let items = at(*f, t);
        eprintln!("{f:?} {t:?}\n  => {:?}", labels(&items));
        for i in items.iter().take(2) {
            eprintln!("     {:?} {:?}", i.insert_text, i.detail);
        }
    }
}
