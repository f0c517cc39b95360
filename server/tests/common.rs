//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// How long the server may take to load the model and answer /health.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// A llama-server child process, killed on drop.
pub struct LlamaServer {
    child: Child,
    pub port: u16,
    log: PathBuf,
}

impl LlamaServer {
    pub fn start(bin: &Path, model: &Path, extra: &[&str]) -> LlamaServer {
        let port = free_port();
        let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("llama-server-{port}.log"));
        let out = std::fs::File::create(&log).expect("the server log");
        let child = Command::new(bin)
            .arg("-m")
            .arg(model)
            .args(["--port", &port.to_string(), "-t", "2", "-c", "2048"])
            .args(["--host", "127.0.0.1"])
            // Wait for work without spinning: on a small, busy machine (2 cores, cargo building beside
            // the tests, two servers at once) spinning threads slowed generation a hundredfold.
            .args(["--poll", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut server = LlamaServer { child, port, log };
        server.wait_ready();
        server
    }

    /// Polls `GET /health` (503 while loading, 200 when ready).
    fn wait_ready(&mut self) {
        let start = Instant::now();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .new_agent();
        let url = format!("http://127.0.0.1:{}/health", self.port);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "llama-server exited ({status}) before it was ready:\n{}",
                    self.log_tail()
                );
            }
            if agent
                .get(&url)
                .call()
                .is_ok_and(|r| r.status().is_success())
            {
                let _ = writeln!(
                    std::io::stderr(),
                    "llama-server ready on port {} in {:.1} s",
                    self.port,
                    start.elapsed().as_secs_f64()
                );
                return;
            }
            assert!(
                start.elapsed() < READY_TIMEOUT,
                "llama-server not ready after {READY_TIMEOUT:?}:\n{}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }
}

impl Drop for LlamaServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on (just now).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Greedy decoding of at most `max_tokens` (the other generation settings at their defaults).
pub fn greedy(max_tokens: usize) -> lqls::llm::GenParams {
    lqls::llm::GenParams {
        max_tokens,
        ..lqls::llm::GenParams::default()
    }
}

/// Generates with any backend, collecting the streamed pieces beside the result.
pub fn streamed(
    b: &mut dyn lqls::llm::Backend,
    prompt: &lqls::llm::Prompt,
    params: &lqls::llm::GenParams,
) -> Result<(lqls::llm::Generation, Vec<String>), lqls::llm::LlmError> {
    let mut pieces = Vec::new();
    let g = b.generate(prompt, params, &lqls::llm::Cancel::new(), &mut |p| {
        pieces.push(p.to_string())
    })?;
    Ok((g, pieces))
}
