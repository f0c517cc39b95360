//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use lqls::model::ChangeLog;

/// The shared corpus (`../shared/corpus` beside the repository, or LQLS_CORPUS).
pub fn corpus() -> PathBuf {
    std::env::var_os("LQLS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
}

/// Every changelog file of the corpus, sorted.
pub fn corpus_changelogs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![corpus()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xml" | "yaml" | "yml" | "json" | "sql")
            ) {
                let head = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
                if lqls::syntax::is_changelog(&p, &head) {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    assert!(
        out.len() > 400,
        "corpus not found or incomplete at {}",
        corpus().display()
    );
    out
}

/// (id, author, change types) of every changeset: what "the same changesets" means in these tests.
pub fn identities(log: &ChangeLog) -> Vec<(String, String, Vec<String>)> {
    log.identities()
}

/// Runs `f` over `items` on all cores.
pub fn par_each<T: Sync>(items: &[T], f: impl Fn(&T) + Sync) {
    let n = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..n {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                f(item);
            });
        }
    });
}

use std::io::Write as _;
use std::sync::{Arc, OnceLock};

use lqls::kb::embed::{default_model_dir, EmbedError, Embedder};

/// A model (or program) a test needs is not installed: `None` after a notice on stderr (past libtest's
/// capture), unless LQLS_REQUIRE_MODELS=1 (as in CI), where that is a failure.
pub fn missing_model<T>(what: &str, reason: impl std::fmt::Display) -> Option<T> {
    if std::env::var("LQLS_REQUIRE_MODELS").is_ok_and(|v| v == "1") {
        panic!("LQLS_REQUIRE_MODELS=1 but {reason}");
    }
    let _ = writeln!(std::io::stderr(), "{what} tests skipped: {reason}");
    None
}

/// The embedder, loaded once per test binary; `None` when the model is not installed (see
/// [`missing_model`]).
pub fn embedder() -> Option<Arc<Embedder>> {
    static EMBEDDER: OnceLock<Option<Arc<Embedder>>> = OnceLock::new();
    EMBEDDER
        .get_or_init(|| match Embedder::load(&default_model_dir()) {
            Ok(e) => Some(Arc::new(e)),
            Err(e @ EmbedError::MissingModel { .. }) => missing_model("model", e),
            Err(e) => panic!("{e}"),
        })
        .clone()
}

/// The default chat model's GGUF (SmolLM2-135M-Instruct, under `$LQLS_MODELS` or
/// `~/.cache/lqls/models`); `None` when it is not installed (see [`missing_model`]).
pub fn llm_model() -> Option<PathBuf> {
    let path = lqls::llm::LlmSettings::default().model_path();
    if path.is_file() {
        return Some(path);
    }
    missing_model(
        "language model",
        format!(
            "the language model is not at {}; run scripts/setup-models.sh",
            path.display()
        ),
    )
}

/// llama.cpp's server and the default chat model for it to serve: `(llama-server, GGUF)`. The server
/// is `llama-server` in `$LQLS_LLAMA_BIN` (scripts/setup-llamacpp.sh prints that folder); `None` when
/// either is missing (see [`missing_model`]).
pub fn llama_server_and_model() -> Option<(PathBuf, PathBuf)> {
    let server = match std::env::var_os("LQLS_LLAMA_BIN").filter(|v| !v.is_empty()) {
        None => {
            return missing_model(
                "llama-server",
                "LQLS_LLAMA_BIN is not set (to the folder scripts/setup-llamacpp.sh prints)",
            )
        }
        Some(dir) => PathBuf::from(dir).join("llama-server"),
    };
    if !server.is_file() {
        return missing_model(
            "llama-server",
            format!("no llama-server at {} (LQLS_LLAMA_BIN)", server.display()),
        );
    }
    Some((server, llm_model()?))
}
