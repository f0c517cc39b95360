//! `lqls check` with the rule engine, driven as a user would: the built binary on temporary files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lqls-cli-rules-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn lqls(args: &[&str], files: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lqls"))
        .args(args)
        .args(files)
        .output()
        .expect("run lqls")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// An unused suppression (safe fix: remove the comment) and a dropped column (LB101, a warning).
/// Written with rollbacks and comments, so that no other rule has anything to say at warning or above.
const CHANGELOG: &str = r#"<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="a">
    <!-- lqls-disable-next-line LB101 -->
    <sql>select 1</sql>
    <rollback/>
  </changeSet>
  <changeSet id="2" author="a">
    <dropColumn tableName="person" columnName="nickname"/>
    <rollback/>
  </changeSet>
</databaseChangeLog>
"#;

#[test]
fn fix_writes_safe_fixes_and_is_idempotent() {
    let d = temp_dir("fix");
    let f = d.join("changelog.xml");
    std::fs::write(&f, CHANGELOG).unwrap();
    let out = lqls(&["check", "--fix"], &[&f]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let fixed = std::fs::read_to_string(&f).unwrap();
    assert!(!fixed.contains("lqls-disable"), "{fixed}");
    assert!(
        fixed.contains("<dropColumn"),
        "an unsafe change is never made"
    );
    let text = stdout(&out);
    assert!(!text.contains("unused-suppression"), "{text}");
    assert!(text.contains("LB101"), "{text}");
    // a second run changes nothing
    let again = lqls(&["check", "--fix"], &[&f]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), fixed);
    // no temporary file is left behind
    let left: Vec<_> = std::fs::read_dir(&d).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "{left:?}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn fix_refuses_a_file_with_syntax_errors() {
    let d = temp_dir("broken");
    let f = d.join("changelog.xml");
    let broken = CHANGELOG.replace("</sql>", "</sqlx>");
    std::fs::write(&f, &broken).unwrap();
    let out = lqls(&["check", "--fix"], &[&f]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), broken);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not fixed"), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn severity_threshold_sets_the_exit_status() {
    let d = temp_dir("threshold");
    let f = d.join("changelog.xml");
    std::fs::write(&f, CHANGELOG).unwrap();
    assert_eq!(lqls(&["check"], &[&f]).status.code(), Some(0));
    assert_eq!(
        lqls(&["check", "--severity", "error"], &[&f]).status.code(),
        Some(0)
    );
    assert_eq!(
        lqls(&["check", "--severity", "warning"], &[&f])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        lqls(&["check", "--severity", "hint"], &[&f]).status.code(),
        Some(1)
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn lqls_toml_is_found_upward_and_forced_with_config() {
    let d = temp_dir("discovery");
    let sub = d.join("db/changelog");
    std::fs::create_dir_all(&sub).unwrap();
    let f = sub.join("changelog.xml");
    std::fs::write(
        &f,
        CHANGELOG.replace("<!-- lqls-disable-next-line LB101 -->\n", ""),
    )
    .unwrap();
    assert!(stdout(&lqls(&["check"], &[&f])).contains("LB101"));
    std::fs::write(d.join("lqls.toml"), "[rules]\nLB101 = \"error\"\n").unwrap();
    let out = lqls(&["check"], &[&f]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("error[LB101]"));
    // --config replaces discovery
    let other = d.join("other.toml");
    std::fs::write(&other, "[rules]\nchange-drop-column-warn = \"off\"\n").unwrap();
    let out = lqls(&["check", "--config", other.to_str().unwrap()], &[&f]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!stdout(&out).contains("LB101"), "{}", stdout(&out));
    // problems in the configuration are diagnostics of it; a TOML syntax error is exit status 2
    std::fs::write(d.join("lqls.toml"), "[rules]\nLB101 = \"loud\"\n").unwrap();
    let out = lqls(&["check"], &[&f]);
    assert!(
        stdout(&out).contains("lqls.toml:2:9: error[invalid-config]"),
        "{}",
        stdout(&out)
    );
    std::fs::write(d.join("lqls.toml"), "[rules\n").unwrap();
    assert_eq!(lqls(&["check"], &[&f]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn sarif_describes_rules_and_fixes() {
    let d = temp_dir("sarif");
    let f = d.join("changelog.xml");
    std::fs::write(&f, CHANGELOG).unwrap();
    let out = lqls(&["check", "--format", "sarif"], &[&f]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let lb101 = results.iter().find(|r| r["ruleId"] == "LB101").unwrap();
    let idx = lb101["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "LB101");
    assert_eq!(rules[idx]["name"], "change-drop-column-warn");
    assert!(rules[idx]["helpUri"]
        .as_str()
        .unwrap()
        .ends_with("LB101.md"));
    assert_eq!(rules[idx]["defaultConfiguration"]["level"], "warning");
    let unused = results
        .iter()
        .find(|r| r["ruleId"] == "unused-suppression")
        .unwrap();
    assert!(
        unused["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"].is_object()
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn github_annotations_carry_the_code_as_title() {
    let d = temp_dir("github");
    let f = d.join("changelog.xml");
    std::fs::write(&f, CHANGELOG).unwrap();
    let out = stdout(&lqls(&["check", "--format", "github"], &[&f]));
    let line = out.lines().find(|l| l.contains("title=LB101")).expect(&out);
    assert!(line.starts_with("::warning file="), "{line}");
    assert!(line.contains(",line=8,col="), "{line}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn rule_docs_are_current() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules");
    let out = lqls(&["rules", "--check-docs", docs.to_str().unwrap()], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = stdout(&lqls(&["rules"], &[]));
    assert!(table.contains("LB101") && table.contains("change-drop-column-warn"));
    let page = stdout(&lqls(&["rules", "change-drop-column-warn"], &[]));
    assert!(page.starts_with("# LB101"));
}
