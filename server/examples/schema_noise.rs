//! Noise check of the schema replay on real changelogs: every file under a folder is parsed and its
//! own changesets replayed as one project; findings are counted per code and printed with their line.
//!
//! `cargo run --release --example schema_noise -- ../shared/corpus [code]`
//!
//! With `--oracle corpus/liquibase-oracle.jsonl [code] [corpus_path...]`, whole projects are replayed
//! in the execution order Liquibase itself resolved (includes followed): every multi-file root, or the
//! concatenation of the given roots.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lqls::workspace::schema::{replay_with_paths, Filter};
use lqls::workspace::Step;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("xml" | "yaml" | "yml" | "json" | "sql")
        ) {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--oracle") {
        oracle(&args[2..]);
        return;
    }
    let root = PathBuf::from(args.get(1).map_or("../shared/corpus", String::as_str));
    let show = args.get(2).cloned();
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut changesets, mut replayed_files) = (0, 0);
    let mut total = std::time::Duration::ZERO;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let format = lqls::syntax::detect_format(Some(path), &text);
        let parsed = lqls::syntax::parse(&text, format);
        let log = &parsed.changelog;
        if log.changesets.is_empty() {
            continue;
        }
        replayed_files += 1;
        changesets += log.changesets.len();
        let steps: Vec<Step> = log
            .changesets
            .iter()
            .map(|cs| Step {
                file: 0,
                changeset: cs,
                include_contexts: &[],
            })
            .collect();
        let name = path.display().to_string();
        let start = std::time::Instant::now();
        let r = replay_with_paths(&steps, &Filter::default(), std::slice::from_ref(&name));
        total += start.elapsed();
        queries_hold(&r);
        for f in r.findings() {
            *counts.entry(f.code).or_default() += 1;
            if show.as_deref().is_some_and(|c| c == f.code || c == "all") {
                let line = text[..f.span.start.min(text.len())].matches('\n').count() + 1;
                println!("{name}:{line}: {}: {}", f.code, f.message);
            }
        }
    }
    println!(
        "{replayed_files} files, {changesets} changesets, replay {:?} in total",
        total
    );
    for (code, n) in counts {
        println!("{code}: {n}");
    }
}

/// Extra replays per project (`RUNS`, default 4); the best time is shown.
fn runs() -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(4)
}

/// One changeset Liquibase listed: the file (relative to the corpus) and which changeset in it.
struct Listed {
    file: usize,
    index: usize,
    contexts: Vec<String>,
}

fn oracle(args: &[String]) {
    let jsonl = PathBuf::from(&args[0]);
    let corpus = jsonl.parent().unwrap_or(Path::new(".")).to_path_buf();
    let show = args.get(1).cloned();
    let only: Vec<&String> = args.iter().skip(2).collect();
    let text = std::fs::read_to_string(&jsonl).expect("readable oracle");
    let mut roots: Vec<serde_json::Value> = Vec::new();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let path = v["corpus_path"].as_str().unwrap_or("").to_string();
        if only.is_empty() || only.iter().any(|o| **o == path) {
            roots.push(v);
        }
    }
    // Concatenated roots run in the order given.
    roots.sort_by_key(|r| {
        let p = r["corpus_path"].as_str().unwrap_or("");
        only.iter().position(|o| o.as_str() == p)
    });
    let groups: Vec<Vec<serde_json::Value>> = if only.is_empty() {
        roots.into_iter().map(|r| vec![r]).collect()
    } else {
        vec![roots]
    };
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for group in groups {
        let mut paths: Vec<String> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut logs = Vec::new();
        let mut listed: Vec<Listed> = Vec::new();
        let mut used: std::collections::HashSet<(usize, usize)> = Default::default();
        let mut multi = std::collections::HashSet::new();
        for root in &group {
            let base = root["root"].as_str().unwrap_or("");
            for cs in root["changesets"].as_array().into_iter().flatten() {
                let rel = format!("{base}/{}", cs["path"].as_str().unwrap_or(""));
                multi.insert(rel.clone());
                let file = match paths.iter().position(|p| *p == rel) {
                    Some(f) => f,
                    None => {
                        let t = std::fs::read_to_string(corpus.join(&rel)).unwrap_or_default();
                        let format = lqls::syntax::detect_format(Some(Path::new(&rel)), &t);
                        logs.push(lqls::syntax::parse(&t, format).changelog);
                        texts.push(t);
                        paths.push(rel);
                        paths.len() - 1
                    }
                };
                let (id, author) = (
                    cs["id"].as_str().unwrap_or(""),
                    cs["author"].as_str().unwrap_or(""),
                );
                let found = logs[file].changesets.iter().enumerate().position(|(i, c)| {
                    c.id_str() == id && c.author_str() == author && !used.contains(&(file, i))
                });
                if let Some(index) = found {
                    used.insert((file, index));
                    let ctx = cs["contexts"].as_str().unwrap_or("");
                    let contexts = if logs[file].changesets[index].contexts().is_none()
                        && !ctx.is_empty()
                        && ctx != "()"
                    {
                        vec![ctx.to_string()]
                    } else {
                        Vec::new()
                    };
                    listed.push(Listed {
                        file,
                        index,
                        contexts,
                    });
                }
            }
        }
        if multi.len() < 2 {
            continue;
        }
        let steps: Vec<Step> = listed
            .iter()
            .map(|l| Step {
                file: l.file,
                changeset: &logs[l.file].changesets[l.index],
                include_contexts: &l.contexts,
            })
            .collect();
        let start = std::time::Instant::now();
        let mut r = replay_with_paths(&steps, &Filter::default(), &paths);
        let mut took = start.elapsed();
        // The best of a few runs: the machine is shared.
        for _ in 0..runs() {
            // Dropped outside the timing: freeing the previous result is not replaying.
            drop(r);
            let start = std::time::Instant::now();
            r = replay_with_paths(&steps, &Filter::default(), &paths);
            took = took.min(start.elapsed());
        }
        queries_hold(&r);
        let conditional = (0..steps.len()).filter(|&s| r.is_conditional(s)).count();
        println!(
            "{} ({} steps, {conditional} conditional, {} files, {} touches): {:?}",
            group[0]["corpus_path"].as_str().unwrap_or(""),
            steps.len(),
            paths.len(),
            r.touches().len(),
            took
        );
        for f in r.findings() {
            *counts.entry(f.code).or_default() += 1;
            if show.as_deref().is_some_and(|c| c == f.code || c == "all") {
                let t = &texts[f.file];
                let line = t[..f.span.start.min(t.len())].matches('\n').count() + 1;
                println!("  {}:{line}: {}: {}", paths[f.file], f.code, f.message);
            }
        }
    }
    for (code, n) in counts {
        println!("{code}: {n}");
    }
}

/// Every editor query on a sample of the touches answers without panicking, and a touch's own span
/// finds a symbol.
fn queries_hold(r: &lqls::workspace::schema::Replay) {
    for t in r.touches().iter().step_by(7) {
        let sym = r.symbol_at(t.file, t.span.start);
        assert!(t.span.is_empty() || sym.is_some(), "no symbol at {t:?}");
        if let Some(sym) = sym {
            let _ = r.definition(&sym);
            let _ = r.references(&sym).len();
        }
        let _ = r.table_at(t.step, &t.name);
        let _ = r.columns_at(t.step + 1, &t.name);
        let _ = r.history(&t.name);
        let _ = r.created_at(&t.name);
    }
    let _ = r.tables_at(usize::MAX);
}
