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
    assert_eq!(
        ct.insert_text,
        "createTable tableName=\"$1\">\n      $0\n    </createTable>"
    );
    let start = text.find("<cr").unwrap() + 1;
    assert_eq!(ct.replace, Span::new(start, start + 2));
    assert!(items.iter().any(|i| i.label == "rollback"));
    assert!(!items.iter().any(|i| i.label == "changeSet"));
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
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

#[test]
fn xml_attributes_required_first_and_not_repeated() {
    let cs = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n");
    let items = at(Format::Xml, &format!("{cs}    <createTable |"));
    assert_eq!(labels(&items), strings(CREATE_TABLE_ATTRS));
    let t = find(&items, "tableName");
    assert_eq!(t.insert_text, "tableName=\"$1\"");
    assert!(t.snippet);
    assert_eq!(t.detail.as_deref(), Some("text (required)"));
    assert!(t.documentation.is_some());
    // written attributes, before and after the cursor, are left out
    let items = at(
        Format::Xml,
        &format!("{cs}    <createTable tableName=\"t\" | remarks=\"r\">"),
    );
    assert_eq!(
        labels(&items),
        strings(&CREATE_TABLE_ATTRS[1..])
            .into_iter()
            .filter(|l| l != "remarks")
            .collect::<Vec<_>>()
    );
    // a partial name is replaced as a whole
    let text = format!("{cs}    <createTable tab|");
    let items = at(Format::Xml, &text);
    let start = text.rfind("tab").unwrap();
    assert_eq!(
        find(&items, "tableName").replace,
        Span::new(start, start + 3)
    );
}

#[test]
fn xml_children_per_element() {
    let items = at(Format::Xml, &format!("{XML_HEAD}  <|"));
    assert_eq!(
        labels(&items),
        strings(&[
            "changeSet",
            "include",
            "includeAll",
            "modifyChangeSets",
            "preConditions",
            "property",
            "removeChangeSetProperty"
        ])
    );
    let text = format!(
        "{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <createTable tableName=\"t\">\n      <|"
    );
    assert_eq!(labels(&at(Format::Xml, &text)), strings(&["column"]));
    let text = format!(
        "{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <createTable tableName=\"t\">\n      <column name=\"id\" type=\"int\">\n        <|"
    );
    assert_eq!(labels(&at(Format::Xml, &text)), strings(&["constraints"]));
    // closed elements are popped: after </createTable> the changeSet's children are back
    let text = format!(
        "{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <createTable tableName=\"t\"><column name=\"a\"/></createTable>\n    <|"
    );
    let items = at(Format::Xml, &text);
    assert_eq!(find(&items, "addColumn").kind, ItemKind::ChangeType);
    assert_eq!(find(&items, "rollback").kind, ItemKind::Element);
    // in a rollback, change types too
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <rollback>\n      <dr|");
    assert_eq!(
        find(&at(Format::Xml, &text), "dropTable").kind,
        ItemKind::ChangeType
    );
}

#[test]
fn xml_element_in_content_brings_its_own_bracket() {
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    |");
    let items = at(Format::Xml, &text);
    let tag = find(&items, "tagDatabase");
    assert_eq!(tag.insert_text, "<tagDatabase tag=\"$1\"/>$0");
    // but not in text content
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <sql>select |");
    assert!(at(Format::Xml, &text).is_empty());
}

#[test]
fn xml_nothing_in_comments_cdata_and_end_tags() {
    for marked in [
        "<databaseChangeLog>\n  <!-- <cr| -->",
        "<databaseChangeLog>\n  <changeSet><sql><![CDATA[ <cr| ]]></sql>",
    ] {
        assert!(at(Format::Xml, marked).is_empty(), "{marked}");
    }
    // a `>` inside a quoted value or a comment does not end the tag
    let text = format!(
        "{XML_HEAD}<!-- <createTable> -->\n  <changeSet id=\"a>b\" author=\"a\">\n    <createTable |"
    );
    assert_eq!(labels(&at(Format::Xml, &text)), strings(CREATE_TABLE_ATTRS));
}

#[test]
fn xml_values_booleans_and_enumerations() {
    let cs = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n");
    let text = format!(
        "{cs}    <createTable tableName=\"t\">\n      <column name=\"id\" autoIncrement=\"|\""
    );
    let items = at(Format::Xml, &text);
    assert_eq!(labels(&items), strings(&["false", "true"]));
    let at_value = text.find("autoIncrement=\"").unwrap() + "autoIncrement=\"".len();
    assert_eq!(items[0].replace, Span::new(at_value, at_value));
    let text = format!("{cs}    <addForeignKeyConstraint onDelete=\"|");
    assert_eq!(
        labels(&at(Format::Xml, &text)),
        strings(&[
            "CASCADE",
            "NO ACTION",
            "RESTRICT",
            "SET DEFAULT",
            "SET NULL"
        ])
    );
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
fn xml_table_and_column_names_from_earlier_changesets() {
    let marked = people_xml("<addNotNullConstraint tableName=\"|\"/>");
    let names = names_of(Format::Xml, &marked);
    assert_eq!(
        labels(&at_with(Format::Xml, &marked, &names)),
        strings(&["person"])
    );
    // the unterminated value of a half-typed tag: the next `<` ends it
    let marked = people_xml("<addNotNullConstraint tableName=\"pe|\n    <tagDatabase tag=\"x\"/>");
    let items = at_with(Format::Xml, &marked, &names);
    assert_eq!(labels(&items), strings(&["person"]));
    assert_eq!(items[0].kind, ItemKind::Table);
    assert_eq!(items[0].replace.len(), 2);
    // createTable names a new table: no existing names there
    let marked = people_xml("<createTable tableName=\"|\"/>");
    assert!(at_with(Format::Xml, &marked, &names).is_empty());

    let marked =
        people_xml("<addForeignKeyConstraint baseTableName=\"person\" baseColumnNames=\"id, |\"");
    let items = at_with(Format::Xml, &marked, &names);
    assert_eq!(labels(&items), strings(&["email", "id", "name"]));
    assert_eq!(items[0].kind, ItemKind::Column);
    let marked = people_xml(
        "<createIndex tableName=\"person\" indexName=\"i\">\n      <column name=\"|\"/>",
    );
    assert_eq!(
        labels(&at_with(Format::Xml, &marked, &names)),
        strings(&["email", "id", "name"])
    );
    // addColumn defines its columns
    let marked = people_xml("<addColumn tableName=\"person\">\n      <column name=\"|\"/>");
    assert!(at_with(Format::Xml, &marked, &names).is_empty());
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

const YAML_CS: &str =
    "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n";

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
fn json_keys_by_enclosing_objects() {
    let head = "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"1\", \"author\": \"a\", \"changes\": [";
    let items = at(Format::Json, &format!("{head}{{\"cr|"));
    assert_eq!(labels(&items), strings(crate::catalog::change_types()));
    assert_eq!(find(&items, "createTable").insert_text, "createTable");
    let items = at(
        Format::Json,
        &format!("{head}{{\"createTable\": {{\"remarks\": \"x\", |"),
    );
    let l = labels(&items);
    assert_eq!(l[0], "tableName");
    assert!(!l.contains(&"remarks".to_string()) && l.contains(&"columns".to_string()));
    assert_eq!(
        find(&items, "tableName").insert_text,
        "\"tableName\": \"$1\""
    );
    let items = at(
        Format::Json,
        &format!("{head}{{\"createTable\": {{\"ifNotExists\": \"|"),
    );
    assert_eq!(labels(&items), strings(&["false", "true"]));
}

#[test]
fn sql_directives_and_header_attributes() {
    let head = "--liquibase formatted sql\n--changeset ana:1\ncreate table t (id int);\n";
    let items = at(Format::Sql, &format!("{head}--|"));
    assert_eq!(
        labels(&items),
        strings(&[
            "--changeset",
            "--comment",
            "--include",
            "--precondition-sql-check",
            "--preconditions",
            "--property",
            "--rollback",
            "--validCheckSum"
        ])
    );
    assert_eq!(
        changeset_item(&items).insert_text,
        "--changeset ${2:ana}:${1:2}\n$0"
    );
    let start = head.len();
    assert_eq!(items[0].replace, Span::new(start, start + 2));

    let items = at(
        Format::Sql,
        &format!("{head}--changeset ana:2 runOnChange:true |"),
    );
    let l = labels(&items);
    assert!(!l.contains(&"runOnChange".to_string()));
    assert!(l.contains(&"context".to_string()) && l.contains(&"runAlways".to_string()));
    assert_eq!(
        find(&items, "runAlways").insert_text,
        "runAlways:${1|true,false|}"
    );
    let items = at(
        Format::Sql,
        &format!("{head}--changeset ana:2 failOnError:f|"),
    );
    assert_eq!(labels(&items), strings(&["false", "true"]));
    // SQL is SQL
    assert!(at(Format::Sql, &format!("{head}select |")).is_empty());
}

#[test]
fn no_offset_panics() {
    let docs = [
        (Format::Xml, people_xml("<createTable tableName=\"é😀\">\n<column name=\"${x")),
        (Format::Yaml, format!("{YAML_CS}        - createTable:\n            tableName: é😀\n            columns:\n - column: {{name: x}}\n  - ")),
        (Format::Json, "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"é😀\", \"changes\": [{\"".to_string()),
        (Format::Sql, "--liquibase formatted sql\n--changeset é😀:1 runOnChange:\n--rollback é😀\n-".to_string()),
    ];
    let prefs = Prefs::default();
    for (format, text) in &docs {
        let names = FileNames::new(&crate::syntax::parse(text, *format).changelog);
        for offset in 0..text.len() + 4 {
            for item in complete(text, *format, offset, &names, &prefs) {
                assert!(item.replace.start <= item.replace.end && item.replace.end <= text.len());
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
fn xml_end_tag_closes_the_innermost_element() {
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <ext:thing>\n    </|");
    let items = at(Format::Xml, &text);
    assert_eq!(labels(&items), strings(&["ext:thing"]));
    assert_eq!(items[0].insert_text, "ext:thing>");
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n  </chan|>");
    assert_eq!(at(Format::Xml, &text)[0].insert_text, "changeSet");
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

#[test]
fn sql_first_line() {
    let items = at(Format::Sql, "--li|");
    assert_eq!(
        find(&items, "--liquibase formatted sql").kind,
        ItemKind::Snippet
    );
}

#[test]
fn yaml_nothing_in_block_scalars_and_comments() {
    let doc = format!("{YAML_CS}        - sql:\n            sql: |\n              select |");
    assert!(at(Format::Yaml, &doc).is_empty());
    let doc = format!("{YAML_CS}        # a |");
    assert!(at(Format::Yaml, &doc).is_empty());
}
