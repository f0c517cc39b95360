//! `lqls kb bench`: the knowledge base's numbers for `scripts/bench_kb.py`, which runs the peers
//! (sentence-transformers, ChromaDB) on the same texts in the same run and writes the README table.
//! Prints one JSON object: embedding throughput, index build and load time, query latency with the
//! query embedding, HNSW recall against exact search, and memory.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde_json::json;

use crate::kb::{embed::Embedder, source, KbSettings, KnowledgeBase, Tier};
use crate::retrieve::{eval, Retriever};

pub struct Args {
    pub texts: PathBuf,
    pub n: usize,
    pub runs: usize,
    pub cases: PathBuf,
    pub cold: bool,
}

pub fn run(args: &Args, settings: KbSettings) -> i32 {
    match bench(args, settings) {
        Ok(v) => {
            println!("{}", serde_json::to_string_pretty(&v).unwrap());
            0
        }
        Err(e) => {
            eprintln!("lqls: {e}");
            2
        }
    }
}

/// The middle value (the runs are odd in number, so it is one of them).
pub(super) fn median(xs: Vec<f64>) -> f64 {
    percentile(xs, 0.5)
}

fn percentile(mut xs: Vec<f64>, p: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    let i = ((xs.len() as f64 - 1.0) * p).round() as usize;
    xs[i]
}

fn rss_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn load_texts(path: &Path, n: usize) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(String::from))
        .take(n)
        .collect())
}

fn throughput(e: &Embedder, texts: &[&str], batch: usize, runs: usize) -> Result<f64, String> {
    let mut rates = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        e.embed_batched(texts, batch).map_err(|e| e.to_string())?;
        rates.push(texts.len() as f64 / t.elapsed().as_secs_f64());
    }
    Ok(median(rates))
}

fn bench(args: &Args, settings: KbSettings) -> Result<serde_json::Value, String> {
    let rss_start = rss_kb("VmRSS:");
    let t = Instant::now();
    let embedder = Arc::new(Embedder::load(&settings.model_dir()).map_err(|e| e.to_string())?);
    let model_load_ms = t.elapsed().as_secs_f64() * 1e3;
    let texts = load_texts(&args.texts, args.n)?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    // Warm-up: the first call pays for page faults of the mapped weights.
    embedder
        .embed(&refs[..refs.len().min(16)])
        .map_err(|e| e.to_string())?;
    let bs16 = throughput(&embedder, &refs, 16, args.runs)?;
    let bs1 = throughput(&embedder, &refs[..refs.len().min(200)], 1, args.runs)?;

    // Index build: cold (an empty cache folder: every chunk embedded) when asked, and warm (vectors
    // and indexes loaded), median of five.
    let cold_ms = if args.cold {
        let dir = std::env::temp_dir().join(format!("lqls-bench-cold-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        KnowledgeBase::build(
            source::load(None, true),
            embedder.clone(),
            &dir,
            &mut |_, _| {},
        )?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let _ = std::fs::remove_dir_all(&dir);
        Some(ms)
    } else {
        None
    };
    let cache = source::cache_dir();
    // Makes sure the cache is warm before timing loads.
    let mut kb = KnowledgeBase::build(
        source::load(None, true),
        embedder.clone(),
        &cache,
        &mut |_, _| {},
    )?;
    let mut warm = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        kb = KnowledgeBase::build(
            source::load(None, true),
            embedder.clone(),
            &cache,
            &mut |_, _| {},
        )?;
        warm.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let kb = Arc::new(kb);
    let chunks = kb.chunks.len();

    // Query latency, query embedding included: every evaluation case, each round with an empty
    // result cache.
    let cases_text = std::fs::read_to_string(&args.cases)
        .map_err(|e| format!("{}: {e}", args.cases.display()))?;
    let cases = eval::load(&cases_text)?;
    let queries: Vec<_> = cases.iter().map(eval::query_of).collect();
    let mut latencies = Vec::new();
    for _ in 0..args.runs.max(3) {
        let r = Retriever::new(kb.clone(), settings.clone());
        for q in &queries {
            let t = Instant::now();
            r.search(q)?;
            latencies.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    let r = Retriever::new(kb.clone(), settings.clone());
    let mut cached = Vec::new();
    for q in &queries {
        r.search(q)?;
        let t = Instant::now();
        r.search(q)?;
        cached.push(t.elapsed().as_secs_f64() * 1e3);
    }

    // HNSW against exact search, and the search alone (no embedding), over the query texts.
    let qtexts: Vec<&str> = queries
        .iter()
        .flat_map(|q| q.texts.iter().map(String::as_str))
        .collect();
    let qvecs = kb.embedder().embed(&qtexts)?;
    let (mut same, mut total) = (0usize, 0usize);
    let mut search_only = Vec::new();
    for tier in Tier::ALL {
        let idx = kb.tier(tier);
        for v in &qvecs {
            let t = Instant::now();
            let approx: Vec<usize> = idx.search(v, 5).iter().map(|x| x.0).collect();
            search_only.push(t.elapsed().as_secs_f64() * 1e3);
            let exact: Vec<usize> = idx.exact(v, 5).iter().map(|x| x.0).collect();
            same += exact.iter().filter(|e| approx.contains(e)).count();
            total += exact.len();
        }
    }
    let report = eval::run(&r, &cases)?;
    Ok(json!({
        "threads": candle_core::utils::get_num_threads(),
        "texts": texts.len(),
        "model_load_ms": model_load_ms,
        "embed": {"batch16_sentences_per_s": bs16, "batch1_sentences_per_s": bs1, "runs": args.runs},
        "index": {"chunks": chunks, "cold_build_ms": cold_ms, "warm_load_ms_median": median(warm)},
        "query": {
            "n": latencies.len(),
            "p50_ms": percentile(latencies.clone(), 0.5),
            "p99_ms": percentile(latencies, 0.99),
            "cached_p50_ms": percentile(cached, 0.5),
            "search_only_p50_ms": percentile(search_only.clone(), 0.5),
            "search_only_p99_ms": percentile(search_only, 0.99),
        },
        "hnsw_recall_at_5": same as f64 / total.max(1) as f64,
        "eval": {"cases": report.cases, "recall_at_5": report.recall_at_5, "mrr": report.mrr},
        "memory_kb": {"rss_start": rss_start, "rss_end": rss_kb("VmRSS:"), "peak": rss_kb("VmHWM:")},
    }))
}
