use super::parse;
use crate::diagnostics::codes;
use crate::model::{Parsed, Severity};

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:ext="http://www.liquibase.org/xml/ns/dbchangelog-ext"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.20.xsd"
    logicalFilePath="db/main.xml">
"#;

fn doc(body: &str) -> String {
    format!("{HEAD}{body}</databaseChangeLog>\n")
}

fn errors(p: &Parsed) -> Vec<&crate::model::Diagnostic> {
    p.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn slice(text: &str, span: crate::model::Span) -> &str {
    &text[span.start..span.end]
}

#[test]
fn a_full_changeset_is_modelled_with_spans() {
    let text = doc(r#"  <property name="schema" value="app"/>
  <include file="other.xml" relativeToChangelogFile="true"/>
  <includeAll path="more/"/>
  <changeSet id="1" author="ann" context="dev" dbms="h2, postgresql" runOnChange="true">
    <comment>Create &lt;people&gt;</comment>
    <validCheckSum> 8:abc </validCheckSum>
    <preConditions onFail="MARK_RAN"><not><tableExists tableName="people"/></not></preConditions>
    <createTable tableName="people">
      <column name="id" type="bigint"><constraints primaryKey="true"/></column>
    </createTable>
    <sql><![CDATA[insert into people values (1)]]></sql>
    <ext:createSynonym synonymName="p"/>
    <rollback><dropTable tableName="people"/></rollback>
  </changeSet>
"#);
    let p = parse(&text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let log = &p.changelog;
    assert_eq!(log.xsd_version.as_ref().unwrap().value, "4.20");
    assert_eq!(slice(&text, log.xsd_version.as_ref().unwrap().span), "4.20");
    assert_eq!(log.logical_file_path.as_ref().unwrap().value, "db/main.xml");
    assert_eq!(log.properties[0].name.as_ref().unwrap().value, "schema");
    assert_eq!(log.includes.len(), 2);
    assert!(log.includes[0].relative_to_changelog_file);
    let cs = &log.changesets[0];
    assert_eq!(cs.id_str(), "1");
    assert_eq!(slice(&text, cs.id.as_ref().unwrap().span), "1");
    assert_eq!(slice(&text, cs.author.as_ref().unwrap().span), "ann");
    assert!(slice(&text, cs.header).starts_with("<changeSet id="));
    assert!(slice(&text, cs.header).ends_with("runOnChange=\"true\">"));
    assert!(slice(&text, cs.span).ends_with("</changeSet>"));
    assert_eq!(cs.comment.as_ref().unwrap().value, "Create <people>");
    assert_eq!(cs.valid_checksums[0].value, "8:abc");
    assert_eq!(cs.dbms(), vec!["h2", "postgresql"]);
    assert!(cs.run_on_change());
    let kinds: Vec<_> = cs.changes.iter().map(|c| c.kind.value.as_str()).collect();
    assert_eq!(kinds, ["createTable", "sql", "createSynonym"]);
    assert!(cs.changes[2].element.namespace.is_some());
    assert_eq!(
        cs.changes[1].sql_text().unwrap().value,
        "insert into people values (1)"
    );
    assert_eq!(
        slice(&text, cs.changes[1].sql_text().unwrap().span),
        "insert into people values (1)"
    );
    let col = cs.changes[0].columns().next().unwrap();
    assert_eq!(
        col.child("constraints").unwrap().attr_value("primaryKey"),
        Some("true")
    );
    assert_eq!(cs.rollback_kinds(), ["dropTable"]);
    assert!(cs.preconditions.is_some());
}

#[test]
fn rollback_forms() {
    let text = doc(
        r#"<changeSet id="1" author="a"><sql>x</sql><rollback>drop table x;</rollback></changeSet>
<changeSet id="2" author="a"><sql>x</sql><rollback changeSetId="1" changeSetAuthor="a"/></changeSet>
<changeSet id="3" author="a"><sql>x</sql><rollback/></changeSet>
"#,
    );
    let p = parse(&text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let r: Vec<_> = p
        .changelog
        .changesets
        .iter()
        .map(|c| &c.rollbacks[0])
        .collect();
    assert_eq!(r[0].sql.as_ref().unwrap().value, "drop table x;");
    assert_eq!(
        r[1].changeset_ref
            .as_ref()
            .unwrap()
            .id
            .as_ref()
            .unwrap()
            .value,
        "1"
    );
    assert!(r[2].empty && !r[0].empty);
}

#[test]
fn half_typed_tag_keeps_the_changesets_around_it() {
    let text = doc(r#"<changeSet id="1" author="a"><sql>x</sql></changeSet>
<changeSet id="2" auth
<changeSet id="3" author="a"><sql>y</sql></changeSet>
"#);
    let p = parse(&text);
    let e = errors(&p);
    assert!(!e.is_empty());
    let ids: Vec<_> = p.changelog.changesets.iter().map(|c| c.id_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    // the first error sits on the line of the half-typed tag
    let line = |at: usize| text[..at].matches('\n').count();
    assert_eq!(line(e[0].span.start), line(text.find("id=\"2\"").unwrap()));
}

#[test]
fn mismatched_end_tags_are_repaired() {
    let text = doc(
        r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="c"></createTable></changeSet>
<changeSet id="2" author="a"><sql>y</sql></changeSet>
"#,
    );
    let p = parse(&text);
    let e = errors(&p);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(slice(&text, e[0].span), "column");
    let ids: Vec<_> = p.changelog.changesets.iter().map(|c| c.id_str()).collect();
    assert_eq!(ids, ["1", "2"]);
}

#[test]
fn truncated_document_reports_unclosed_elements() {
    let text = doc(
        r#"<changeSet id="1" author="a"><sql>x</sql></changeSet><changeSet id="2" author="a">"#,
    );
    let text = &text[..text.rfind("</databaseChangeLog>").unwrap()];
    let p = parse(text);
    assert_eq!(p.changelog.changesets.len(), 2);
    assert!(errors(&p)
        .iter()
        .any(|d| d.message.contains("never closed")));
}

#[test]
fn unbound_prefix_and_duplicate_attributes_are_errors() {
    let p = parse(&doc(
        r#"<changeSet id="1" author="a" id="2"><foo:bar/></changeSet>"#,
    ));
    let msgs: Vec<_> = errors(&p).iter().map(|d| d.message.clone()).collect();
    assert!(msgs.iter().any(|m| m.contains("twice")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("`foo`")), "{msgs:?}");
}

#[test]
fn not_a_changelog() {
    let p = parse("<project><x/></project>");
    assert_eq!(p.diagnostics[0].code, codes::NOT_A_CHANGELOG);
    let p = parse("");
    assert_eq!(p.diagnostics[0].code, codes::NOT_A_CHANGELOG);
}

#[test]
fn undeclared_entity_is_an_error_but_declared_one_is_only_not_expanded() {
    let p = parse(&doc(
        r#"<changeSet id="1" author="a"><sql>a &nope; b</sql></changeSet>"#,
    ));
    assert_eq!(errors(&p)[0].code, codes::SYNTAX);
    let text = format!(
        "<!DOCTYPE x [<!ENTITY nope \"n\">]>\n{}",
        doc(r#"<changeSet id="1" author="a"><sql>a &nope; b</sql></changeSet>"#)
            .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    );
    let p = parse(&text);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.diagnostics[0].code, codes::NOT_EXPANDED);
    assert_eq!(
        p.changelog.changesets[0].changes[0]
            .sql_text()
            .unwrap()
            .value,
        "a &nope; b"
    );
}

#[test]
fn multibyte_text_keeps_byte_spans() {
    let text = doc(r#"<changeSet id="é中😀" author="ß"><sql>select 'ü'</sql></changeSet>"#);
    let p = parse(&text);
    let cs = &p.changelog.changesets[0];
    assert_eq!(slice(&text, cs.id.as_ref().unwrap().span), "é中😀");
    assert_eq!(slice(&text, cs.author.as_ref().unwrap().span), "ß");
}

#[test]
fn every_prefix_of_a_document_parses() {
    let text = doc(
        r#"<changeSet id="1" author="a"><comment>c &amp; d</comment><sql><![CDATA[x]]></sql><!-- n --></changeSet>"#,
    );
    for cut in 0..=text.len() {
        let p = parse(&text[..cut]);
        if cut < text.len() {
            assert!(
                !p.diagnostics.is_empty()
                    || cut == 0
                    || text[..cut].trim().is_empty()
                    || p.changelog.root.is_some()
            );
        }
    }
}
