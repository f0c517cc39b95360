//! XML: the tag scanner's contexts.

use super::*;

#[test]
fn xml_change_types_inside_a_changeset() {
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <cr|\n");
    let items = at(Format::Xml, &text);
    let ct = find(&items, "createTable");
    assert_eq!(ct.kind, ItemKind::ChangeType);
    assert_eq!(
        ct.documentation.as_deref(),
        Some("Creates a table with its columns.\n\nRequired: `tableName`.")
    );
    assert_eq!(
        ct.insert_text,
        "createTable tableName=\"$1\">\n      $0\n    </createTable>"
    );
    let start = text.find("<cr").unwrap() + 1;
    assert_eq!(ct.replace, Span::new(start, start + 2));
    assert!(items.iter().any(|i| i.label == "rollback"));
    assert!(!items.iter().any(|i| i.label == "changeSet"));
}

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
fn xml_end_tag_closes_the_innermost_element() {
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <ext:thing>\n    </|");
    let items = at(Format::Xml, &text);
    assert_eq!(labels(&items), strings(&["ext:thing"]));
    assert_eq!(items[0].insert_text, "ext:thing>");
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n  </chan|>");
    assert_eq!(at(Format::Xml, &text)[0].insert_text, "changeSet");
}

#[test]
fn xml_nothing_newer_than_the_targeted_liquibase() {
    let text = format!("{XML_HEAD}  <changeSet id=\"1\" author=\"a\">\n    <createTable |");
    let offset = text.find('|').unwrap();
    let plain = text.replacen('|', "", 1);
    let prefs = Prefs {
        version: Some(crate::catalog::Version::new(3, 0)),
        ..Prefs::default()
    };
    let items = complete(&plain, Format::Xml, offset, &NoNames, &prefs);
    let l = labels(&items);
    // ifNotExists came in 4.x; tableName has always been there
    assert!(
        l.contains(&"tableName".to_string()) && !l.contains(&"ifNotExists".to_string()),
        "{l:?}"
    );
}
