//! Time of each rule on one file, to find the expensive ones:
//! `cargo run --release --example rule_times -- FILE [RUNS]`. Every rule is run (including those off
//! by default), each RUNS times (default 20); the median per rule is printed, slowest first.

use std::time::Instant;

use lqls::rules::context::{Ctx, FileFacts, Findings, NoProject};
use lqls::rules::{registry, Config};
use lqls::syntax;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: rule_times FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let format = syntax::detect_format(Some(path.as_ref()), &text);
    let parsed = syntax::parse(&text, format);
    let config = Config::default();
    let options = serde_json::Map::new();
    let t = Instant::now();
    let facts = FileFacts::new(&parsed.changelog, &text, Some(path.as_ref()));
    println!(
        "file facts (SQL lexing, created tables): {:.3} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut rows = Vec::new();
    for &rule in registry::all() {
        let mut times = Vec::with_capacity(runs);
        let mut found = 0;
        for _ in 0..runs {
            let cx = Ctx {
                changelog: &parsed.changelog,
                text: &text,
                path: None,
                settings: &config.settings,
                file: &facts,
                project: &NoProject,
                rule,
                options: &options,
            };
            let mut out = Findings::default();
            let t = Instant::now();
            (rule.check)(&cx, &mut out);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            found = out.items.len();
        }
        times.sort_by(f64::total_cmp);
        rows.push((times[times.len() / 2], rule.code, rule.name, found));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for state in ["off", "default", "on"] {
        let json =
            serde_json::json!({"rules": {"policy": state, "safety": state, "convention": state}});
        let config = if state == "default" {
            Config::default()
        } else {
            Config::from_json(&json).config.expect("valid")
        };
        let opts = lqls::validate::Options {
            rules: std::sync::Arc::new(config),
            ..Default::default()
        };
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let a = lqls::analysis::analyze(&text, format, &opts);
                std::hint::black_box(a);
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "whole analysis, rules {state}: {:.3} ms",
            times[times.len() / 2]
        );
    }
    for (ms, code, name, found) in rows {
        println!("{ms:8.3} ms  {code} {name} ({found} findings)");
    }
}
