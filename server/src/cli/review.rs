//! `lqls review FILE [--changeset ID] [--model PATH] [--json]`: the same review as the editor's
//! "Review this changeset", from the command line. Text mode streams the review to stdout as it is
//! written, with progress on stderr; `--json` prints `{"reviews": [...]}` at the end. Cached reviews
//! (same model, changeset, findings, knowledge base and settings) are printed at once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis;
use crate::llm::{self, Backend, Cancel, LlmSettings};
use crate::retrieve::{query::findings_in, Retriever};
use crate::review::{self, cache::ReviewCache, Review};
use crate::rules::config_files::ConfigFiles;
use crate::validate;

#[derive(clap::Args, Debug)]
pub struct ReviewArgs {
    /// The changelog.
    pub file: PathBuf,
    /// Review only the changeset with this id (default: every changeset in the file).
    #[arg(long, value_name = "ID")]
    pub changeset: Option<String>,
    /// The GGUF model (default: `[llm] model` of the nearest lqls.toml, else SmolLM2-135M-Instruct
    /// installed by scripts/setup-models.sh).
    #[arg(long, value_name = "PATH", env = "LQLS_LLM_MODEL")]
    pub model: Option<PathBuf>,
    /// `{"reviews": [{"changeset", "path", "lines", "text", "citations", "removed_citations",
    /// "sources", "model", "cached", "generation"}]}` instead of streamed text.
    #[arg(long)]
    pub json: bool,
    /// Tokens the model may write per review (default: `[llm] max-tokens`, else 384).
    #[arg(long)]
    pub max_tokens: Option<usize>,
    /// Generate even when a cached review exists (the new one replaces it).
    #[arg(long)]
    pub no_cache: bool,
    /// Print the prompts instead of reviewing (no model is loaded).
    #[arg(long, hide = true)]
    pub print_prompt: bool,
    #[command(flatten)]
    pub kb: super::kb::KbOptions,
}

pub fn run(args: ReviewArgs) -> i32 {
    match review_file(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("lqls: {message}");
            2
        }
    }
}

fn review_file(args: &ReviewArgs) -> Result<i32, String> {
    let path = &args.file;
    let configs = ConfigFiles::default();
    let options = validate::Options {
        liquibase_version: std::env::var("LQLS_LIQUIBASE_VERSION").ok(),
        rules: configs.resolve(Some(path)).config,
    };
    let (text, analysis) =
        analysis::analyze_file(path, &options).map_err(|e| format!("{}: {e}", path.display()))?;
    let changelog = &analysis.changelog;
    let selected: Vec<_> = changelog
        .changesets
        .iter()
        .filter(|cs| {
            args.changeset
                .as_deref()
                .is_none_or(|want| cs.id.as_ref().is_some_and(|id| id.value == want))
        })
        .collect();
    if selected.is_empty() {
        return Err(match &args.changeset {
            Some(id) => format!("{}: no changeset with id {id}", path.display()),
            None => format!("{}: no changesets to review", path.display()),
        });
    }

    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut settings =
        LlmSettings::for_folder(&configs, &crate::workspace::paths::absolute(folder));
    if let Some(m) = &args.model {
        settings.model = Some(crate::workspace::paths::absolute(m));
    }
    if let Some(n) = args.max_tokens {
        settings.max_tokens = n.max(1);
    }
    let params = settings.gen_params();
    let model_key = llm::model_key(&settings).map_err(|e| e.to_string())?;

    let retriever = open_retriever(&args.kb);
    let known = retriever
        .as_ref()
        .map(|r| review::guideline_ids(&r.kb))
        .unwrap_or_default();
    let digest = retriever
        .as_ref()
        .map(|r| review::kb_digest(&r.kb))
        .unwrap_or_default();
    let cache = ReviewCache::new(ReviewCache::default_dir());
    let file_label = path.display().to_string();

    let mut backend: Option<Box<dyn Backend>> = None;
    let mut reviews: Vec<Review> = Vec::new();
    for cs in selected {
        let input = review::input_for(&file_label, &text, changelog, cs, &analysis.diagnostics);
        let key = review::cache_key(&model_key, &digest, &input, &params);
        if !args.no_cache {
            if let Some(r) = cache.get(&key) {
                emit_cached(args.json, &r);
                reviews.push(r);
                continue;
            }
        }
        let sources = match &retriever {
            Some(r) => {
                let findings = findings_in(&analysis.diagnostics, cs.span);
                match r.search(&review::sources_query(cs, &findings)) {
                    Ok(answer) => review::sources(r, &answer),
                    Err(e) => {
                        eprintln!("lqls: warning: knowledge-base search failed: {e}");
                        Vec::new()
                    }
                }
            }
            None => Vec::new(),
        };
        if args.print_prompt {
            let count = |s: &str| s.len() / 4;
            let (p, _) = review::prompt::build(
                &input,
                &sources,
                settings.context,
                params.max_tokens,
                &count,
            );
            println!("=== system\n{}\n=== user\n{}", p.system, p.user);
            continue;
        }
        if backend.is_none() {
            eprintln!("lqls: loading {}", settings.model_path().display());
            let started = std::time::Instant::now();
            let b = llm::load_backend(&settings).map_err(|e| e.to_string())?;
            eprintln!(
                "lqls: {} ready in {:.1} s",
                b.display_name(),
                started.elapsed().as_secs_f64()
            );
            backend = Some(b);
        }
        let b = backend.as_mut().expect("loaded above");
        if !args.json {
            println!(
                "## {} ({}, lines {}-{})",
                input.id, input.author, input.lines.0, input.lines.1
            );
        }
        let mut tokens = 0usize;
        let json = args.json;
        let mut on_text = |piece: &str| {
            tokens += 1;
            if json {
                eprint!("\rreviewing {}: {tokens} pieces", input.id);
            } else {
                print!("{piece}");
                let _ = std::io::stdout().flush();
            }
        };
        let (r, _) = review::generate(
            b.as_mut(),
            &input,
            &sources,
            &params,
            &Cancel::new(),
            &mut on_text,
            &|id: &str| known.contains(id),
        )
        .map_err(|e| e.to_string())?;
        if json {
            eprintln!();
        } else {
            println!();
            if !r.removed_citations.is_empty() {
                eprintln!(
                    "lqls: removed citations the knowledge base does not have: {}",
                    r.removed_citations.join(", ")
                );
            }
            println!(
                "\n({} tokens in {:.1} s; first token after {:.0} ms)\n",
                r.generation.generated_tokens,
                r.generation.total_ms / 1e3,
                r.generation.first_token_ms
            );
        }
        if let Err(e) = cache.put(&key, &r) {
            eprintln!("lqls: warning: cannot cache the review: {e}");
        }
        reviews.push(r);
    }
    if args.json {
        let out = serde_json::json!({ "reviews": reviews });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).expect("serializable")
        );
    }
    Ok(0)
}

fn emit_cached(json: bool, r: &Review) {
    if !json {
        println!(
            "## {} ({}, lines {}-{}) [cached]",
            r.changeset, r.author, r.lines.0, r.lines.1
        );
        println!("{}\n", r.text);
    }
}

/// The knowledge base, or `None` with a warning: a review without sources is still a review.
fn open_retriever(opts: &super::kb::KbOptions) -> Option<Arc<Retriever>> {
    let settings = super::kb::settings(opts);
    match Retriever::open(settings, &mut |_, _| {}) {
        Ok(r) => Some(Arc::new(r)),
        Err(e) => {
            eprintln!("lqls: warning: reviewing without the knowledge base: {e}");
            None
        }
    }
}
