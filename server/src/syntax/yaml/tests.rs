use super::parse;
use crate::diagnostics::codes;
use crate::model::{Format, Parsed};

fn yaml(text: &str) -> Parsed {
    parse(text, Format::Yaml)
}

fn first_syntax_error(p: &Parsed) -> &crate::model::Diagnostic {
    p.diagnostics
        .iter()
        .find(|d| d.code == codes::SYNTAX)
        .expect("a syntax error")
}

fn ids(p: &Parsed) -> Vec<(String, String, Vec<String>)> {
    p.changelog.identities()
}

const BASIC: &str = "databaseChangeLog:
- logicalFilePath: db/main.yaml
- property:
    name: schema
    value: public
- include:
    file: other.yaml
    relativeToChangelogFile: true
- changeSet:
    id: 1
    author: bob
    comment: first
    validCheckSum: [abc, def]
    preConditions:
    - onFail: MARK_RAN
    - not:
      - tableExists:
          tableName: person
    changes:
    - createTable:
        tableName: person
        columns:
        - column:
            name: id
            type: int
            constraints:
              primaryKey: true
    - sql: select 1
    rollback:
      dropTable:
        tableName: person
- changeSet:
    id: 'a:b'
    author: \"ann\"
    changes:
    - sql:
        sql: select 2
    rollback: drop table x
";

#[test]
fn lowers_a_yaml_changelog_like_xml() {
    let p = yaml(BASIC);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let log = &p.changelog;
    assert_eq!(
        ids(&p),
        [
            (
                "1".into(),
                "bob".into(),
                vec!["createTable".into(), "sql".into()]
            ),
            ("a:b".into(), "ann".into(), vec!["sql".into()]),
        ]
    );
    assert_eq!(
        log.logical_file_path.as_ref().unwrap().value,
        "db/main.yaml"
    );
    assert_eq!(log.properties[0].name.as_ref().unwrap().value, "schema");
    assert!(log.includes[0].relative_to_changelog_file);
    let cs = &log.changesets[0];
    assert_eq!(cs.comment.as_ref().unwrap().value, "first");
    assert_eq!(cs.valid_checksums.len(), 2);
    let pre = cs.preconditions.as_ref().unwrap();
    assert_eq!(pre.attr_value("onFail"), Some("MARK_RAN"));
    assert!(pre.child("not").unwrap().child("tableExists").is_some());
    let create = &cs.changes[0];
    let col = create.columns().next().unwrap();
    assert_eq!(col.attr_value("name"), Some("id"));
    assert_eq!(
        col.child("constraints").unwrap().attr_value("primaryKey"),
        Some("true")
    );
    assert_eq!(cs.changes[1].sql_text().unwrap().value, "select 1");
    assert_eq!(cs.rollback_kinds(), ["dropTable"]);
    // spans: header is the key, id value span is the value text
    assert_eq!(&BASIC[cs.header.start..cs.header.end], "changeSet");
    let id = cs.id.as_ref().unwrap();
    assert_eq!(&BASIC[id.span.start..id.span.end], "1");
    let cs2 = &log.changesets[1];
    let id2 = cs2.id.as_ref().unwrap();
    assert_eq!(&BASIC[id2.span.start..id2.span.end], "a:b");
    assert_eq!(cs2.changes[0].sql_text().unwrap().value, "select 2");
    assert_eq!(cs2.rollbacks[0].sql.as_ref().unwrap().value, "drop table x");
    // the changeset element keeps the rollback as a child, like <rollback> in XML
    let rb = cs2.element.child("rollback").unwrap();
    assert_eq!(rb.text.as_ref().unwrap().value, "drop table x");
    assert!(cs2.element.attr("rollback").is_none());
    assert!(BASIC[cs.span.start..cs.span.end].ends_with("tableName: person"));
}

#[test]
fn lowers_json_the_same_way() {
    let text = r#"{"databaseChangeLog": [
  {"changeSet": {"id": 7, "author": "x", "changes": [
    {"createTable": {"tableName": "t", "columns": [{"column": {"name": "a", "type": "int"}}]}},
    {"sql": "select 1"}]}}
]}"#;
    let p = parse(text, Format::Json);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(
        ids(&p),
        [(
            "7".into(),
            "x".into(),
            vec!["createTable".into(), "sql".into()]
        )]
    );
    let cs = &p.changelog.changesets[0];
    let author = cs.author.as_ref().unwrap();
    assert_eq!(&text[author.span.start..author.span.end], "x");
    assert!(text[cs.span.start..cs.span.end].starts_with("{\"changeSet\""));
    assert!(
        text[cs.span.start..cs.span.end].ends_with("]}}"),
        "{:?}",
        cs.span
    );
}

#[test]
fn rollback_forms() {
    let text = "databaseChangeLog:
- changeSet:
    id: 1
    author: a
    changes: [{sql: x}]
    rollback: {changeSetId: 9, changeSetAuthor: z}
- changeSet:
    id: 2
    author: a
    changes: [{sql: x}]
    rollback:
    - dropTable: {tableName: t}
    - sql: {sql: drop}
- changeSet:
    id: 3
    author: a
    changes: [{sql: x}]
    rollback:
";
    let p = yaml(text);
    let cs = &p.changelog.changesets;
    let r = cs[0].rollbacks[0].changeset_ref.as_ref().unwrap();
    assert_eq!(r.id.as_ref().unwrap().value, "9");
    assert!(cs[0].rollbacks[0].changes.is_empty());
    assert_eq!(cs[1].rollback_kinds(), ["dropTable", "sql"]);
    assert!(cs[2].rollbacks[0].empty);
}

#[test]
fn multibyte_text_gets_byte_offsets() {
    let text = "# é中😀\ndatabaseChangeLog:\n- changeSet:\n    id: \"é中😀\"\n    author: 中\n";
    let p = yaml(text);
    let cs = &p.changelog.changesets[0];
    let id = cs.id.as_ref().unwrap();
    assert_eq!(&text[id.span.start..id.span.end], "é中😀");
    let au = cs.author.as_ref().unwrap();
    assert_eq!(&text[au.span.start..au.span.end], "中");
}

#[test]
fn bom_and_crlf_keep_offsets() {
    let text = "\u{feff}databaseChangeLog:\r\n- changeSet:\r\n    id: x1\r\n    author: a\r\n";
    let p = yaml(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let id = p.changelog.changesets[0].id.as_ref().unwrap();
    assert_eq!(&text[id.span.start..id.span.end], "x1");
}

#[test]
fn truncation_keeps_complete_changesets() {
    let full = yaml(BASIC);
    let first_end = full.changelog.changesets[0].span.end;
    for cut in first_end..BASIC.len() {
        let p = yaml(&BASIC[..cut]);
        assert_eq!(ids(&p)[..1], ids(&full)[..1], "cut at {cut}");
    }
    // JSON cut anywhere: no panic
    let json = r#"{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "a", "changes": [{"sql": "x"}]}}, {"changeSet": {"id": "2"}}]}"#;
    for cut in 0..json.len() {
        let p = parse(&json[..cut], Format::Json);
        if cut > json.find("}}, ").unwrap() + 2 {
            assert_eq!(ids(&p)[0].0, "1", "cut at {cut}");
        }
    }
}

#[test]
fn syntax_error_is_at_the_marker_and_keeps_what_came_before() {
    let text =
        "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n- changeSet:\n    id: \"2\n";
    let p = yaml(text);
    let e = first_syntax_error(&p);
    assert!(e.span.start >= text.find("\"2").unwrap(), "{e:?}");
    assert_eq!(p.changelog.changesets[0].id_str(), "1");
}

#[test]
fn tab_indentation_is_a_syntax_error() {
    let text = "databaseChangeLog:\n- changeSet:\n\tid: 1\n";
    let p = yaml(text);
    let e = first_syntax_error(&p);
    assert_eq!(&text[e.span.start..e.span.end], "\t", "{e:?}");
}

#[test]
fn deep_nesting_is_cut_once() {
    let open = "[".repeat(10_000);
    let closed = format!("{open}{}", "]".repeat(10_000));
    for nested in [open, closed] {
        let p = yaml(&format!("databaseChangeLog: {nested}"));
        let too_deep = p.diagnostics.iter().filter(|d| d.code == codes::TOO_DEEP);
        assert_eq!(too_deep.count(), 1);
    }
}

#[test]
fn alias_bomb_stays_bounded() {
    let mut text = String::from("a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    text.push_str("databaseChangeLog: [{changeSet: {id: 1, author: a}}]\n");
    let p = yaml(&text);
    assert!(p.diagnostics.iter().any(|d| d.code == codes::NOT_EXPANDED));
    assert_eq!(p.changelog.changesets.len(), 1);
}

#[test]
fn aliases_expand() {
    let text = "cols: &cols\n  - column: {name: id, type: int}\ndatabaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    changes:\n    - createTable:\n        tableName: t\n        columns: *cols\n";
    let p = yaml(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.changelog.changesets[0].changes[0].columns().count(), 1);
}

#[test]
fn not_a_changelog() {
    for text in ["", "foo: bar\n", "[1, 2]", "just text"] {
        let p = yaml(text);
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.code == codes::NOT_A_CHANGELOG),
            "{text:?}"
        );
    }
}

#[test]
fn duplicate_keys_keep_the_last_like_snakeyaml() {
    let text = "databaseChangeLog:\n- changeSet: {id: 1, author: a}\ndatabaseChangeLog:\n- changeSet: {id: 2, author: a, author: b}\n";
    let p = yaml(text);
    assert_eq!(ids(&p), [("2".into(), "b".into(), vec![])]);
}

#[test]
fn a_list_named_like_its_items_is_a_wrapper() {
    let text = "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    changes:\n    - createTable:\n        tableName: t\n        column:\n        - column: {name: id, type: int}\n        - column: {name: b, type: int}\n";
    let p = yaml(text);
    assert_eq!(p.changelog.changesets[0].changes[0].columns().count(), 2);
}

#[test]
fn an_unclosed_string_is_reported_at_its_quote() {
    let text = "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: \"a\n    changes: []\n";
    let p = yaml(text);
    let e = first_syntax_error(&p);
    assert_eq!(e.span.start, text.find("\"a").unwrap());
    let p = parse("{\"databaseChangeLog\": [", Format::Json);
    assert!(
        p.diagnostics[0].message.starts_with("JSON"),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn block_scalar_value_span_is_its_content() {
    let text = "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    changes:\n    - sql:\n        sql: |\n          select 1\n          from t\n\n- changeSet: {id: 2, author: a}\n";
    let p = yaml(text);
    let sql = p.changelog.changesets[0].changes[0].sql_text().unwrap();
    assert_eq!(
        &text[sql.span.start..sql.span.end],
        "select 1\n          from t"
    );
    assert_eq!(sql.value, "select 1\nfrom t\n");
}

#[test]
fn checksums_lists_and_nested_preconditions() {
    let text = "databaseChangeLog:
- changeSet:
    id: 1
    author: a
    dbms: [h2, postgresql]
    validCheckSums:
    - ANY
    - 8:abc
    preConditions:
      nestedPreconditions:
      - or:
          nestedPreconditions:
          - sqlCheck: {expectedResult: '0', sql: select 1}
          - tableExists: {tableName: t}
    changes: [{sql: x}]
- changeSet: {id: 2, author: a, validCheckSum: xyz}
";
    let p = yaml(text);
    let cs = &p.changelog.changesets[0];
    assert_eq!(cs.dbms(), ["h2", "postgresql"]);
    let sums: Vec<&str> = cs
        .valid_checksums
        .iter()
        .map(|s| s.value.as_str())
        .collect();
    assert_eq!(sums, ["ANY", "8:abc"]);
    assert_eq!(cs.element.children_named("validCheckSum").count(), 2);
    let or = cs.preconditions.as_ref().unwrap().child("or").unwrap();
    assert_eq!(or.children.len(), 2);
    assert_eq!(p.changelog.changesets[1].valid_checksums[0].value, "xyz");
    assert_eq!(ids(&p)[0].2, ["sql"]);
}

#[test]
fn tagged_scalars_are_not_resolved() {
    let p = yaml("databaseChangeLog:\n- changeSet:\n    id: !!str 1.10\n    author: 1.10\n");
    assert_eq!(ids(&p), [("1.10".into(), "1.1".into(), vec![])]);
}

#[test]
fn changesets_after_a_damaged_one_are_still_read() {
    let text = "databaseChangeLog:
  - changeSet:
      id: 1
      author: a
  - changeSet:
      id: 2
      author: \"b
  - changeSet:
      id: 3
      author: c
      bad: [
  - changeSet:
      id: 4
      author: d
";
    let p = yaml(text);
    let got: Vec<String> = ids(&p).into_iter().map(|i| i.0).collect();
    assert_eq!(got, ["1", "2", "3", "4"]);
    assert_eq!(
        p.diagnostics
            .iter()
            .filter(|d| d.code == codes::SYNTAX)
            .count(),
        2
    );
}

#[test]
fn an_empty_changeset_item_is_a_changeset() {
    let p = yaml("databaseChangeLog:\n- comment: top\n- changeSet:\n");
    assert_eq!(p.changelog.changesets.len(), 1);
    let root = p.changelog.root.as_ref().unwrap();
    assert_eq!(
        root.child("comment").unwrap().text.as_ref().unwrap().value,
        "top"
    );
}

#[test]
fn a_changes_mapping_is_a_wrapper_too() {
    let p = yaml("databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    changes:\n      createTable: {tableName: t}\n      sql: select 1\n");
    assert_eq!(ids(&p)[0].2, ["createTable", "sql"]);
}

#[test]
fn a_bracket_in_a_block_scalar_does_not_cut_the_document() {
    let text = "databaseChangeLog:
- changeSet:
    id: 1
    author: a
    changes:
    - sql:
        sql: |
          [not flow
- changeSet:
    id: 2
    author: b
    bad: \"x
";
    let p = yaml(text);
    let got: Vec<String> = ids(&p).into_iter().map(|i| i.0).collect();
    assert_eq!(got, ["1", "2"]);
    let sql = p.changelog.changesets[0].changes[0].sql_text().unwrap();
    assert_eq!(sql.value, "[not flow\n");
}

#[test]
fn duplicate_keys_keep_the_last_in_small_and_large_mappings() {
    for filler in [0, 100] {
        let extra: String = (0..filler).map(|i| format!("      k{i}: v\n")).collect();
        let text = format!(
            "databaseChangeLog:\n- changeSet:\n      id: 1\n      author: a\n{extra}      id: 2\n      changes:\n      - sql: select 1\n"
        );
        let p = yaml(&text);
        assert_eq!(
            p.changelog.changesets[0].id_str(),
            "2",
            "{filler} other keys"
        );
    }
}
