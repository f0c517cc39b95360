//! `lqls kb index | search | stats | eval`: the knowledge base from the command line, with the same
//! settings (`[knowledge-base]` in the nearest lqls.toml) and the same cascade as hover.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use crate::kb::{KbSettings, Tier};
use crate::retrieve::{eval, Answer, Query, Retriever};

#[derive(clap::Args, Debug)]
pub struct KbArgs {
    #[command(subcommand)]
    pub command: KbCommand,
}

/// Options every `kb` command takes.
#[derive(clap::Args, Debug, Clone)]
pub struct KbOptions {
    /// The project's knowledge base (folders guidelines/, examples/, liquibase-docs/). Default:
    /// `[knowledge-base] path` of the nearest lqls.toml, else `.lqls/knowledge-base`.
    #[arg(long, value_name = "DIR")]
    pub kb: Option<PathBuf>,
    /// Search only the given knowledge base, not the bundled one.
    #[arg(long)]
    pub no_bundled: bool,
    /// The embedding model folder (config.json, tokenizer.json, model.safetensors).
    #[arg(long, value_name = "DIR", env = "LQLS_EMBED_MODEL")]
    pub model: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum KbCommand {
    /// Embed what changed and build (or load) the per-tier indexes; prints what it did.
    Index {
        #[command(flatten)]
        opts: KbOptions,
    },
    /// Search the knowledge base in cascade order: guidelines, then examples, then documentation.
    Search {
        text: String,
        #[command(flatten)]
        opts: KbOptions,
        /// Search one tier only.
        #[arg(long, value_parser = ["guidelines", "examples", "docs"])]
        tier: Option<String>,
        /// How many hits (default: `[knowledge-base] k`, else 5).
        #[arg(short, long)]
        k: Option<usize>,
        /// `[{"tier", "score", "path", "heading", "guideline_id", "lines", "text"}]`, best first.
        #[arg(long)]
        json: bool,
    },
    /// Chunks per tier and origin, the model, the cache folders and index state.
    Stats {
        #[command(flatten)]
        opts: KbOptions,
        #[arg(long)]
        json: bool,
    },
    /// Benchmark numbers as JSON (see scripts/bench_kb.py, which runs the peers beside it).
    #[command(hide = true)]
    Bench {
        /// JSON lines with a "text" field (the peers' texts).
        #[arg(long)]
        texts: PathBuf,
        #[arg(long, default_value_t = 512)]
        n: usize,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// The evaluation cases, used as queries.
        #[arg(long, default_value = "tests/kb/eval.jsonl")]
        cases: PathBuf,
        /// Also time a cold index build (every chunk embedded; about a minute).
        #[arg(long)]
        cold: bool,
        #[command(flatten)]
        opts: KbOptions,
    },
    /// Retrieval evaluation: recall@5 and MRR over a JSON-lines file of cases.
    #[command(hide = true)]
    Eval {
        cases: PathBuf,
        #[command(flatten)]
        opts: KbOptions,
        /// Override `[knowledge-base] lexical-weight`.
        #[arg(long)]
        lexical_weight: Option<f32>,
        /// Override the thresholds: guidelines,examples,docs (e.g. 0.4,0.4,0.3).
        #[arg(long, value_delimiter = ',')]
        thresholds: Option<Vec<f32>>,
        /// Override `[knowledge-base] mmr-lambda`.
        #[arg(long)]
        mmr_lambda: Option<f32>,
        /// Print the misses.
        #[arg(long)]
        verbose: bool,
    },
}

pub fn run(args: KbArgs) -> i32 {
    match args.command {
        KbCommand::Index { opts } => index(&opts),
        KbCommand::Search {
            text,
            opts,
            tier,
            k,
            json,
        } => search(&opts, &text, tier.as_deref().and_then(Tier::parse), k, json),
        KbCommand::Stats { opts, json } => stats(&opts, json),
        KbCommand::Bench {
            texts,
            n,
            runs,
            cases,
            cold,
            opts,
        } => super::kb_bench::run(
            &super::kb_bench::Args {
                texts,
                n,
                runs,
                cases,
                cold,
            },
            settings(&opts),
        ),
        KbCommand::Eval {
            cases,
            opts,
            lexical_weight,
            thresholds,
            mmr_lambda,
            verbose,
        } => run_eval(
            &opts,
            &cases,
            lexical_weight,
            thresholds,
            mmr_lambda,
            verbose,
        ),
    }
}

/// The settings of the nearest lqls.toml (from the current folder up), overridden by the flags.
pub fn settings(opts: &KbOptions) -> KbSettings {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut s = KbSettings::for_folder(&crate::rules::config_files::ConfigFiles::default(), &cwd);
    if let Some(kb) = &opts.kb {
        s.path = Some(cwd.join(kb));
    }
    if opts.no_bundled {
        s.bundled = false;
    }
    if let Some(m) = &opts.model {
        s.model = Some(cwd.join(m));
    }
    s
}

fn open(opts: &KbOptions, quiet: bool) -> Result<Retriever, i32> {
    let s = settings(opts);
    if let Some(p) = s.path.as_ref().filter(|p| opts.kb.is_some() && !p.is_dir()) {
        eprintln!("lqls: knowledge base {} is not a folder", p.display());
        return Err(2);
    }
    let mut last = usize::MAX;
    let mut progress = |done: usize, total: usize| {
        if !quiet && total > 0 && done != last {
            last = done;
            eprint!("\rembedding {done}/{total} chunks");
            if done == total {
                eprintln!();
            }
        }
    };
    match Retriever::open(s, &mut progress) {
        Ok(r) => {
            for w in &r.kb.warnings {
                eprintln!("lqls: warning: {w}");
            }
            Ok(r)
        }
        Err(e) => {
            eprintln!("lqls: {e}");
            Err(2)
        }
    }
}

fn index(opts: &KbOptions) -> i32 {
    let r = match open(opts, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let st = &r.kb.stats;
    println!(
        "{} chunks: {} embedded, {} from the cache, in {} ms",
        r.kb.chunks.len(),
        st.embedded,
        st.cached,
        st.millis
    );
    for (tier, outcome) in &st.outcomes {
        let what = match outcome {
            crate::kb::index::Outcome::Loaded => "loaded".to_string(),
            crate::kb::index::Outcome::Built => "built".to_string(),
            crate::kb::index::Outcome::Rebuilt(why) => format!("rebuilt ({why})"),
        };
        println!(
            "{:<10} {:>4} chunks, index {what}",
            tier.as_str(),
            r.kb.count(*tier)
        );
    }
    0
}

fn search(opts: &KbOptions, text: &str, tier: Option<Tier>, k: Option<usize>, json: bool) -> i32 {
    let r = match open(opts, json) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let q = Query {
        tier,
        k,
        ..Query::text(text)
    };
    let answer = match r.search(&q) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("lqls: {e}");
            return 2;
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&hits_json(&r, &answer)).unwrap()
        );
    } else {
        print_text(&r, &answer);
    }
    0
}

/// The JSON form of an answer: the documented fields, plus where each hit came from.
pub fn hits_json(r: &Retriever, answer: &Answer) -> serde_json::Value {
    answer
        .hits
        .iter()
        .map(|h| {
            let c = r.chunk(h);
            json!({
                "tier": h.tier.as_str(),
                "score": round(h.score),
                "similarity": round(h.similarity),
                "path": c.path.to_string_lossy(),
                "heading": c.heading,
                "guideline_id": c.guideline_id,
                "lines": [c.lines.0, c.lines.1],
                "text": c.text,
                "origin": c.origin.as_str(),
            })
        })
        .collect()
}

fn round(x: f32) -> f64 {
    (x as f64 * 10_000.0).round() / 10_000.0
}

fn print_text(r: &Retriever, answer: &Answer) {
    if answer.hits.is_empty() {
        println!("no answer above the thresholds");
    }
    for (i, h) in answer.hits.iter().enumerate() {
        let c = r.chunk(h);
        println!(
            "{}. [{}] {}  ({:.3})",
            i + 1,
            h.tier.as_str(),
            c.heading,
            h.score
        );
        println!("   {}:{}-{}", c.path.display(), c.lines.0, c.lines.1);
        println!("   {}", c.summary());
    }
    let consulted: Vec<String> = answer
        .consulted
        .iter()
        .map(|t| format!("{} ({} hits, best {:.3})", t.tier.as_str(), t.hits, t.best))
        .collect();
    eprintln!("tiers consulted: {}", consulted.join(", "));
}

fn stats(opts: &KbOptions, json: bool) -> i32 {
    let r = match open(opts, json) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let kb = &r.kb;
    let per: Vec<serde_json::Value> = Tier::ALL
        .iter()
        .map(|&t| {
            let of = |o| kb.chunks.iter().filter(|c| c.tier == t && c.origin == o).count();
            let files: std::collections::BTreeSet<_> =
                kb.chunks.iter().filter(|c| c.tier == t).map(|c| &c.path).collect();
            json!({"tier": t.as_str(), "chunks": kb.count(t), "files": files.len(),
                   "project": of(crate::kb::Origin::Project), "bundled": of(crate::kb::Origin::Bundled)})
        })
        .collect();
    let value = json!({
        "model": kb.embedder().model_id(),
        "model_dir": r.settings.model_dir().to_string_lossy(),
        "cache": crate::kb::source::cache_dir().to_string_lossy(),
        "roots": kb.roots.iter().map(|(o, p)| json!({"origin": o.as_str(), "path": p.to_string_lossy()})).collect::<Vec<_>>(),
        "tiers": per,
        "embedded": kb.stats.embedded,
        "cached": kb.stats.cached,
        "build_ms": kb.stats.millis as u64,
        "warnings": kb.warnings,
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&value).unwrap());
        return 0;
    }
    println!("model     {}", value["model"].as_str().unwrap_or(""));
    println!("model dir {}", value["model_dir"].as_str().unwrap_or(""));
    println!("cache     {}", value["cache"].as_str().unwrap_or(""));
    for (o, p) in &kb.roots {
        println!("kb        {} ({})", p.display(), o.as_str());
    }
    for t in value["tiers"].as_array().into_iter().flatten() {
        println!(
            "{:<10} {:>4} chunks in {:>3} files ({} project, {} bundled)",
            t["tier"].as_str().unwrap_or(""),
            t["chunks"],
            t["files"],
            t["project"],
            t["bundled"]
        );
    }
    println!(
        "built in {} ms ({} embedded, {} cached)",
        kb.stats.millis, kb.stats.embedded, kb.stats.cached
    );
    0
}

fn run_eval(
    opts: &KbOptions,
    cases: &Path,
    lexical_weight: Option<f32>,
    thresholds: Option<Vec<f32>>,
    mmr_lambda: Option<f32>,
    verbose: bool,
) -> i32 {
    let text = match std::fs::read_to_string(cases) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("lqls: {}: {e}", cases.display());
            return 2;
        }
    };
    let cases = match eval::load(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lqls: {e}");
            return 2;
        }
    };
    let mut r = match open(opts, true) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(w) = lexical_weight {
        r.settings.lexical_weight = w;
    }
    if let Some(t) = thresholds {
        if t.len() != 3 {
            eprintln!("lqls: --thresholds takes three numbers: guidelines,examples,docs");
            return 2;
        }
        r.settings.thresholds.copy_from_slice(&t);
    }
    if let Some(l) = mmr_lambda {
        r.settings.mmr_lambda = l;
    }
    match eval::run(&r, &cases) {
        Ok(rep) => {
            println!(
                "{} cases: recall@5 {:.3}, MRR {:.3} (lexical weight {}, thresholds {:?}, mmr-lambda {})",
                rep.cases,
                rep.recall_at_5,
                rep.mrr,
                r.settings.lexical_weight,
                r.settings.thresholds,
                r.settings.mmr_lambda
            );
            if verbose {
                for (q, got) in &rep.misses {
                    println!(
                        "miss: {}\n  got: {}",
                        q.lines().next().unwrap_or(""),
                        got.join(", ")
                    );
                }
            }
            0
        }
        Err(e) => {
            eprintln!("lqls: {e}");
            2
        }
    }
}
