//! Parser tests: every directive, quoting, line endings, header errors with exact spans, truncation.

use super::parse;
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Parsed, Severity};

const HEAD: &str = "--liquibase formatted sql\n";

fn sql(body: &str) -> (String, Parsed) {
    let text = format!("{HEAD}{body}");
    let p = parse(&text);
    (text, p)
}

fn at<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
    &text[d.span.start..d.span.end]
}

fn errors(p: &Parsed) -> Vec<&Diagnostic> {
    p.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

#[test]
fn reads_changesets_and_bodies() {
    let (text, p) = sql("\n--changeset alice:1\ncreate table t (id int);\n\n--changeset bob:2 runOnChange:true\ninsert into t values (1);\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let cs = &p.changelog.changesets;
    assert_eq!(cs.len(), 2);
    assert_eq!((cs[0].author_str(), cs[0].id_str()), ("alice", "1"));
    assert_eq!(cs[0].changes[0].kind.value, "sql");
    let body = cs[0].changes[0].sql_text().unwrap();
    assert_eq!(body.value, "create table t (id int);");
    assert_eq!(&text[body.span.start..body.span.end], body.value);
    assert_eq!(
        &text[cs[0].header.start..cs[0].header.end],
        "--changeset alice:1"
    );
    assert_eq!(
        &text[cs[0].span.start..cs[0].span.end],
        "--changeset alice:1\ncreate table t (id int);"
    );
    assert!(cs[1].run_on_change());
    let a = cs[1].attr("runOnChange").unwrap();
    assert_eq!(&text[a.name.span.start..a.name.span.end], "runOnChange");
    assert_eq!(&text[a.value.span.start..a.value.span.end], "true");
    let el = &cs[1].element;
    assert_eq!(el.name.value, "changeSet");
    assert_eq!(el.attr_value("id"), Some("2"));
    assert_eq!(el.attr_value("author"), Some("bob"));
    assert_eq!(
        el.child("sql").unwrap().text.as_ref().unwrap().value,
        "insert into t values (1);"
    );
    let root = p.changelog.root.as_ref().unwrap();
    assert_eq!(root.children_named("changeSet").count(), 2);
}

#[test]
fn quoted_and_colon_ids() {
    let (text, p) = sql("--changeset \"Some User\":\"my id: x\"\nselect 1;\n--changeset u:1::createTable\nselect 2;\n--changeset Liquibase Pro User:createView\nselect 3;\n");
    let cs = &p.changelog.changesets;
    assert_eq!(
        (cs[0].author_str(), cs[0].id_str()),
        ("Some User", "my id: x")
    );
    let id = cs[0].id.as_ref().unwrap();
    assert_eq!(&text[id.span.start..id.span.end], "my id: x");
    assert_eq!(cs[1].id_str(), "1::createTable");
    assert_eq!(
        (cs[2].author_str(), cs[2].id_str()),
        ("Liquibase Pro User", "createView")
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn context_and_labels_may_be_quoted() {
    let (_, p) =
        sql("--changeset a:1 context:\"dev and test\" labels:x,y dbms:h2,!oracle\nselect 1;\n");
    let cs = &p.changelog.changesets[0];
    assert_eq!(cs.contexts(), Some("dev and test"));
    assert_eq!(cs.labels(), Some("x,y"));
    assert_eq!(cs.dbms(), ["h2", "!oracle"]);
    assert!(p.diagnostics.is_empty());
}

#[test]
fn unknown_attribute_warns_with_suggestion() {
    let (text, p) = sql("--changeset a:1 runOnChnage:true created:x\nselect 1;\n");
    let d = &p.diagnostics;
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(d[0].code, codes::SQL_HEADER);
    assert_eq!(at(&text, &d[0]), "runOnChnage");
    assert!(
        d[0].message.contains("did you mean `runOnChange`"),
        "{}",
        d[0].message
    );
    assert_eq!(at(&text, &d[1]), "created");
}

#[test]
fn attribute_names_are_case_insensitive_like_liquibase() {
    let (_, p) = sql("--changeset a:1 RUNALWAYS:TRUE\nselect 1;\n");
    assert!(p.diagnostics.is_empty());
    assert!(p.changelog.changesets[0].run_always());
}

#[test]
fn non_boolean_values_warn_at_the_value() {
    let (text, p) = sql("--changeset a:1 runAlways:yes failOnError:${x}\nselect 1;\n");
    assert_eq!(p.diagnostics.len(), 2);
    assert_eq!(at(&text, &p.diagnostics[0]), "yes");
    assert!(p.diagnostics[0].message.contains("as false"));
    assert_eq!(at(&text, &p.diagnostics[1]), "${x}");
    assert!(p.diagnostics[1].message.contains("does not expand"));
}

#[test]
fn space_after_colon_is_rejected_at_the_space() {
    let (text, p) = sql("--changeset a: 1\nselect 1;\n");
    let e = errors(&p);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].code, codes::SQL_HEADER);
    assert_eq!(e[0].span.start, text.find(": 1").unwrap() + 1);
    assert_eq!(at(&text, e[0]), " ");
}

#[test]
fn header_without_author_id_is_an_error() {
    for (line, token) in [
        ("--changeset", "--changeset"),
        ("--changeset alice", "alice"),
        ("--changeset alice:", ":"),
        ("--changeset a::", ":"),
        ("-- changeset_log is a table", "-- changeset_log is a table"),
    ] {
        let (text, p) = sql(&format!("--changeset a:0\nselect 0;\n{line}\nselect 1;\n"));
        let e = errors(&p);
        assert_eq!(e.len(), 1, "{line}: {e:?}");
        assert_eq!(at(&text, e[0]), token, "{line}");
        assert_eq!(p.changelog.changesets[0].id_str(), "0", "{line}");
    }
}

#[test]
fn changeset_inside_block_comment_still_starts_a_changeset() {
    // Liquibase is line based: it does not know about SQL comments.
    let (_, p) = sql("--changeset a:1\n/*\n--changeset a:2\n*/\nselect 1;\n");
    assert_eq!(p.changelog.changesets.len(), 2);
}

#[test]
fn empty_body_is_an_error() {
    let (text, p) = sql("--changeset a:1\n--changeset a:2\nselect 1;\n--changeset a:3\n\n");
    let e = errors(&p);
    assert_eq!(e.len(), 2);
    assert_eq!(at(&text, e[0]), "--changeset a:1");
    assert_eq!(at(&text, e[1]), "--changeset a:3");
    assert_eq!(p.changelog.changesets.len(), 3);
}

#[test]
fn rollback_lines() {
    let (text, p) = sql("--changeset a:1\ncreate table t (id int);\n--rollback drop table t;\n  -- rollback drop table u;\n");
    let rb = &p.changelog.changesets[0].rollbacks[0];
    assert_eq!(
        rb.sql.as_ref().unwrap().value,
        "drop table t;\ndrop table u;"
    );
    assert_eq!(p.changelog.changesets[0].rollback_kinds(), ["sql"]);
    let s = rb.sql.as_ref().unwrap().span;
    assert_eq!(
        &text[s.start..s.end],
        "drop table t;\n  -- rollback drop table u;"
    );
    assert_eq!(
        p.changelog.changesets[0].changes[0]
            .sql_text()
            .unwrap()
            .value,
        "create table t (id int);"
    );
    let el = p.changelog.changesets[0].element.child("rollback").unwrap();
    assert_eq!(
        el.child("sql").unwrap().text.as_ref().unwrap().value,
        rb.sql.as_ref().unwrap().value
    );
}

#[test]
fn rollback_without_space_is_body_like_liquibase() {
    let (_, p) = sql("--changeset a:1\ncreate table t (id int);\n--rollback\ndrop table t;\n");
    let cs = &p.changelog.changesets[0];
    assert!(cs.rollbacks.is_empty());
    assert!(cs.changes[0]
        .sql_text()
        .unwrap()
        .value
        .ends_with("drop table t;"));
}

#[test]
fn empty_and_not_required_rollbacks() {
    for word in ["empty", "not required", "Not Required because"] {
        let (_, p) = sql(&format!("--changeset a:1\nselect 1;\n--rollback {word}\n"));
        let cs = &p.changelog.changesets[0];
        assert!(cs.rollbacks[0].empty, "{word}");
        assert_eq!(cs.rollback_kinds(), ["empty"]);
        assert!(cs.rollbacks[0].sql.is_none());
    }
}

#[test]
fn rollback_block() {
    let (_, p) = sql("--changeset a:1\nselect 1;\n/* liquibase rollback\ndrop a;\ndrop b; */\n--changeset a:2\nselect 2;\n");
    let cs = &p.changelog.changesets;
    assert_eq!(cs.len(), 2);
    // Liquibase joins block lines without line breaks.
    assert_eq!(
        cs[0].rollbacks[0].sql.as_ref().unwrap().value,
        "drop a;drop b;"
    );
    let (text, p) = sql("--changeset a:1\nselect 1;\n/* liquibase rollback\ndrop a;\n");
    let e = errors(&p);
    assert_eq!(e.len(), 1);
    assert_eq!(at(&text, e[0]), "/* liquibase rollback");
}

#[test]
fn rollback_reference() {
    let (_, p) = sql("--changeset a:1\nselect 1;\n--changeset a:2\nselect 2;\n--rollback changesetId:1 changesetAuthor:a\n");
    let cs = &p.changelog.changesets[1];
    let r = cs.rollbacks[0].changeset_ref.as_ref().unwrap();
    assert_eq!(r.id.as_ref().unwrap().value, "1");
    assert_eq!(r.author.as_ref().unwrap().value, "a");
    assert_eq!(cs.rollback_kinds(), ["sql"]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);

    let (text, p) = sql("--changeset a:1\nselect 1;\n--rollback changesetId:9 changesetAuthor:a\n");
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].severity, Severity::Warning);
    assert_eq!(at(&text, &p.diagnostics[0]), "9");

    let (_, p) = sql("--changeset a:1\nselect 1;\n--rollback changesetId:1\n");
    let e = errors(&p);
    assert_eq!(e.len(), 1);
    assert!(e[0].message.contains("changesetAuthor"));
}

#[test]
fn comment_checksum_and_preconditions() {
    let (text, p) = sql(
        "--changeset a:1\n--comment: makes t\n--validCheckSum: 9:abc\n--preconditions onFail:MARK_RAN onError:HALT\n\
         --precondition-sql-check expectedResult:0 select count(*) from t\n--precondition-table-exists table:t schema:s\n\
         --precondition-view-exists view:v\ncreate table t (id int);\n",
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let cs = &p.changelog.changesets[0];
    assert_eq!(cs.comment.as_ref().unwrap().value, "makes t");
    assert_eq!(cs.valid_checksums[0].value, "9:abc");
    let pc = cs.preconditions.as_ref().unwrap();
    assert_eq!(pc.attr_value("onFail"), Some("MARK_RAN"));
    assert_eq!(pc.attr_value("onError"), Some("HALT"));
    let check = pc.child("sqlCheck").unwrap();
    assert_eq!(check.attr_value("expectedResult"), Some("0"));
    assert_eq!(check.text.as_ref().unwrap().value, "select count(*) from t");
    let t = pc.child("tableExists").unwrap();
    assert_eq!(t.attr_value("tableName"), Some("t"));
    assert_eq!(t.attr_value("schemaName"), Some("s"));
    let v = pc.child("viewExists").unwrap().attr("viewName").unwrap();
    assert_eq!(&text[v.value.span.start..v.value.span.end], "v");
    let names: Vec<&str> = cs
        .element
        .children
        .iter()
        .map(|c| c.name.value.as_str())
        .collect();
    assert_eq!(names, ["validCheckSum", "preConditions", "comment", "sql"]);
    assert_eq!(
        cs.changes[0].sql_text().unwrap().value,
        "create table t (id int);"
    );
}

#[test]
fn precondition_errors() {
    let (text, p) = sql("--changeset a:1\n--precondition-table-exist table:t\n--precondition-view-exists\n--precondition-sql-check nonsense\n--preconditions onFail:STOP\nselect 1;\n");
    let e = errors(&p);
    assert_eq!(e.len(), 4, "{e:?}");
    assert_eq!(at(&text, e[0]), "table-exist");
    assert!(e[0].message.contains("did you mean `table-exists`"));
    assert_eq!(at(&text, e[1]), "view-exists");
    assert_eq!(at(&text, e[2]), "nonsense");
    assert_eq!(at(&text, e[3]), "STOP");
}

#[test]
fn one_dash_lookalikes_are_rejected_at_their_line() {
    for line in [
        "-rollback drop t;",
        "-comment x",
        "--comments: x",
        "-precondition-sql-check 0 x",
        "-validCheckSum 1",
        "-changeset a:2",
        "--ignore:lines",
        "--property nonsense",
    ] {
        let (text, p) = sql(&format!("--changeset a:1\nselect 1;\n{line}\n"));
        let e = errors(&p);
        assert_eq!(e.len(), 1, "{line}: {e:?}");
        assert_eq!(at(&text, e[0]), line);
        assert!(e[0].message.contains("line 4"), "{}", e[0].message);
    }
}

#[test]
fn properties_includes_and_logical_path() {
    let (text, p) = sql("--property name:tbl value:person context:dev\n--include file:other.sql\n--includeAll path:more/\n--changeset a:1\nselect 1;\n");
    let props = &p.changelog.properties;
    assert_eq!(props[0].name.as_ref().unwrap().value, "tbl");
    assert_eq!(props[0].value.as_ref().unwrap().value, "person");
    assert_eq!(props[0].element.attr_value("context"), Some("dev"));
    let inc = &p.changelog.includes;
    assert_eq!(inc[0].path.as_ref().unwrap().value, "other.sql");
    assert_eq!(inc[1].path.as_ref().unwrap().value, "more/");
    // includes need Liquibase Pro: a warning each, no error
    assert_eq!(p.diagnostics.len(), 2);
    assert!(errors(&p).is_empty());
    assert_eq!(at(&text, &p.diagnostics[0]), "--include");

    let p =
        parse("--liquibase formatted sql logicalFilePath:db/x.sql\n--changeset a:1\nselect 1;\n");
    assert_eq!(p.changelog.logical_file_path.unwrap().value, "db/x.sql");
}

#[test]
fn ignore_lines() {
    let (text, p) = sql("--ignoreLines:start\n--changeset x:1\n--ignoreLines:end\n--changeset a:1\nselect 1;\n--ignoreLines:1\n--changeset y:1\n--ignoreLines:many\n");
    let cs = &p.changelog.changesets;
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].id_str(), "1");
    assert_eq!(cs[0].author_str(), "a");
    let e = errors(&p);
    assert_eq!(e.len(), 1);
    assert_eq!(at(&text, e[0]), "many");
}

#[test]
fn missing_header_and_comment_outside_changeset() {
    let p = parse("\n\ncreate table t (id int);\n");
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].code, codes::NOT_A_CHANGELOG);
    assert_eq!(p.diagnostics[0].span.start, 2);
    assert_eq!(parse("").diagnostics[0].code, codes::NOT_A_CHANGELOG);

    let (text, p) = sql("--comment: hello\nselect 0;\n--changeset a:1\nselect 1;\n");
    let e = errors(&p);
    assert_eq!(e.len(), 1);
    assert_eq!(at(&text, e[0]), "--comment: hello");
    assert_eq!(p.diagnostics.len(), 2, "plus a warning for the stray SQL");
}

#[test]
fn bom_crlf_and_tabs() {
    let plain = "--liquibase formatted sql\n--changeset a:1 runAlways:true\ncreate table t (id int);\n--rollback drop table t;\n";
    for text in [
        format!("\u{feff}{plain}"),
        plain.replace('\n', "\r\n"),
        plain
            .replace(' ', "\t")
            .replace("--rollback\t", "--rollback "),
    ] {
        let p = parse(&text);
        assert!(p.diagnostics.is_empty(), "{text:?}: {:?}", p.diagnostics);
        let cs = &p.changelog.changesets[0];
        assert_eq!((cs.author_str(), cs.id_str()), ("a", "1"));
        let id = cs.id.as_ref().unwrap();
        assert_eq!(&text[id.span.start..id.span.end], "1");
        assert!(cs.run_always());
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(&cs.rollbacks[0].sql.as_ref().unwrap().value),
            "drop table t;"
        );
        assert_eq!(
            words(&cs.changes[0].sql_text().unwrap().value),
            "create table t (id int);"
        );
    }
}

#[test]
fn every_prefix_parses_and_keeps_finished_changesets() {
    let text = "--liquibase formatted sql\n--property name:p value:v\n--changeset \"A B\":\"x y\" context:\"a b\" runAlways:true\n\
                --comment: c\n--preconditions onFail:HALT\n--precondition-sql-check expectedResult:'a b' select 1\n\
                create table t (id int);\n--rollback drop table t;\n/* liquibase rollback\ndrop x;\n*/\n\
                --changeset b:2\n--ignoreLines:start\nq\n--ignoreLines:end\ninsert into t values (1);\n--rollback changesetId:x y changesetAuthor:A\n";
    let full = parse(text).changelog;
    assert_eq!(full.changesets.len(), 2);
    for cut in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
        let got = parse(&text[..cut]).changelog;
        for (want, have) in full
            .changesets
            .iter()
            .filter(|c| c.span.end <= cut)
            .zip(&got.changesets)
        {
            assert_eq!(
                (want.id_str(), want.author_str()),
                (have.id_str(), have.author_str()),
                "cut {cut}"
            );
        }
    }
}

#[test]
fn hostile_input_does_not_panic() {
    for text in [
        "--liquibase formatted sql\n--changeset \"",
        "--liquibase formatted sql\n--changeset \"\":\"\"",
        "--liquibase formatted sql\n--changeset a:\"",
        "--liquibase formatted sql\n--changeset é:ü runAlways:\"\n--precondition-sql-check '\n--precondition-sql-check \"x\n--rollback changesetid\n",
        "--liquibase formatted sql\r\r\n\r--changeset a:1\r--ignoreLines:18446744073709551615\r",
        "\u{feff}",
        "\r",
    ] {
        let _ = parse(text);
    }
    let long = format!(
        "--liquibase formatted sql\n--changeset a:1 {}\nselect 1;\n",
        "x:y ".repeat(20_000)
    );
    assert_eq!(parse(&long).changelog.changesets.len(), 1);
}

#[test]
fn header_attribute_on_its_own_line_warns() {
    let (text, p) = sql("--changeset a:1\n--context: dev\nselect 1;\n");
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].severity, Severity::Warning);
    assert_eq!(at(&text, &p.diagnostics[0]), "context");
    assert!(p.changelog.changesets[0].contexts().is_none());
}

#[test]
fn rollback_reference_split_over_lines_is_glued_like_liquibase() {
    let (_, p) =
        sql("--changeset a:1\nselect 1;\n--rollback changesetId:1\n--rollback changesetAuthor:a\n");
    let e = errors(&p);
    assert_eq!(e.len(), 1, "{:?}", p.diagnostics);
    assert!(
        e[0].message.contains("`1changesetAuthor:a`"),
        "{}",
        e[0].message
    );
}

#[test]
fn many_rollback_references_stay_linear() {
    let mut text = String::from(HEAD);
    for i in 0..20_000 {
        text.push_str(&format!(
            "--changeset a:{i}\nselect 1;\n--rollback changesetId:{} changesetAuthor:a\n",
            i / 2
        ));
    }
    let p = parse(&text);
    assert_eq!(p.changelog.changesets.len(), 20_000);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics.first());
    assert_eq!(p.changelog.changesets[19_999].rollback_kinds(), ["sql"]);
}

#[test]
fn an_empty_author_is_a_header_error() {
    let p = parse("--liquibase formatted sql\n--changeset :1\nselect 1;\n");
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.code == codes::SQL_HEADER && d.message.contains("missing author")));
}
