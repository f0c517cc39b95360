//! The include graph on real folders: order, paths, and bad input (cycles, paths outside the search
//! path, a missing root, a 10,000-file includeAll).

use std::path::{Path, PathBuf};

use super::files::Files;
use super::project::{Index, Project, ProjectSettings};
use super::resolve::{resolve, Options, Resolution};
use crate::diagnostics::codes;

const HEAD: &str = r#"<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">"#;

fn changelog(body: &str) -> String {
    format!("{HEAD}\n{body}\n</databaseChangeLog>\n")
}

fn changeset(id: &str) -> String {
    format!(r#"<changeSet id="{id}" author="t"><sql>select 1</sql></changeSet>"#)
}

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("lqls-ws-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(dir: &Dir, root: &Path) -> Resolution {
    let opts = Options {
        search_paths: vec![dir.0.clone()],
        parameters: Vec::new(),
    };
    resolve(&Files::new(), root, &opts)
}

fn listing(r: &Resolution) -> Vec<String> {
    r.entries
        .iter()
        .map(|e| format!("{}::{}", e.path, e.id))
        .collect()
}

fn problem_codes(r: &Resolution) -> Vec<&'static str> {
    r.problems.iter().map(|p| p.diagnostic.code).collect()
}

#[test]
fn changesets_and_includes_run_in_document_order() {
    let d = Dir::new("order");
    let root = d.write(
        "db/master.xml",
        &changelog(&format!(
            r#"{}<include file="db/parts/a.xml"/>{}<includeAll path="parts2" relativeToChangelogFile="true"/>"#,
            changeset("1"),
            changeset("2")
        )),
    );
    d.write("db/parts/a.xml", &changelog(&changeset("a")));
    d.write("db/parts2/b.yaml", "databaseChangeLog:\n- changeSet:\n    id: b\n    author: t\n    changes:\n    - sql: {sql: select 1}\n");
    d.write("db/parts2/a-c.xml", &changelog(&changeset("c")));
    d.write("db/parts2/notes.txt", "not a changelog");
    d.write("db/parts2/plain.sql", "select 1;");
    let r = run(&d, &root);
    assert_eq!(
        listing(&r),
        [
            "db/master.xml::1",
            "db/parts/a.xml::a",
            "db/master.xml::2",
            "db/parts2/a-c.xml::c",
            "db/parts2/b.yaml::b",
            "db/parts2/plain.sql::raw",
        ]
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn a_cycle_is_cut_and_reported_at_the_include() {
    let d = Dir::new("cycle");
    let root = d.write(
        "a.xml",
        &changelog(&format!(r#"{}<include file="b.xml"/>"#, changeset("a"))),
    );
    d.write(
        "b.xml",
        &changelog(&format!(r#"{}<include file="a.xml"/>"#, changeset("b"))),
    );
    let r = run(&d, &root);
    assert_eq!(listing(&r), ["a.xml::a", "b.xml::b"]);
    assert_eq!(problem_codes(&r), [codes::INCLUDE_CYCLE]);
    assert!(r.problems[0]
        .diagnostic
        .message
        .contains("a.xml → b.xml → a.xml"));
    // A file including itself.
    let own = d.write("self.xml", &changelog(r#"<include file="self.xml"/>"#));
    assert_eq!(problem_codes(&run(&d, &own)), [codes::INCLUDE_CYCLE]);
}

#[test]
fn paths_outside_the_search_path_are_never_read() {
    let d = Dir::new("outside");
    let secret =
        d.0.parent()
            .unwrap()
            .join(format!("lqls-secret-{}.xml", std::process::id()));
    std::fs::write(&secret, changelog(&changeset("secret"))).unwrap();
    let name = secret.file_name().unwrap().to_str().unwrap().to_string();
    let root = d.write(
        "db/master.xml",
        &changelog(&format!(
            r#"<include file="../../{name}" relativeToChangelogFile="true"/><include file="{}"/><includeAll path="../"/>"#,
            secret.display()
        )),
    );
    let r = run(&d, &root);
    std::fs::remove_file(&secret).unwrap();
    assert!(r.entries.is_empty(), "{:?}", listing(&r));
    assert_eq!(
        problem_codes(&r),
        [
            codes::INCLUDE_OUTSIDE,
            codes::MISSING_INCLUDE,
            codes::INCLUDE_OUTSIDE
        ]
    );
}

#[test]
fn missing_files_follow_error_if_missing() {
    let d = Dir::new("missing");
    let root = d.write(
        "m.xml",
        &changelog(
            r#"<include file="nope.xml"/><include file="nope2.xml" errorIfMissing="false"/>
            <includeAll path="none/"/><includeAll path="none2/" errorIfMissingOrEmpty="false"/>"#,
        ),
    );
    let r = run(&d, &root);
    assert_eq!(
        problem_codes(&r),
        [codes::MISSING_INCLUDE, codes::MISSING_INCLUDE]
    );
    // A missing root gives an empty resolution, not a panic.
    let r = run(&d, &d.0.join("absent.xml"));
    assert!(r.root.is_none() && r.entries.is_empty());
}

#[test]
fn include_all_of_ten_thousand_files() {
    let d = Dir::new("tenk");
    let root = d.write("m.xml", &changelog(r#"<includeAll path="many"/>"#));
    for i in 0..10_000 {
        d.write(
            &format!("many/{:02}/{i:05}.xml", i % 50),
            &changelog(&changeset(&i.to_string())),
        );
    }
    let r = run(&d, &root);
    assert_eq!(r.entries.len(), 10_000);
    assert!(r.problems.is_empty());
    // Alphabetical by resource path: folder 00 first, and within it 00000, 00050, ...
    assert_eq!(r.entries[0].id, "0");
    assert_eq!(r.entries[1].id, "50");
}

#[test]
fn depth_limits_and_ends_with_filter() {
    let d = Dir::new("depth");
    let root = d.write(
        "m.xml",
        &changelog(
            r#"<includeAll path="t" minDepth="2" maxDepth="2"/><includeAll path="u" endsWithFilter="-up.xml"/>"#,
        ),
    );
    d.write("t/top.xml", &changelog(&changeset("top")));
    d.write("t/x/mid.xml", &changelog(&changeset("mid")));
    d.write("t/x/y/deep.xml", &changelog(&changeset("deep")));
    d.write("u/1-up.xml", &changelog(&changeset("up")));
    d.write("u/1-down.xml", &changelog(&changeset("down")));
    assert_eq!(
        listing(&run(&d, &root)),
        ["t/x/mid.xml::mid", "u/1-up.xml::up"]
    );
}

#[test]
fn project_finds_roots_and_loose_files() {
    let d = Dir::new("project");
    d.write(
        "src/main/resources/db/changelog/db.changelog-master.xml",
        &changelog(r#"<include file="db/changelog/one.xml"/>"#),
    );
    d.write(
        "src/main/resources/db/changelog/one.xml",
        &changelog(&changeset("1")),
    );
    d.write("scratch/loose.xml", &changelog(&changeset("l")));
    let mut p = Project::new(std::sync::Arc::new(Files::new()));
    p.set_folders(vec![(d.0.clone(), ProjectSettings::default())]);
    let index: Index = p.index(&[]);
    let roots: Vec<String> = index
        .roots
        .iter()
        .map(|r| {
            r.spec
                .root
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(roots, ["db.changelog-master.xml", "loose.xml"]);
    assert_eq!(
        index.roots[0].resolution.entries[0].path,
        "db/changelog/one.xml"
    );
    assert!(index.diagnostics.is_empty());
}

#[test]
fn tables_created_by_unreleased_changesets_are_new_for_later_files() {
    use super::facts::FileFacts;
    use super::git::Git;
    use crate::rules::ProjectFacts;
    let d = Dir::new("facts");
    let root = d.write(
        "m.xml",
        &changelog(
            r#"<include file="old.xml"/><include file="new.xml"/><include file="later.xml"/>"#,
        ),
    );
    let create = |id: &str, table: &str| {
        changelog(&format!(
            r#"<changeSet id="{id}" author="t"><createTable tableName="{table}"><column name="id" type="int"/></createTable></changeSet>"#
        ))
    };
    d.write("old.xml", &create("1", "legacy"));
    let later = d.write(
        "later.xml",
        &changelog(r#"<changeSet id="3" author="t"><addNotNullConstraint tableName="fresh" columnName="id"/></changeSet>"#),
    );
    super::committed_tests::git(&d.0, &["init", "-q"]);
    super::committed_tests::git(&d.0, &["add", "-A"]);
    super::committed_tests::git(&d.0, &["commit", "-q", "-m", "released"]);
    // Written after the commit: not released.
    d.write("new.xml", &create("2", "fresh"));
    let files = std::sync::Arc::new(Files::new());
    let spec = super::project::RootSpec {
        root: root.clone(),
        search_paths: vec![d.0.clone()],
        parameters: Vec::new(),
        declared: true,
        filter: Default::default(),
    };
    let index = Index::build(&files, &[spec], &[]);
    let id = files.id(&later);
    let facts = FileFacts::compute(&index, &files, id, Some(&Git::new()));
    assert!(facts.table_created_unreleased("FRESH"));
    assert!(
        !facts.table_created_unreleased("legacy"),
        "committed: released"
    );
    // Without git nothing is known to be unreleased.
    let none = FileFacts::compute(
        &index,
        &files,
        id,
        Some(&Git::with_program("/nonexistent/git")),
    );
    assert!(!none.table_created_unreleased("fresh"));
}

#[test]
fn schema_queries_across_files() {
    let d = Dir::new("schemaq");
    let root = d.write(
        "m.xml",
        &changelog(r#"<include file="a.xml"/><include file="b.xml"/>"#),
    );
    d.write(
        "a.xml",
        &changelog(r#"<changeSet id="1" author="t"><createTable tableName="person"><column name="id" type="int"/><column name="nick" type="int"/></createTable></changeSet>"#),
    );
    let b_text = changelog(
        r#"<changeSet id="2" author="t"><dropColumn tableName="person" columnName="nick"/></changeSet><changeSet id="3" author="t"><addNotNullConstraint tableName="person" columnName="nick"/></changeSet>"#,
    );
    let b = d.write("b.xml", &b_text);
    let files = std::sync::Arc::new(Files::new());
    let spec = super::project::RootSpec {
        root,
        search_paths: vec![d.0.clone()],
        parameters: Vec::new(),
        declared: true,
        filter: Default::default(),
    };
    let index = Index::build(&files, &[spec], &[]);
    let bid = files.id(&b);
    let root = index.root_of(bid).expect("b is reached");
    let at = b_text.find(r#"tableName="person""#).unwrap() + 12;
    let sym = root
        .schema
        .symbol_at(bid, at)
        .expect("a table under the cursor");
    assert_eq!(sym.name, "person");
    assert_eq!(root.schema.references(&sym).len(), 3);
    let codes: Vec<&str> = index.diagnostics[&bid]
        .iter()
        .map(|p| p.diagnostic.code)
        .collect();
    assert_eq!(codes, ["unknown-column"]);
}
