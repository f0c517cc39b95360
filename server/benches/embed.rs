//! Embedding throughput: the first 256 texts of the JSONL file named by LQLS_BENCH_TEXTS (one object a
//! line with a "text" field), embedded in batches of 16 (LQLS_BENCH_BATCH) with the model of
//! `default_model_dir()`.
//!
//! `LQLS_BENCH_TEXTS=texts.jsonl cargo bench -p lqls --bench embed`; skipped with a notice when the
//! variable is unset or the model is not installed.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use lqls::kb::embed::{default_model_dir, Embedder, DEFAULT_BATCH};

// As in the lqls binary: the forward pass allocates large tensors for every batch.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TEXTS: usize = 256;

/// Texts per forward pass: LQLS_BENCH_BATCH, else the embedder's default.
fn batch() -> usize {
    std::env::var("LQLS_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_BATCH)
}

fn read_texts(path: &str) -> Vec<String> {
    let file = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    file.lines()
        .filter(|l| !l.trim().is_empty())
        .take(TEXTS)
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}"));
            v["text"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: a line without a \"text\" string"))
                .to_string()
        })
        .collect()
}

/// One untimed warm-up pass, then one timed pass: the plain sentences/s figure, beside criterion's.
fn print_rate(embedder: &Embedder, texts: &[&str], batch: usize) {
    embedder.embed_batched(texts, batch).expect("embed");
    let start = Instant::now();
    embedder.embed_batched(texts, batch).expect("embed");
    let secs = start.elapsed().as_secs_f64();
    println!(
        "embed: {} texts in {secs:.3} s at batch {batch}: {:.1} sentences/s",
        texts.len(),
        texts.len() as f64 / secs
    );
}

fn main() {
    let Ok(path) = std::env::var("LQLS_BENCH_TEXTS") else {
        eprintln!(
            "embed bench skipped: set LQLS_BENCH_TEXTS to a JSONL file with a \"text\" field"
        );
        return;
    };
    let embedder = match Embedder::load(&default_model_dir()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("embed bench skipped: {e}");
            return;
        }
    };
    let owned = read_texts(&path);
    let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
    let batch = batch();
    print_rate(&embedder, &texts, batch);

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("embed");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function(format!("{} texts, batch {batch}", texts.len()), |b| {
        b.iter(|| black_box(embedder.embed_batched(&texts, batch).expect("embed")))
    });
    group.finish();
    c.final_summary();
}
