//! The knowledge base inside the server: a dedicated thread (not tokio's) loads the embedding model,
//! embeds what changed and answers retrieval queries one at a time, so neither loading nor a query
//! ever holds up a keystroke. Handlers talk to it through a channel and await the answer.
//!
//! Guideline locations are known as soon as the knowledge-base files are read (before the model loads,
//! and without it): diagnostics of rules that enforce a guideline link its section.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::kb::{KbSettings, KnowledgeBase};
use crate::retrieve::{Answer, Query, Retriever};

/// Where the knowledge base is.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// Reading files, loading the model or embedding: (chunks embedded, of how many).
    Indexing(usize, usize),
    Ready,
    /// The model or the knowledge base could not be loaded; rule diagnostics keep working.
    Failed(String),
}

enum Job {
    Search(
        Query,
        tokio::sync::oneshot::Sender<Result<Arc<Answer>, String>>,
    ),
    /// The project's knowledge base changed on disk: read and index it again.
    Rebuild,
}

/// A guideline section: where it is and its title.
#[derive(Clone, Debug)]
pub struct GuidelineLink {
    pub location: lsp::Location,
    pub title: String,
}

static GUIDELINES: RwLock<Option<Arc<HashMap<String, GuidelineLink>>>> = RwLock::new(None);

/// The guideline a diagnostic's rule (or project check) enforces, with its location.
pub fn guideline_for_code(code: &str) -> Option<(String, GuidelineLink)> {
    let id = match code {
        crate::diagnostics::codes::EDITED_COMMITTED => "GL-CHANGESET-006",
        _ => crate::rules::registry::by_code(code)?.guideline?,
    };
    let map = GUIDELINES.read().ok()?.clone()?;
    map.get(id).map(|l| (id.to_string(), l.clone()))
}

pub struct Knowledge {
    /// Each start (the first, and each `[knowledge-base]` change) is a generation; a worker of an
    /// older one finishes its build but never publishes it.
    generation: AtomicU64,
    state: RwLock<State>,
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    retriever: RwLock<Option<Arc<Retriever>>>,
    settings: RwLock<KbSettings>,
    /// Index builds started (first, reindex, files changed): tells "built again" from "still ready"
    /// when a build from cached vectors is too quick for anyone to see it indexing.
    builds: AtomicU64,
    starting: Mutex<()>,
    /// Rung on every change of `state`.
    status: Arc<super::status::Status>,
}

impl Default for Knowledge {
    fn default() -> Self {
        Knowledge {
            generation: AtomicU64::new(0),
            builds: AtomicU64::new(0),
            starting: Mutex::new(()),
            state: RwLock::new(State::Indexing(0, 0)),
            jobs: Mutex::new(None),
            retriever: RwLock::new(None),
            settings: RwLock::new(KbSettings::default()),
            status: Arc::default(),
        }
    }
}

impl Knowledge {
    /// A knowledge base that rings `status` whenever its state changes.
    pub fn with_status(status: Arc<super::status::Status>) -> Self {
        Knowledge {
            status,
            ..Knowledge::default()
        }
    }

    pub fn state(&self) -> State {
        self.state.read().unwrap().clone()
    }

    pub fn builds(&self) -> u64 {
        self.builds.load(Ordering::SeqCst)
    }

    pub fn settings(&self) -> KbSettings {
        self.settings.read().unwrap().clone()
    }

    pub fn retriever(&self) -> Option<Arc<Retriever>> {
        self.retriever.read().unwrap().clone()
    }

    /// Reads the knowledge-base files (fast: no model) so guideline links work at once, then starts
    /// the worker thread that loads the model and builds the indexes. `progress` gets
    /// (embedded, total) while embedding and is dropped when the worker is ready or has failed.
    pub fn start(
        self: &Arc<Self>,
        settings: KbSettings,
        progress: tokio::sync::mpsc::UnboundedSender<(usize, usize)>,
    ) {
        // Starts run one at a time: two overlapping ones (the client's settings arriving while the
        // first start reads files) could otherwise leave the older one's "indexing" over the newer
        // one's result, forever. The server also serializes its calls (to read settings in order),
        // but a cancelled request drops its guard while this blocking call still runs.
        let _one_at_a_time = self.starting.lock().unwrap_or_else(|e| e.into_inner());
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let loaded = read(&settings);
        *self.settings.write().unwrap() = settings.clone();
        // Another model or knowledge base: nothing of the previous one is reused.
        *self.retriever.write().unwrap() = None;
        self.builds.fetch_add(1, Ordering::SeqCst);
        self.set_state(State::Indexing(0, 0));
        let (tx, rx) = mpsc::channel();
        // Replacing the sender ends the previous worker once its current job is done.
        *self.jobs.lock().unwrap() = Some(tx);
        let this = self.clone();
        let spawned = std::thread::Builder::new()
            .name("lqls-kb".into())
            .spawn(move || this.worker(generation, settings, loaded, rx, progress));
        if let Err(e) = spawned {
            self.fail(
                generation,
                format!("cannot start the knowledge-base thread: {e}"),
            );
        }
    }

    fn set_state(&self, state: State) {
        *self.state.write().unwrap() = state;
        self.status.changed();
    }

    fn current(&self, generation: u64) -> bool {
        self.generation.load(Ordering::SeqCst) == generation
    }

    fn fail(&self, generation: u64, message: String) {
        tracing::warn!("knowledge base: {message}");
        if self.current(generation) {
            self.set_state(State::Failed(message));
        }
    }

    fn worker(
        self: Arc<Self>,
        generation: u64,
        settings: KbSettings,
        loaded: crate::kb::source::Loaded,
        rx: mpsc::Receiver<Job>,
        progress: tokio::sync::mpsc::UnboundedSender<(usize, usize)>,
    ) {
        self.build(generation, &settings, loaded, Some(progress));
        while let Ok(job) = rx.recv() {
            match job {
                Job::Search(q, reply) => {
                    let answer = match self.retriever() {
                        Some(r) => guarded(|| r.search(&q)),
                        None => Err(match self.state() {
                            State::Failed(m) => m,
                            _ => "the knowledge base is still being indexed".into(),
                        }),
                    };
                    let _ = reply.send(answer);
                }
                Job::Rebuild => {
                    self.builds.fetch_add(1, Ordering::SeqCst);
                    self.build(generation, &settings, read(&settings), None)
                }
            }
        }
    }

    /// Loads the model (once) and builds the indexes; a panic in either is caught and reported like
    /// any other failure, leaving the server and its rules working.
    fn build(
        &self,
        generation: u64,
        settings: &KbSettings,
        loaded: crate::kb::source::Loaded,
        progress: Option<tokio::sync::mpsc::UnboundedSender<(usize, usize)>>,
    ) {
        let embedder: Arc<dyn crate::kb::Embed> = match self.retriever() {
            Some(r) => r.kb.embedder_arc(),
            None => match guarded(|| {
                crate::kb::embed::Embedder::load(&settings.model_dir()).map_err(|e| e.to_string())
            }) {
                Ok(e) => Arc::new(e),
                Err(m) => return self.fail(generation, m),
            },
        };
        let mut report = |done: usize, total: usize| {
            if self.current(generation) {
                self.set_state(State::Indexing(done, total));
            }
            if let Some(p) = &progress {
                let _ = p.send((done, total));
            }
        };
        let cache = crate::kb::source::cache_dir();
        match guarded(|| KnowledgeBase::build(loaded, embedder, &cache, &mut report)) {
            Ok(kb) => {
                tracing::info!(
                    "knowledge base: {} chunks ({} embedded, {} cached) in {} ms",
                    kb.chunks.len(),
                    kb.stats.embedded,
                    kb.stats.cached,
                    kb.stats.millis
                );
                if !self.current(generation) {
                    return;
                }
                let r = Retriever::new(Arc::new(kb), settings.clone());
                *self.retriever.write().unwrap() = Some(Arc::new(r));
                self.set_state(State::Ready);
            }
            Err(m) => self.fail(generation, m),
        }
    }

    /// Answers `q` on the worker thread. Errors when the knowledge base is not ready or failed.
    pub async fn search(&self, q: Query) -> Result<Arc<Answer>, String> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        {
            let jobs = self.jobs.lock().unwrap();
            let Some(j) = jobs.as_ref() else {
                return Err("the knowledge base is not started".into());
            };
            j.send(Job::Search(q, tx))
                .map_err(|_| "the knowledge-base thread stopped".to_string())?;
        }
        rx.await
            .map_err(|_| "the knowledge-base thread stopped".to_string())?
    }

    /// Re-reads and re-indexes the knowledge base (a file under it changed, or the user asked).
    pub fn rebuild(&self) {
        if let Some(j) = self.jobs.lock().unwrap().as_ref() {
            let _ = j.send(Job::Rebuild);
        }
    }

    /// Whether `path` is inside the project's knowledge base.
    pub fn is_kb_file(&self, path: &std::path::Path) -> bool {
        self.settings().path.is_some_and(|kb| path.starts_with(kb))
    }
}

/// Reads the knowledge-base files (no model), publishes where the guidelines are, and logs what was
/// skipped.
fn read(settings: &KbSettings) -> crate::kb::source::Loaded {
    let loaded = crate::kb::source::load(settings.path.as_deref(), settings.bundled);
    publish_guidelines(&loaded.chunks);
    for w in &loaded.warnings {
        tracing::warn!("knowledge base: {w}");
    }
    loaded
}

fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("internal error in the knowledge base (please report it)".into()))
}

/// Where each guideline section is, known from the files alone (no model): the project's definition
/// of an id wins, since its chunks come first.
fn publish_guidelines(chunks: &[crate::kb::Chunk]) {
    let mut map: HashMap<String, GuidelineLink> = HashMap::new();
    for c in chunks {
        let Some(id) = &c.guideline_id else { continue };
        let Some(uri) = Uri::from_file_path(&c.path) else {
            continue;
        };
        let range = lsp::Range::new(
            lsp::Position::new(c.lines.0.saturating_sub(1), 0),
            lsp::Position::new(c.lines.1.saturating_sub(1), 0),
        );
        // `GL-NAMING-001: Table names are ...` -> `Table names are ...`
        let title = c
            .section()
            .trim_start_matches(id.as_str())
            .trim_start_matches(':')
            .trim();
        map.entry(id.clone()).or_insert_with(|| GuidelineLink {
            location: lsp::Location::new(uri, range),
            title: title.to_string(),
        });
    }
    *GUIDELINES.write().unwrap() = Some(Arc::new(map));
}
