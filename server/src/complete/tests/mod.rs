//! Completion by syntax, on half-typed documents. `|` marks the cursor.

use super::*;

mod other;
mod xml;
mod yaml;

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
        version: None,
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

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A people table (id, name, email) created in changeset 1, then changeset 2 at the cursor.
fn people_xml(cursor_part: &str) -> String {
    format!(
        "{XML_HEAD}  <property name=\"schema\" value=\"app\"/>\n  <changeSet id=\"1\" author=\"ana\">\n    <createTable tableName=\"person\">\n      <column name=\"id\" type=\"int\"/>\n      <column name=\"name\" type=\"text\"/>\n    </createTable>\n    <addColumn tableName=\"person\"><column name=\"email\" type=\"text\"/></addColumn>\n  </changeSet>\n  <changeSet id=\"2\" author=\"bob\">\n    {cursor_part}\n  </changeSet>\n</databaseChangeLog>\n"
    )
}

fn names_of(format: Format, marked: &str) -> FileNames {
    let text = marked.replacen('|', "", 1);
    FileNames::new(&crate::syntax::parse(&text, format).changelog)
}

#[test]
fn names_follow_the_schema_at_the_cursor() {
    let text = format!(
        "{XML_HEAD}  <changeSet id=\"1\" author=\"a\"><createTable tableName=\"a\"><column name=\"x\"/></createTable></changeSet>\n  <changeSet id=\"2\" author=\"a\"><renameTable oldTableName=\"a\" newTableName=\"b\"/><renameColumn tableName=\"b\" oldColumnName=\"x\" newColumnName=\"y\"/></changeSet>\n  <changeSet id=\"3\" author=\"a\"><createTable tableName=\"c\"/><dropTable tableName=\"c\"/></changeSet>\n"
    );
    let names = FileNames::new(&crate::syntax::parse(&text, Format::Xml).changelog);
    assert_eq!(names.tables(0), Vec::<String>::new());
    let second = text.find("<changeSet id=\"2\"").unwrap();
    assert_eq!(names.tables(second), strings(&["a"]));
    assert_eq!(names.tables(text.len()), strings(&["b"]));
    assert_eq!(names.columns(text.len(), "B"), strings(&["y"]));
}

#[test]
fn properties_after_dollar_brace() {
    let marked = people_xml("<dropTable tableName=\"${sch|\"/>");
    let names = names_of(Format::Xml, &marked);
    let items = at_with(Format::Xml, &marked, &names);
    assert_eq!(labels(&items), strings(&["schema"]));
    assert_eq!(items[0].insert_text, "schema}");
    assert_eq!(items[0].detail.as_deref(), Some("app"));
    assert_eq!(items[0].replace.len(), 3);
    let marked = people_xml("<dropTable tableName=\"${|}\"/>");
    assert_eq!(
        at_with(Format::Xml, &marked, &names)[0].insert_text,
        "schema"
    );
    // a closed reference before the cursor is not completed again
    let marked = people_xml("<dropTable tableName=\"${schema}.|\"/>");
    assert!(at_with(Format::Xml, &marked, &names)
        .iter()
        .all(|i| i.kind != ItemKind::Property));
}

fn changeset_item(items: &[Item]) -> &Item {
    items
        .iter()
        .find(|i| i.kind == ItemKind::Snippet)
        .expect("a new changeset snippet")
}

#[test]
fn new_changeset_follows_the_ids_and_authors_of_the_file() {
    let text = format!(
        "{XML_HEAD}  <changeSet id=\"001\" author=\"ana\"/>\n  <changeSet id=\"002\" author=\"ana\"/>\n  <changeSet id=\"003\" author=\"bob\"/>\n  <|\n</databaseChangeLog>\n"
    );
    let items = at(Format::Xml, &text);
    let cs = changeset_item(&items);
    assert_eq!(cs.label, "changeSet");
    assert_eq!(
        cs.insert_text,
        "changeSet id=\"${1:004}\" author=\"${2:ana}\">\n    $0\n  </changeSet>"
    );
    assert_eq!(cs.sort_text, "0changeSet");
    // the preferred author and the configured pattern win
    let offset = text.find('|').unwrap();
    let plain = text.replacen('|', "", 1);
    let prefs = Prefs {
        author: Some("zoe".into()),
        fallback_author: None,
        id_pattern: Some("^[0-9]{8}-[0-9]+$".into()),
        now: Clock::from_unix(1_764_580_000),
        version: None,
    };
    let items = complete(&plain, Format::Xml, offset, &NoNames, &prefs);
    assert!(changeset_item(&items)
        .insert_text
        .starts_with("changeSet id=\"${1:20251201-1}\" author=\"${2:zoe}\""));
    // nothing to follow: a timestamp and the fallback author
    let items = at(Format::Xml, &format!("{XML_HEAD}  <|"));
    assert!(changeset_item(&items)
        .insert_text
        .contains("id=\"${1:20251201090640}\" author=\"${2:me}\""));
}

#[test]
fn yaml_new_changeset_under_the_root() {
    let items = at(
        Format::Yaml,
        "databaseChangeLog:\n  - changeSet:\n      id: 7\n      author: ana\n  - |",
    );
    let cs = changeset_item(&items);
    assert_eq!(
        cs.insert_text,
        "changeSet:\n      id: ${1:8}\n      author: ${2:ana}\n      changes:\n        - $0"
    );
    assert!(labels(&items).contains(&"include".to_string()));
}

#[test]
fn no_offset_panics() {
    let docs = [
        (Format::Xml, people_xml("<createTable tableName=\"é😀\">\n<column name=\"${x")),
        (Format::Xml, format!("{XML_HEAD}<!-- é --><changeSet><sql><![CDATA[x]]></sql></changeSet></databaseChangeLog>")),
        (Format::Yaml, format!("{YAML_CS}        - createTable:\n            tableName: é😀\n            columns:\n - column: {{name: x}}\n  - ")),
        (Format::Json, "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"é😀\", \"changes\": [{\"".to_string()),
        (Format::Sql, "--liquibase formatted sql\n--changeset é😀:1 runOnChange:\n--rollback é😀\n-".to_string()),
    ];
    let prefs = Prefs::default();
    for (format, text) in &docs {
        let names = FileNames::new(&crate::syntax::parse(text, *format).changelog);
        for offset in 0..text.len() + 4 {
            for item in complete(text, *format, offset, &names, &prefs) {
                // LSP: the edit is on one line and contains the position
                let o = super::cursor::clamp(text, offset);
                assert!(
                    item.replace.start <= o
                        && o <= item.replace.end
                        && item.replace.end <= text.len()
                );
                assert!(!text[item.replace.start..item.replace.end].contains('\n'));
                assert!(
                    text.is_char_boundary(item.replace.start)
                        && text.is_char_boundary(item.replace.end)
                );
            }
        }
    }
}

#[test]
fn changeset_id_and_author_values() {
    let doc = "databaseChangeLog:\n  - changeSet:\n      id: JIRA-9-1\n      author: ana\n  - changeSet:\n      id: |\n";
    let items = at(Format::Yaml, doc);
    assert_eq!(labels(&items), strings(&["JIRA-9-2"]));
    let text = format!(
        "{XML_HEAD}  <changeSet id=\"4\" author=\"bob\"/>\n  <changeSet id=\"5\" author=\"|\""
    );
    assert_eq!(labels(&at(Format::Xml, &text)), strings(&["bob"]));
}

#[test]
fn renaming_an_attribute_keeps_its_value() {
    let cs = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n");
    let items = at(Format::Xml, &format!("{cs}    <createTable tab|=\"t\">"));
    assert_eq!(find(&items, "tableName").insert_text, "tableName");
    let items = at(
        Format::Yaml,
        &format!("{YAML_CS}        - createTable:\n            rem|: x\n"),
    );
    assert_eq!(find(&items, "remarks").insert_text, "remarks");
}

const CREATE_TABLE_ATTRS: &[&str] = &[
    "tableName",
    "catalogName",
    "ifNotExists",
    "remarks",
    "rowDependencies",
    "schemaName",
    "tableType",
    "tablespace",
];

const YAML_CS: &str =
    "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n";
