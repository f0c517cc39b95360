//! JSON and formatted SQL.

use super::*;

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
    let written = at(
        Format::Json,
        &format!("{head}{{\"createTable\": {{\"ifNotExists\": true, \"|"),
    );
    assert!(!labels(&written).contains(&"ifNotExists".to_string()));
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
fn sql_first_line() {
    let items = at(Format::Sql, "--li|");
    assert_eq!(
        find(&items, "--liquibase formatted sql").kind,
        ItemKind::Snippet
    );
}
