//! `lqls llm-bench` (hidden): the numbers `scripts/bench_llm.py` sets beside llama.cpp's llama-bench
//! on the same GGUF and threads. Prompt processing and generation are measured the way llama-bench
//! does (`pp`: N prompt tokens from an empty cache; `tg`: N tokens generated one by one after a
//! one-token prompt); review timings use the real review path.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;

use super::kb_bench::median;
use crate::llm::candle::CandleBackend;
use crate::llm::{Backend, Cancel, GenParams, LlmSettings};
use crate::review::{self, cache::ReviewCache};

#[derive(clap::Args, Debug)]
pub struct LlmBenchArgs {
    /// The GGUF (default: the default model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    #[arg(long, default_value_t = 256)]
    pub prompt_tokens: usize,
    #[arg(long, default_value_t = 64)]
    pub gen_tokens: usize,
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// A changelog whose changesets are reviewed for the time-to-first-token numbers.
    #[arg(
        long,
        default_value = "tests/review/cases/02-customers-add-columns.yaml"
    )]
    pub changelog: PathBuf,
}

pub fn run(args: LlmBenchArgs) -> i32 {
    match bench(&args) {
        Ok(v) => {
            println!("{}", serde_json::to_string_pretty(&v).expect("json"));
            0
        }
        Err(e) => {
            eprintln!("lqls: {e}");
            2
        }
    }
}

fn bench(args: &LlmBenchArgs) -> Result<serde_json::Value, String> {
    let settings = LlmSettings {
        model: args.model.clone(),
        threads: Some(args.threads),
        ..LlmSettings::default()
    };
    let started = Instant::now();
    let (mut b, info) =
        CandleBackend::load(&settings, &crate::llm::cache_dir()).map_err(|e| e.to_string())?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let runs = args.runs.max(1);

    // Prompt processing: a realistic token mix (a changelog's text), cut to the length asked.
    let text = std::fs::read_to_string(&args.changelog)
        .unwrap_or_default()
        .repeat(20);
    let mut tokens = b
        .tokenizer()
        .encode(&text, false)
        .map_err(|e| e.to_string())?;
    tokens.truncate(args.prompt_tokens);
    if tokens.len() < args.prompt_tokens {
        return Err(format!("{} gives too few tokens", args.changelog.display()));
    }
    let mut pp = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        b.prefill(&tokens).map_err(|e| e.to_string())?;
        pp.push(tokens.len() as f64 / t.elapsed().as_secs_f64());
    }
    // Generation: one token at a time after a one-token prompt, greedy.
    let mut tg = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let ids = b
            .greedy_ids(&tokens[..1], args.gen_tokens)
            .map_err(|e| e.to_string())?;
        tg.push(ids.len() as f64 / t.elapsed().as_secs_f64());
    }

    // Reviews: time to first token with the model warm, with and without the system prompt's
    // cached keys and values, and a cached review served from disk.
    let analysis_opts = crate::validate::Options::default();
    let (src, analysis) = crate::analysis::analyze_file(&args.changelog, &analysis_opts)
        .map_err(|e| e.to_string())?;
    let inputs: Vec<_> = analysis
        .changelog
        .changesets
        .iter()
        .map(|cs| {
            review::input_for(
                "bench.yaml",
                &src,
                &analysis.changelog,
                cs,
                &analysis.diagnostics,
            )
        })
        .collect();
    if inputs.len() < 2 {
        return Err("the changelog needs two changesets".into());
    }
    let params = GenParams {
        max_tokens: 1,
        ..GenParams::default()
    };
    let review_of = |b: &mut CandleBackend, i: usize| -> Result<review::Review, String> {
        let no_citations = |_: &str| false;
        review::generate(
            b,
            &inputs[i],
            &[],
            &params,
            &Cancel::new(),
            &mut |_| {},
            &no_citations,
        )
        .map(|(r, _)| r)
        .map_err(|e| e.to_string())
    };
    let first_token = |b: &mut CandleBackend, i: usize| -> Result<(f64, usize, usize), String> {
        let g = review_of(b, i)?.generation;
        Ok((g.first_token_ms, g.prompt_tokens, g.reused_tokens))
    };
    let mut no_prefix = Vec::new();
    let mut with_prefix = Vec::new();
    let mut prompt_tokens = 0;
    let mut reused = 0;
    for _ in 0..runs {
        b.prefill(&tokens[..1]).map_err(|e| e.to_string())?;
        let (ms, n, _) = first_token(&mut b, 0)?;
        no_prefix.push(ms);
        prompt_tokens = n;
        // The previous review's system prompt is in the cache now.
        let (ms, _, r) = first_token(&mut b, 1)?;
        with_prefix.push(ms);
        reused = r;
    }

    let dir = std::env::temp_dir().join(format!("lqls-bench-reviews-{}", std::process::id()));
    let cache = ReviewCache::new(dir.clone());
    let r = review_of(&mut b, 0)?;
    cache.put("bench", &r).map_err(|e| e.to_string())?;
    let mut served = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let got = cache.get("bench");
        served.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(got.is_some());
    }
    let _ = std::fs::remove_dir_all(dir);

    Ok(json!({
        "model": info.path,
        "loaded": info.loaded,
        "architecture": info.architecture,
        "threads": args.threads,
        "load_ms": load_ms,
        "pp_tokens": args.prompt_tokens,
        "pp_tps": median(pp),
        "tg_tokens": args.gen_tokens,
        "tg_tps": median(tg),
        "review_prompt_tokens": prompt_tokens,
        "review_reused_tokens": reused,
        "ttft_warm_no_prefix_ms": median(no_prefix),
        "ttft_warm_prefix_ms": median(with_prefix),
        "cached_review_ms": median(served),
        "model_id": b.model_id(),
    }))
}
