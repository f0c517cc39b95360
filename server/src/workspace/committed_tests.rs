//! The committed-changeset guard against real git repositories made in temporary folders.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::committed::{check, released};
use super::git::Git;
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Format};
use crate::rules::engine::apply_fixes;
use crate::syntax;

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "lqls-committed-{name}-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(super) fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        ok.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

/// A repository holding `name` with `text`, committed on `main`.
fn repo_with(tag: &str, name: &str, text: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new(tag);
    git(&dir.0, &["init", "-q"]);
    let path = dir.0.join(name);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("folder");
    }
    std::fs::write(&path, text).expect("write");
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "one"]);
    (dir, path)
}

fn run(path: &Path, text: &str, git: &Git) -> Vec<Diagnostic> {
    let format = syntax::detect_format(Some(path), text);
    let log = syntax::parse(text, format).changelog;
    check(path, text, &log, git)
}

fn apply(text: &str, d: &Diagnostic, i: usize) -> String {
    let (out, n) = apply_fixes(text, &[&d.fixes[i]]);
    assert_eq!(n, 1);
    out
}

fn ids(text: &str, format: Format) -> Vec<(String, String, Vec<String>)> {
    let p = syntax::parse(text, format);
    assert!(p.diagnostics.is_empty(), "{:?}\n{text}", p.diagnostics);
    p.changelog.identities()
}

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <changeSet id="1" author="ann">
        <comment>people</comment>
        <createTable tableName="person">
            <column name="id" type="int"/>
        </createTable>
        <rollback>
            <dropTable tableName="person"/>
        </rollback>
    </changeSet>
    <changeSet id="2" author="ann">
        <sql>select 1</sql>
    </changeSet>
</databaseChangeLog>
"#;

#[test]
fn an_edited_xml_changeset_is_reported_and_both_fixes_work() {
    let (_dir, path) = repo_with("xml", "db/change log.xml", XML);
    let edited = XML.replace(
        "<column name=\"id\" type=\"int\"/>",
        "<column name=\"id\" type=\"int\"/>\n            <column name=\"name\" type=\"text\"/>",
    );
    let g = Git::new();
    let diags = run(&path, &edited, &g);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.code, codes::EDITED_COMMITTED);
    assert!(d.message.contains("HEAD"), "{}", d.message);
    assert!(edited[d.span.start..d.span.end].starts_with("<changeSet id=\"1\""));
    assert!(d.fixes.iter().all(|f| !f.safe));

    assert_eq!(apply(&edited, d, 0), XML);
    let moved = apply(&edited, d, 1);
    let got = ids(&moved, Format::Xml);
    let names: Vec<&str> = got.iter().map(|(i, _, _)| i.as_str()).collect();
    assert_eq!(names, ["1", "1-2", "2"], "{moved}");
    assert_eq!(got[1].1, "ann");
    assert_eq!(got[1].2, ["createTable"]);
    // The committed changeset is back as it was, and the new one has no rollback of the old.
    assert!(moved.contains(
        &XML[XML.find("    <changeSet id=\"1\"").unwrap()
            ..XML.find("    <changeSet id=\"2\"").unwrap()]
    ));
    assert_eq!(moved.matches("<rollback>").count(), 1, "{moved}");
    assert!(
        moved.contains("\n\n    <changeSet id=\"1-2\" author=\"ann\">"),
        "{moved}"
    );
    assert!(run(&path, &moved, &g).is_empty());
}

#[test]
fn comment_whitespace_rollback_and_context_edits_are_silent() {
    let (_dir, path) = repo_with("silent", "changelog.xml", XML);
    let g = Git::new();
    let edited = XML
        .replace("<comment>people</comment>", "<comment>all the people</comment>")
        .replace("<dropTable tableName=\"person\"/>", "<dropTable tableName=\"person\" cascadeConstraints=\"true\"/>")
        .replace("<changeSet id=\"1\" author=\"ann\">", "<changeSet id=\"1\" author=\"ann\" context=\"prod\" labels=\"x\">\n        <!-- a note -->")
        .replace("<sql>select 1</sql>", "<sql>\n            select   1\r\n        </sql>")
        .replace("<column name=\"id\" type=\"int\"/>", "<column type=\"int\"  name=\"id\" />");
    assert!(run(&path, &edited, &g).is_empty(), "{edited}");
    assert!(run(&path, XML, &g).is_empty());
}

#[test]
fn new_run_on_change_and_valid_checksum_changesets_are_silent() {
    let (_dir, path) = repo_with("new", "changelog.xml", XML);
    let g = Git::new();
    let added = XML.replace(
        "</databaseChangeLog>",
        "    <changeSet id=\"3\" author=\"ann\"><sql>select 3</sql></changeSet>\n</databaseChangeLog>",
    );
    assert!(run(&path, &added, &g).is_empty());
    let roc = XML.replace(
        "<changeSet id=\"2\" author=\"ann\">",
        "<changeSet id=\"2\" author=\"ann\" runOnChange=\"true\">",
    );
    let (_dir2, path2) = repo_with("roc", "changelog.xml", &roc);
    assert!(run(&path2, &roc.replace("select 1", "select 2"), &g).is_empty());
    let valid = XML.replace(
        "<sql>select 1</sql>",
        "<validCheckSum>ANY</validCheckSum><sql>select 2</sql>",
    );
    assert!(run(&path, &valid, &g).is_empty());
    // Another author's changeset with the same id is a new changeset.
    let other = XML.replace(
        "<changeSet id=\"2\" author=\"ann\">\n        <sql>select 1",
        "<changeSet id=\"2\" author=\"bob\">\n        <sql>select 9",
    );
    assert!(run(&path, &other, &g).is_empty());
}

const YAML: &str = "databaseChangeLog:
  - changeSet:
      id: 1
      author: ann
      changes:
        - createTable:
            tableName: person
            columns:
              - column:
                  name: id
                  type: int
        - sql:
            sql: select 1
      rollback:
        - dropTable:
            tableName: person
  - changeSet:
      id: 2
      author: ann
      changes:
        - sql: select 2
";

#[test]
fn an_edited_yaml_changeset_moves_into_a_new_one() {
    let (_dir, path) = repo_with("yaml", "changelog.yaml", YAML);
    let g = Git::new();
    let edited = YAML.replace("sql: select 1", "sql: select 11");
    let diags = run(&path, &edited, &g);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(apply(&edited, &diags[0], 0), YAML);
    let moved = apply(&edited, &diags[0], 1);
    let got = ids(&moved, Format::Yaml);
    assert_eq!(
        got,
        [
            (
                "1".into(),
                "ann".into(),
                vec!["createTable".into(), "sql".into()]
            ),
            ("1-2".into(), "ann".into(), vec!["sql".into()]),
            ("2".into(), "ann".into(), vec!["sql".into()]),
        ],
        "{moved}"
    );
    let new_one = "
  - changeSet:
      id: 1-2
      author: ann
      changes:
        - sql:
            sql: select 11
  - changeSet:
      id: 2";
    assert!(moved.contains(new_one), "{moved}");
    assert!(run(&path, &moved, &g).is_empty(), "{moved}");
    // Reformatting the SQL does not count.
    assert!(run(
        &path,
        &YAML.replace("sql: select 2", "sql: \"select   2 \""),
        &g
    )
    .is_empty());
    // Nor writing it as a nested key instead of the short form.
    assert!(run(
        &path,
        &YAML.replace("sql: select 2", "sql:\n            sql: select 2"),
        &g
    )
    .is_empty());
}

const JSON: &str = r#"{"databaseChangeLog": [
  {"changeSet": {
    "id": "1",
    "author": "ann",
    "changes": [
      {"sql": {"sql": "select 1"}}
    ]
  }}
]}
"#;

#[test]
fn an_edited_json_changeset_is_reported_and_both_fixes_parse() {
    let (_dir, path) = repo_with("json", "changelog.json", JSON);
    let g = Git::new();
    let edited = JSON.replace("select 1", "select 2");
    let diags = run(&path, &edited, &g);
    assert_eq!(diags.len(), 1);
    assert_eq!(apply(&edited, &diags[0], 0), JSON);
    let moved = apply(&edited, &diags[0], 1);
    let got = ids(&moved, Format::Json);
    assert_eq!(got.len(), 2, "{moved}");
    assert_eq!(got[1].0, "1-2");
    assert!(run(&path, &moved, &g).is_empty());
}

const SQL: &str = "--liquibase formatted sql

--changeset ann:1
--comment: people
create table person (id int);
--rollback drop table person;

--changeset ann:2
insert into person values (1);
";

#[test]
fn an_edited_sql_changeset_is_reported_and_comment_edits_are_not() {
    let (_dir, path) = repo_with("sql", "changelog.sql", SQL);
    let g = Git::new();
    assert!(run(
        &path,
        &SQL.replace("--comment: people", "--comment: persons")
            .replace(
                "--rollback drop table person;",
                "--rollback drop table if exists person;"
            ),
        &g
    )
    .is_empty());
    assert!(run(
        &path,
        &SQL.replace("values (1);", "values (1);   \n\n")
            .replace('\n', "\r\n"),
        &g
    )
    .is_empty());
    let edited = SQL.replace("(id int)", "(id bigint)");
    let diags = run(&path, &edited, &g);
    assert_eq!(diags.len(), 1);
    assert_eq!(
        &edited[diags[0].span.start..diags[0].span.end],
        "--changeset ann:1"
    );
    assert_eq!(apply(&edited, &diags[0], 0), SQL);
    let moved = apply(&edited, &diags[0], 1);
    assert!(moved.contains("--rollback drop table person;\n\n--changeset ann:1-2\n--comment: people\ncreate table person (id bigint);\n\n--changeset ann:2"), "{moved}");
    let got = ids(&moved, Format::Sql);
    assert_eq!(
        got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(),
        ["1", "1-2", "2"]
    );
}

#[test]
fn the_merge_base_with_main_catches_an_edit_committed_on_the_branch() {
    let (dir, path) = repo_with("base", "changelog.xml", XML);
    git(&dir.0, &["checkout", "-q", "-b", "feature"]);
    let edited = XML.replace("select 1", "select 42");
    std::fs::write(&path, &edited).expect("write");
    git(&dir.0, &["commit", "-q", "-am", "edit"]);
    let g = Git::new();
    let diags = run(&path, &edited, &g);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].message.contains("merge-base with main"),
        "{}",
        diags[0].message
    );
    assert_eq!(apply(&edited, &diags[0], 0), XML);
    // Released: the identities at the merge-base.
    let rel = released(&path, &g).expect("a repository");
    assert!(rel.contains(&("1".to_string(), "ann".to_string())) && rel.len() == 2);
    // The cache follows a new commit on the branch (the ref file changes).
    std::fs::write(&path, XML).expect("write");
    git(&dir.0, &["commit", "-q", "-am", "revert"]);
    assert!(run(&path, XML, &g).is_empty());
}

#[test]
fn no_repository_untracked_files_and_no_git_are_silent() {
    let dir = TempDir::new("norepo");
    let path = dir.0.join("changelog.xml");
    std::fs::write(&path, XML).expect("write");
    let g = Git::new();
    assert!(run(&path, &XML.replace("select 1", "select 2"), &g).is_empty());
    assert_eq!(released(&path, &g), None);

    let (dir, _) = repo_with("untracked", "other.xml", XML);
    let path = dir.0.join("new.xml");
    std::fs::write(&path, XML).expect("write");
    assert!(run(&path, &XML.replace("select 1", "select 2"), &g).is_empty());
    assert_eq!(released(&path, &g), Some(Default::default()));

    let (_dir, path) = repo_with("nogit", "changelog.xml", XML);
    let missing = Git::with_program("/nonexistent/lqls-no-git");
    assert!(run(&path, &XML.replace("select 1", "select 2"), &missing).is_empty());
    assert_eq!(released(&path, &missing), None);
    // Twice: the missing program is remembered, not searched again.
    assert!(run(&path, &XML.replace("select 1", "select 2"), &missing).is_empty());
    // A path that does not exist at all.
    assert!(run(Path::new("/nonexistent/dir/x.xml"), XML, &g).is_empty());
}

#[test]
fn a_linked_worktree_is_found_through_its_git_file() {
    let (dir, _) = repo_with("wt", "changelog.xml", XML);
    let wt = dir.0.join("wt");
    git(
        &dir.0,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "other",
            wt.to_str().expect("utf-8"),
        ],
    );
    let path = wt.join("changelog.xml");
    let g = Git::new();
    assert_eq!(
        run(&path, &XML.replace("select 1", "select 2"), &g).len(),
        1
    );
}

#[test]
fn non_utf8_committed_content_is_silent() {
    let dir = TempDir::new("binary");
    git(&dir.0, &["init", "-q"]);
    let path = dir.0.join("changelog.xml");
    std::fs::write(&path, b"<databaseChangeLog>\xff\xfe</databaseChangeLog>").expect("write");
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "bin"]);
    assert!(run(&path, XML, &Git::new()).is_empty());
}

/// Timing, run by hand (`-- --ignored --nocapture`): after the first call (git, parse of the
/// committed text) a keystroke costs only the checksum inputs of the buffer's changesets.
#[test]
#[ignore]
fn timing_on_a_large_file() {
    let mut big =
        String::from("<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n");
    for i in 0..5000 {
        big.push_str(&format!("    <changeSet id=\"{i}\" author=\"ann\">\n        <createTable tableName=\"t{i}\">\n            <column name=\"id\" type=\"int\"/>\n            <column name=\"name\" type=\"varchar(20)\"/>\n        </createTable>\n    </changeSet>\n"));
    }
    big.push_str("</databaseChangeLog>\n");
    let (_dir, path) = repo_with("perf", "big.xml", &big);
    let edited = big.replace("tableName=\"t17\"", "tableName=\"t17x\"");
    let g = Git::new();
    let log = syntax::parse(&edited, Format::Xml).changelog;
    for n in 0..3 {
        let t = std::time::Instant::now();
        let d = check(&path, &edited, &log, &g);
        eprintln!("run {n}: {} diags in {:?}", d.len(), t.elapsed());
    }
    let t = std::time::Instant::now();
    let _ = syntax::parse(&edited, Format::Xml);
    eprintln!("one parse {:?}", t.elapsed());
}

#[test]
fn a_hanging_git_is_stopped_and_then_left_alone() {
    let (dir, path) = repo_with("hang", "changelog.xml", XML);
    let fake = dir.0.join("fake-git");
    std::fs::write(&fake, "#!/bin/sh\nsleep 6\n").expect("write");
    let chmod = Command::new("chmod").arg("+x").arg(&fake).status();
    assert!(chmod.is_ok_and(|s| s.success()));
    // `sleep` is a child of the script: it outlives the killed script and keeps the pipe open.
    let g = Git::with_program(&fake);
    let edited = XML.replace("select 1", "select 2");
    let t = std::time::Instant::now();
    assert!(run(&path, &edited, &g).is_empty());
    let first = t.elapsed();
    assert!(first < std::time::Duration::from_secs(5), "{first:?}");
    // The repository is paused: no second wait.
    let t = std::time::Instant::now();
    assert!(run(&path, &edited, &g).is_empty());
    assert!(
        t.elapsed() < std::time::Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn a_committed_version_that_does_not_parse_is_not_compared() {
    let broken = XML.replace("</createTable>", "</createTabel>");
    let (_dir, path) = repo_with("broken", "changelog.xml", &broken);
    assert!(run(&path, XML, &Git::new()).is_empty());
}

#[test]
fn fixes_keep_the_line_endings_of_the_work_tree() {
    let (_dir, path) = repo_with("crlf", "changelog.xml", XML);
    let crlf = XML.replace('\n', "\r\n");
    let edited = crlf.replace("select 1", "select 2");
    let diags = run(&path, &edited, &Git::new());
    assert_eq!(diags.len(), 1);
    assert_eq!(apply(&edited, &diags[0], 0), crlf);
    let moved = apply(&edited, &diags[0], 1);
    assert!(!moved.replace("\r\n", "").contains('\n'), "{moved:?}");
    assert_eq!(ids(&moved, Format::Xml).len(), 3);
}

#[test]
fn git_is_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Git>();
}

#[test]
fn in_a_clone_the_default_branch_is_what_origin_head_names() {
    let (origin, _) = repo_with("origin", "changelog.xml", XML);
    let clone = TempDir::new("clone");
    let src = origin.0.to_str().expect("utf-8");
    let dst = clone.0.join("c");
    git(
        &clone.0,
        &["clone", "-q", src, dst.to_str().expect("utf-8")],
    );
    git(&dst, &["checkout", "-q", "-b", "feature"]);
    let path = dst.join("changelog.xml");
    let edited = XML.replace("select 1", "select 42");
    std::fs::write(&path, &edited).expect("write");
    git(&dst, &["commit", "-q", "-am", "edit"]);
    let diags = run(&path, &edited, &Git::new());
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].message.contains("merge-base with origin/main"),
        "{}",
        diags[0].message
    );
}

#[test]
fn prefetch_reads_many_files_in_one_batch_like_one_by_one() {
    let (dir, a) = repo_with("batch", "db/a file.xml", XML);
    let b = dir.0.join("db/untracked.xml");
    std::fs::write(&b, XML).expect("write");
    let c = dir.0.join("c.sql");
    std::fs::write(&c, SQL).expect("write");
    git(&dir.0, &["add", "c.sql"]);
    git(&dir.0, &["commit", "-q", "-m", "two"]);
    let g = Git::new();
    g.prefetch(&[a.clone(), b.clone(), c.clone(), dir.0.join("nope.xml")]);
    // Four paths at HEAD (on `main`, there is no other base): read, absent, read, absent.
    assert_eq!(g.cached_texts(), 4);
    let one = g.committed(&a);
    assert_eq!(one.len(), 1);
    assert_eq!(&*one[0].text, XML);
    assert!(g.committed(&b).is_empty());
    assert_eq!(&*g.committed(&c)[0].text, SQL);
    // Served from the cache: nothing was read one by one.
    assert_eq!(g.cached_texts(), 4);
    assert_eq!(run(&a, &XML.replace("select 1", "select 2"), &g).len(), 1);
}
