//! Bad input: each case must give diagnostics (never a panic, a hang, unbounded memory or a stack
//! overflow), and what is valid must still be modelled.

mod common;

use lqls::analysis::{self, decode};
use lqls::diagnostics::codes;
use lqls::model::{Format, Severity};
use lqls::validate;

fn analyze(text: &str, format: Format) -> analysis::Analysis {
    analysis::analyze(text, format, &validate::Options::default())
}

const FORMATS: [Format; 4] = [Format::Xml, Format::Yaml, Format::Json, Format::Sql];

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <changeSet id="1" author="a">
        <createTable tableName="t">
            <column name="id" type="int"/>
        </createTable>
    </changeSet>
</databaseChangeLog>
"#;

const YAML: &str = "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - createTable:\n            tableName: t\n            columns:\n              - column:\n                  name: id\n                  type: int\n";

const SQL: &str = "--liquibase formatted sql\n\n--changeset a:1\ncreate table t (id int);\n--rollback drop table t;\n";

#[test]
fn binary_garbage_is_diagnosed_in_every_format() {
    // a fixed LCG: the same garbage on every run
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let bytes: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect();
    let (text, bad) = decode(bytes);
    assert_eq!(
        bad.expect("random bytes are not UTF-8").code,
        codes::INVALID_UTF8
    );
    for f in FORMATS {
        let a = analyze(&text, f);
        assert!(a.changelog.changesets.is_empty(), "{f:?}");
        assert!(
            a.diagnostics.iter().any(|d| d.severity == Severity::Error),
            "{f:?}: garbage must be an error"
        );
    }
}

#[test]
fn invalid_utf8_is_reported_then_parsed_lossily() {
    let decl_end = XML.find('\n').unwrap() + 1;
    let mut bytes = XML.as_bytes().to_vec();
    bytes.splice(decl_end..decl_end, b"<!-- \xff\xfe -->\n".iter().copied());
    let (text, bad) = decode(bytes);
    let bad = bad.expect("invalid UTF-8 detected");
    assert_eq!(bad.span.start, decl_end + 5, "points at the first bad byte");
    let a = analyze(&text, Format::Xml);
    assert_eq!(common::identities(&a.changelog)[0].0, "1");
}

#[test]
fn fifty_megabytes_parse_in_every_format() {
    for (format, head, one, tail) in [
        (Format::Xml, "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n", "  <changeSet id=\"{i}\" author=\"a\"><createTable tableName=\"t{i}\"><column name=\"id\" type=\"int\"/></createTable></changeSet>\n", "</databaseChangeLog>\n"),
        (Format::Yaml, "databaseChangeLog:\n", "  - changeSet:\n      id: {i}\n      author: a\n      changes:\n        - createTable:\n            tableName: t{i}\n", ""),
        (Format::Sql, "--liquibase formatted sql\n", "--changeset a:{i}\ncreate table t{i} (id int);\n", ""),
    ] {
        let mut text = String::from(head);
        let mut n = 0;
        while text.len() < 50 << 20 {
            text.push_str(&one.replace("{i}", &n.to_string()));
            n += 1;
        }
        text.push_str(tail);
        let a = analyze(&text, format);
        assert_eq!(a.changelog.changesets.len(), n, "{format:?}");
        // Rules have their say (the SQL changesets have no rollback), but nothing structural.
        let structural_error = a
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error && lqls::rules::registry::by_code(d.code).is_none());
        assert!(structural_error.is_none(), "{format:?}: {structural_error:?}");
    }
}

/// A minified changelog (one 8 MB line) with a rule finding and its fixes in every changeset: fixes
/// look for line starts and indentation, which must not scan the whole line per finding.
#[test]
fn one_line_changelog_with_findings_everywhere() {
    let mut text =
        String::from("<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">");
    let mut n = 0;
    while text.len() < 8 << 20 {
        text.push_str(&format!(
            "<changeSet id=\"{n}\" author=\"a\"><dropColumn tableName=\"t\" columnName=\"c\"/><createTable tableName=\"t{n}\"/></changeSet>"
        ));
        n += 1;
    }
    text.push_str("</databaseChangeLog>");
    let a = analyze(&text, Format::Xml);
    assert_eq!(a.changelog.changesets.len(), n);
    let drops = a.diagnostics.iter().filter(|d| d.code == "LB101").count();
    assert_eq!(drops, n);
}

#[test]
fn ten_thousand_deep_nesting_does_not_overflow() {
    let depth = 10_000;
    let xml = format!(
        "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\"><changeSet id=\"1\" author=\"a\"><sql>{}{}</sql></changeSet></databaseChangeLog>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let yaml_flow = format!(
        "databaseChangeLog: {}{}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let yaml_block: String = (0..depth)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let json = format!(
        "{{\"databaseChangeLog\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    for (text, format) in [
        (xml, Format::Xml),
        (yaml_flow, Format::Yaml),
        (yaml_block, Format::Yaml),
        (json, Format::Json),
    ] {
        let a = analyze(&text, format);
        assert!(
            !a.diagnostics.is_empty(),
            "{format:?}: nesting this deep is reported"
        );
    }
}

#[test]
fn doctype_entities_are_never_expanded_or_fetched() {
    let lol = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY rec "&rec;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="a"><comment>&lol9; &rec; &xxe;</comment><sql>select 1</sql></changeSet>
</databaseChangeLog>
"#;
    let a = analyze(lol, Format::Xml);
    let cs = &a.changelog.changesets[0];
    let comment = cs.comment.as_ref().map(|c| c.value.as_str()).unwrap_or("");
    assert!(
        comment.len() < 100,
        "entities expanded: {} bytes",
        comment.len()
    );
    assert!(!comment.contains("root:"), "external entity was read");
    assert!(a.diagnostics.iter().any(|d| d.code == codes::NOT_EXPANDED));
}

#[test]
fn yaml_alias_bombs_are_bounded() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      comment: *i\n      changes:\n        - sql: select 1\n");
    let a = analyze(&bomb, Format::Yaml);
    assert!(!a.diagnostics.is_empty(), "an alias bomb is reported");
}

#[test]
fn bom_crlf_and_tabs_give_the_same_model() {
    for (text, format) in [(XML, Format::Xml), (YAML, Format::Yaml), (SQL, Format::Sql)] {
        let plain = common::identities(&analyze(text, format).changelog);
        assert_eq!(plain.len(), 1, "{format:?}");
        let bom = format!("\u{feff}{text}");
        assert_eq!(
            common::identities(&analyze(&bom, format).changelog),
            plain,
            "{format:?} with BOM"
        );
        let crlf = text.replace('\n', "\r\n");
        let a = analyze(&crlf, format);
        assert_eq!(
            common::identities(&a.changelog),
            plain,
            "{format:?} with CRLF"
        );
        assert!(
            a.diagnostics.iter().all(|d| d.severity != Severity::Error),
            "{format:?} CRLF: {:?}",
            a.diagnostics
        );
        let cs = &a.changelog.changesets[0];
        assert_eq!(
            &crlf[cs.id.as_ref().unwrap().span.start..cs.id.as_ref().unwrap().span.end],
            "1"
        );
    }
    // tabs are fine in XML and SQL; YAML forbids them as indentation and must say so
    let tabbed_xml = XML.replace("    ", "\t");
    assert_eq!(
        common::identities(&analyze(&tabbed_xml, Format::Xml).changelog).len(),
        1
    );
    let tabbed_sql = SQL.replace(' ', "\t");
    assert_eq!(
        common::identities(&analyze(&tabbed_sql, Format::Sql).changelog).len(),
        1
    );
    let tabbed_yaml = YAML.replace("      id", "\t  id");
    let a = analyze(&tabbed_yaml, Format::Yaml);
    assert!(
        a.diagnostics.iter().any(|d| d.severity == Severity::Error),
        "tab indentation in YAML is an error"
    );
}
