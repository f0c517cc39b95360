//! Validator tests on hand-built trees (the shape every parser lowers to).
use super::*;
use crate::diagnostics::codes;
use crate::model::{Attr, ChangeSet, Element, Span, Spanned};

/// Spans are fake but unique per name so tests can tell which name a diagnostic points at.
fn s(text: &str, at: usize) -> Spanned<String> {
    Spanned::new(text.to_string(), Span::new(at, at + text.len()))
}

struct B(Element);

fn next() -> usize {
    // Tests run on several threads; a thread-local counter keeps spans distinct within one test.
    thread_local!(static N: std::cell::Cell<usize> = const { std::cell::Cell::new(1) });
    N.with(|n| {
        let v = n.get();
        n.set(v + 100);
        v
    })
}

fn el(name: &str) -> B {
    let at = next();
    B(Element {
        name: s(name, at),
        span: Span::new(at - 1, at + 50),
        ..Element::default()
    })
}

impl B {
    fn a(mut self, name: &str, value: &str) -> B {
        let at = next();
        self.0.attrs.push(Attr {
            name: s(name, at),
            value: s(value, at + name.len() + 2),
            namespace: None,
        });
        self
    }
    fn ns(mut self) -> B {
        self.0.namespace = Some("http://example.com/ext".into());
        self
    }
    fn c(mut self, child: B) -> B {
        self.0.children.push(std::sync::Arc::new(child.0));
        self
    }
}

fn changelog(format: Format, root: B) -> ChangeLog {
    let mut cl = ChangeLog::empty(format);
    let root = root.0;
    for cs in root.children_named("changeSet") {
        cl.changesets.push(ChangeSet {
            id: cs.attr("id").map(|a| a.value.clone()),
            author: cs.attr("author").map(|a| a.value.clone()),
            attrs: cs.attrs.clone(),
            comment: None,
            changes: Vec::new(),
            rollbacks: Vec::new(),
            preconditions: None,
            valid_checksums: Vec::new(),
            span: cs.span,
            header: cs.name.span,
            element: cs.clone(),
        });
    }
    cl.root = Some(root);
    cl
}

fn run(format: Format, root: B, version: Option<&str>) -> Vec<Diagnostic> {
    let opts = Options {
        liquibase_version: version.map(str::to_string),
        ..Default::default()
    };
    validate(&changelog(format, root), &opts)
}

fn cs(id: &str) -> B {
    el("changeSet").a("id", id).a("author", "me")
}

fn codes_of(d: &[Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code).collect()
}

#[test]
fn clean_changelog_has_no_diagnostics() {
    let root = el("databaseChangeLog").c(cs("1").c(el("createTable").a("tableName", "t").c(el(
        "column",
    )
    .a("name", "id")
    .a("type", "int")
    .c(el("constraints").a("nullable", "false")))));
    assert!(run(Format::Xml, root, Some("4.29")).is_empty());
}

#[test]
fn unknown_element_with_suggestion() {
    let bad = el("createTabel").a("tableName", "t");
    let span = bad.0.name.span;
    let d = run(Format::Xml, el("databaseChangeLog").c(cs("1").c(bad)), None);
    assert_eq!(codes_of(&d), [codes::UNKNOWN_ELEMENT]);
    assert_eq!(d[0].span, span);
    assert!(d[0].message.contains("`createTable`"), "{}", d[0].message);
    assert_eq!(d[0].severity, Severity::Error);
}

#[test]
fn context_decides_what_is_allowed() {
    // `header` is a loadData column attribute, not a createTable one.
    let root = el("databaseChangeLog").c(cs("1")
        .c(el("loadData")
            .a("tableName", "t")
            .a("file", "x.csv")
            .c(el("column").a("header", "h")))
        .c(el("createTable")
            .a("tableName", "t")
            .c(el("column").a("name", "a").a("header", "h"))));
    let d = run(Format::Xml, root, None);
    assert_eq!(codes_of(&d), [codes::UNKNOWN_ATTRIBUTE]);
}

#[test]
fn unknown_attribute_and_extensions() {
    let mut ext_attr = el("createTable").a("tableName", "t").a("tablname", "x");
    ext_attr.0.attrs.push(Attr {
        name: s("foo", 9000),
        value: s("1", 9010),
        namespace: Some("ext".into()),
    });
    let root = el("databaseChangeLog").c(cs("1")
        .c(ext_attr.c(el("column").a("name", "a")))
        .c(el("custom").ns()));
    let d = run(Format::Xml, root, None);
    assert_eq!(codes_of(&d), [codes::UNKNOWN_ATTRIBUTE]);
    assert!(
        d[0].message.contains("Did you mean `tableName`"),
        "{}",
        d[0].message
    );
}

#[test]
fn missing_required_names_them() {
    let root =
        el("databaseChangeLog").c(el("changeSet").a("id", "1").c(el("addForeignKeyConstraint")
            .a("baseTableName", "a")
            .a("baseColumnNames", "x")
            .a("referencedTableName", "b")
            .a("referencedColumnNames", "y")));
    let d = run(Format::Xml, root, None);
    assert_eq!(
        codes_of(&d),
        [codes::MISSING_REQUIRED, codes::MISSING_REQUIRED]
    );
    assert!(d[0].message.contains("`author`"));
    assert!(d[1].message.contains("`constraintName`"));
}

#[test]
fn invalid_values() {
    let root = el("databaseChangeLog").c(cs("1")
        .a("runAlways", "yes")
        .a("runOnChange", "${flag}")
        .c(el("addForeignKeyConstraint")
            .a("baseTableName", "a")
            .a("baseColumnNames", "x")
            .a("constraintName", "fk")
            .a("referencedTableName", "b")
            .a("referencedColumnNames", "y")
            .a("onDelete", "CASCADES"))
        .c(el("createSequence")
            .a("sequenceName", "s")
            .a("ordered", "1")));
    let d = run(Format::Xml, root, None);
    assert_eq!(codes_of(&d), [codes::INVALID_VALUE, codes::INVALID_VALUE]);
    assert!(d[1].message.contains("`SET NULL`"), "{}", d[1].message);
}

#[test]
fn newer_than_target() {
    let col = || el("column").a("name", "a").a("included", "true");
    let root = || {
        el("databaseChangeLog").c(cs("1").c(el("createIndex")
            .a("tableName", "t")
            .a("indexName", "i")
            .c(col())))
    };
    let d = run(Format::Xml, root(), Some("4.29"));
    assert_eq!(codes_of(&d), [codes::NEWER_THAN_TARGET]);
    assert!(d[0].message.contains("4.30"), "{}", d[0].message);
    assert!(d[0].message.contains("4.29"), "{}", d[0].message);
    assert!(run(Format::Xml, root(), None).is_empty());
    // The file's own XSD version limits too.
    let mut cl = changelog(Format::Xml, root());
    cl.xsd_version = Some(s("4.20", 0));
    let d = validate(&cl, &Options::default());
    assert!(
        d[0].message.contains("this file targets 4.20"),
        "{}",
        d[0].message
    );
    cl.xsd_version = Some(s("latest", 0));
    assert!(validate(&cl, &Options::default()).is_empty());
}

#[test]
fn duplicates_point_at_second() {
    let second = cs("1");
    let header = second.0.name.span;
    let root = el("databaseChangeLog").c(cs("1")).c(cs("2")).c(second);
    let d = run(Format::Sql, root, None);
    assert_eq!(codes_of(&d), [codes::DUPLICATE_CHANGESET]);
    assert_eq!(d[0].span, header);
}

#[test]
fn yaml_text_keys_and_leniency() {
    let root = el("databaseChangeLog").c(cs("1")
        .a("bogus", "x")
        .c(el("update")
            .a("tableName", "t")
            .a("where", "id = 1")
            .c(el("column").a("name", "a").a("value", "1")))
        .c(el("sql").a("sql", "select 1"))
        .c(el("createTable")
            .a("tableName", "t")
            .c(el("column").a("name", "a").a("bogusCol", "y"))));
    let d = run(Format::Yaml, root, None);
    assert_eq!(
        codes_of(&d),
        [codes::UNKNOWN_ATTRIBUTE, codes::UNKNOWN_ATTRIBUTE]
    );
    assert_eq!(
        d[0].severity,
        Severity::Warning,
        "unknown changeSet keys are ignored by Liquibase"
    );
    assert_eq!(
        d[1].severity,
        Severity::Error,
        "unknown column keys are refused"
    );
}

#[test]
fn yaml_unknown_change_type_is_error() {
    let d = run(
        Format::Json,
        el("databaseChangeLog").c(cs("1").c(el("createTablez"))),
        None,
    );
    assert_eq!(codes_of(&d), [codes::UNKNOWN_ELEMENT]);
    assert_eq!(d[0].severity, Severity::Error);
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut pre = el("and");
    for _ in 0..(crate::syntax::MAX_DEPTH * 4) {
        pre = el("not").c(pre);
    }
    let root = el("databaseChangeLog").c(el("preConditions").c(pre));
    let _ = run(Format::Xml, root, None);
}

#[test]
fn properties_only_where_the_xsd_allows_them() {
    // createTable.ifNotExists is a plain xsd:boolean: Liquibase's XSD rejects `${x}` there in XML.
    let root = || {
        el("databaseChangeLog").c(cs("1").c(el("createTable")
            .a("tableName", "t")
            .a("ifNotExists", "${x}")
            .c(el("column").a("name", "a").a("autoIncrement", "${y}"))))
    };
    assert_eq!(
        codes_of(&run(Format::Xml, root(), None)),
        [codes::INVALID_VALUE]
    );
    assert!(run(Format::Yaml, root(), None).is_empty());
}

#[test]
fn declared_xsd_newer_than_liquibase() {
    let mut cl = changelog(Format::Xml, el("databaseChangeLog"));
    cl.xsd_version = Some(s("4.33", 7));
    let opts = Options {
        liquibase_version: Some("4.29".into()),
        ..Default::default()
    };
    let d = validate(&cl, &opts);
    assert_eq!(codes_of(&d), [codes::NEWER_THAN_TARGET]);
    assert_eq!(d[0].span, Span::new(7, 11));
    assert!(validate(&cl, &Options::default()).is_empty());
}

#[test]
fn duplicates_for_other_databases_or_contexts() {
    let root = el("databaseChangeLog")
        .c(cs("1").a("dbms", "db2"))
        .c(cs("1").a("dbms", "!db2"))
        .c(cs("2").a("context", "mysql"))
        .c(cs("2").a("context", "postgresql"));
    let d = run(Format::Xml, root, None);
    assert_eq!(codes_of(&d), [codes::DUPLICATE_CHANGESET]);
    assert_eq!(d[0].severity, Severity::Warning);
}

#[test]
fn required_depends_on_version() {
    // loadData `file` became required only in 4.x XSDs.
    let root = || el("databaseChangeLog").c(cs("1").c(el("loadData").a("tableName", "t")));
    let mut cl = changelog(Format::Xml, root());
    cl.xsd_version = Some(s("3.2", 0));
    assert!(validate(&cl, &Options::default()).is_empty());
    assert_eq!(
        codes_of(&run(Format::Xml, root(), None)),
        [codes::MISSING_REQUIRED]
    );
}

#[test]
fn logical_file_path_makes_another_identity() {
    let root = el("databaseChangeLog")
        .c(cs("1").a("logicalFilePath", "other"))
        .c(cs("1"));
    assert!(run(Format::Xml, root, None).is_empty());
}

#[test]
fn yaml_case_and_modify_sql_leniency() {
    let root = el("databaseChangeLog").c(cs("1")
        .c(el("createTable").a("tableName", "t").c(el("column")
            .a("name", "a")
            .c(el("constraints").a("primarykey", "true"))))
        .c(el("modifySql").c(el("append").a("dbms", "h2").a("value", "x"))));
    let d = run(Format::Yaml, root, None);
    assert_eq!(codes_of(&d), [codes::UNKNOWN_ATTRIBUTE]);
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].message.contains("`primaryKey`"), "{}", d[0].message);
}

#[test]
fn yaml_wrappers_are_transparent() {
    // `args` is a list wrapper like `changes`; an empty `changes:` (still being typed) holds nothing.
    let text = "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    changes:\n    - executeCommand:\n        executable: ls\n        args:\n        - arg:\n            value: -l\n            bad: 1\n- changeSet:\n    id: 2\n    author: a\n    changes:\n";
    let mut d = crate::analysis::analyze(text, Format::Yaml, &Options::default()).diagnostics;
    // Only the structural diagnostics: rules (a missing rollback) are not this test's subject.
    d.retain(|d| crate::rules::registry::by_code(d.code).is_none());
    assert_eq!(codes_of(&d), [codes::UNKNOWN_ATTRIBUTE]);
    assert!(d[0].message.contains("`bad`"), "{}", d[0].message);
}

#[test]
fn yaml_misspelt_wrapper_suggests_the_wrapper() {
    let text = "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    changes:\n    - createTable:\n        tableName: t\n        colums:\n        - column:\n            name: id\n            type: int\n";
    let a = crate::analysis::analyze(text, crate::model::Format::Yaml, &Options::default());
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == codes::UNKNOWN_ELEMENT)
        .expect("colums is flagged");
    assert!(
        d.message.contains("Did you mean `columns`?"),
        "{}",
        d.message
    );
}
