//! Parse + structural diagnostics throughput on the largest corpus files of each syntax, with the raw
//! quick-xml tokenizer (XML) and saphyr-parser's event stream (YAML) on the same files: the floor a
//! parser built on them can approach.
//!
//! `cargo bench -p lqls --bench parse`; the corpus is `../shared/corpus` (override with LQLS_CORPUS).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lqls::{analysis, rules, syntax, validate};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> PathBuf {
    std::env::var_os("LQLS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
}

/// The largest changelog of each extension in the corpus.
fn largest(ext: &str) -> Option<PathBuf> {
    walk(&corpus())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| syntax::is_changelog(p, &t)))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Options with every rule category switched on (`on`) or off (`off`), whatever the rule defaults.
fn with_rules(state: &str) -> validate::Options {
    let json =
        serde_json::json!({"rules": {"policy": state, "safety": state, "convention": state}});
    let config = rules::Config::from_json(&json)
        .config
        .expect("valid settings");
    validate::Options {
        rules: std::sync::Arc::new(config),
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    // The foundation's measure: parsing and structural validation, no rules.
    let opts = with_rules("off");
    let mut group = c.benchmark_group("parse+validate");
    group
        .measurement_time(Duration::from_secs(5))
        .sample_size(30);
    for ext in ["xml", "yaml", "sql"] {
        let Some(path) = largest(ext) else {
            eprintln!("no .{ext} changelog under {}", corpus().display());
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("corpus file is UTF-8");
        let format = syntax::detect_format(Some(&path), &text);
        let name = format!(
            "{ext} {} ({} KB)",
            path.file_name().unwrap().to_string_lossy(),
            text.len() / 1024
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(&name, |b| {
            b.iter(|| black_box(analysis::analyze(black_box(&text), format, &opts)))
        });
        if ext == "xml" {
            group.bench_function(format!("quick-xml tokens only: {name}"), |b| {
                b.iter(|| {
                    let mut reader = quick_xml::Reader::from_str(black_box(&text));
                    let mut n = 0usize;
                    loop {
                        match reader.read_event() {
                            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                            Ok(_) => n += 1,
                        }
                    }
                    black_box(n)
                })
            });
        }
        if ext == "yaml" {
            group.bench_function(format!("saphyr-parser events only: {name}"), |b| {
                b.iter(|| {
                    let mut parser = saphyr_parser::Parser::new_from_str(black_box(&text));
                    let mut n = 0usize;
                    while let Some(Ok((ev, _))) = parser.next_event() {
                        if ev == saphyr_parser::Event::StreamEnd {
                            break;
                        }
                        n += 1;
                    }
                    black_box(n)
                })
            });
        }
    }
    group.finish();
}

/// The same files with no rules, the default rules, and every rule (including those off by default).
fn bench_rules(c: &mut Criterion) {
    let mut group = c.benchmark_group("rules");
    group
        .measurement_time(Duration::from_secs(5))
        .sample_size(30);
    for ext in ["xml", "yaml", "sql"] {
        let Some(path) = largest(ext) else { continue };
        let text = std::fs::read_to_string(&path).expect("corpus file is UTF-8");
        let format = syntax::detect_format(Some(&path), &text);
        group.throughput(Throughput::Bytes(text.len() as u64));
        for (label, opts) in [
            ("no rules", with_rules("off")),
            ("default rules", validate::Options::default()),
            ("all rules", with_rules("on")),
        ] {
            group.bench_function(format!("{ext} {label}"), |b| {
                b.iter(|| black_box(analysis::analyze(black_box(&text), format, &opts)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench, bench_rules);
criterion_main!(benches);
