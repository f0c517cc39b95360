//! Agreement with Liquibase's own parser, per syntax: every corpus changelog Liquibase 4.29 parsed gives
//! the same changesets (id, author, change types, in order) in lqls. The oracle file records what
//! Liquibase made of each file (`../shared/corpus/liquibase-oracle.jsonl`, see the corpus README).

mod common;

use std::collections::BTreeMap;

use lqls::{analysis, validate};
use serde_json::Value;

#[test]
fn parsed_files_give_liquibases_changesets_in_every_syntax() {
    let oracle = common::corpus().join("liquibase-oracle.jsonl");
    let text = std::fs::read_to_string(&oracle).expect("oracle file");
    let mut per_format: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for line in text.lines() {
        let rec: Value = serde_json::from_str(line).expect("oracle line is JSON");
        if rec["ok"] != Value::Bool(true) {
            continue;
        }
        let rel = rec["corpus_path"].as_str().unwrap();
        let path = common::corpus().join(rel);
        let (_, a) = analysis::analyze_file(&path, &validate::Options::default()).unwrap();
        let log = a.changelog;
        // Liquibase lists the changesets of included files too; keep those physically in this file.
        let file = rec["file"].as_str().unwrap();
        let mut names = vec![file.to_string()];
        names.extend(log.logical_file_path.iter().map(|l| l.value.clone()));
        names.extend(
            log.changesets
                .iter()
                .filter_map(|cs| cs.logical_file_path().map(str::to_string)),
        );
        let want: Vec<(String, String, Vec<String>)> = rec["changesets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|cs| names.iter().any(|n| n == cs["path"].as_str().unwrap_or("")))
            .map(|cs| {
                (
                    cs["id"].as_str().unwrap_or("").to_string(),
                    cs["author"].as_str().unwrap_or("").to_string(),
                    cs["changes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect();
        let got = common::identities(&log);
        let ext = path.extension().unwrap().to_string_lossy().to_string();
        let entry = per_format.entry(ext).or_default();
        entry.0 += 1;
        if want != got {
            entry.1.push(format!(
                "{rel}: Liquibase {} changesets, lqls {}; first Liquibase {:?}, lqls {:?}",
                want.len(),
                got.len(),
                want.first(),
                got.first()
            ));
        }
    }
    let mut failures = Vec::new();
    for (ext, (n, bad)) in &per_format {
        eprintln!("{ext}: {}/{n} files agree", n - bad.len());
        failures.extend(bad.iter().cloned());
    }
    assert!(per_format.len() >= 4, "every syntax is in the oracle: {per_format:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
