//! AI reviews inside the server: the review worker (`llm::worker`, its own thread), what each
//! document's changesets last got, and the pump that turns worker events into `$/progress`, the
//! streaming `lqls/review` notification and answers to waiting `workspace/executeCommand` requests.
//!
//! Nothing here waits on the model: hover reads [`Reviews::hover_section`], which shows a finished
//! review (from memory or the disk cache) or says one is running.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use dashmap::DashMap;
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::ls_types::{self as lsp, MessageType, NumberOrString, Uri};
use tower_lsp_server::Client;

use crate::llm::worker::{Event, Job, JobKey, ModelState, Outcome, Worker};
use crate::llm::{self, LlmSettings};
use crate::model::{ChangeLog, ChangeSet};
use crate::retrieve::Retriever;
use crate::review::{self, cache::ReviewCache, Review};

/// `lqls/review`: a review as it is written, for editors that render it (VS Code's panel, Neovim's
/// floating window). Sent about every 80 ms while generating and once with `done: true`.
pub enum ReviewNotification {}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReviewParams {
    pub uri: String,
    pub changeset: String,
    pub text: String,
    pub done: bool,
    /// Set when the review failed or was cancelled (`done` is then true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The finished review (citations, sources, timings), with `done`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

impl Notification for ReviewNotification {
    type Params = ReviewParams;
    const METHOD: &'static str = "lqls/review";
}

/// What a changeset last got.
#[derive(Clone, Debug)]
pub enum Entry {
    Running {
        job: u64,
        cache_key: String,
        so_far: String,
    },
    Done {
        cache_key: String,
        review: Box<Review>,
    },
    Failed {
        cache_key: String,
        error: String,
    },
}

type Waiter = tokio::sync::oneshot::Sender<Result<Review, String>>;

/// The error a cancelled review's request answers with (and its `lqls/review` notification carries).
const CANCELLED: &str = "cancelled";

pub struct Reviews {
    current: Mutex<Option<Current>>,
    entries: DashMap<JobKey, Entry>,
    waiters: DashMap<u64, Waiter>,
    next_job: std::sync::atomic::AtomicU64,
    events: tokio::sync::mpsc::UnboundedSender<Event>,
    cache: ReviewCache,
    /// The knowledge base's digest, per retriever (computed once per index).
    digest: Mutex<Option<(usize, String)>>,
}

struct Current {
    settings: LlmSettings,
    worker: Arc<Worker>,
    /// The error when the model file cannot be read: reviews then fail with it.
    model_key: Result<String, String>,
}

impl Reviews {
    /// The review state and the receiver of worker events, for [`pump`].
    pub fn new() -> (Reviews, tokio::sync::mpsc::UnboundedReceiver<Event>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let reviews = Reviews {
            current: Mutex::new(None),
            entries: DashMap::new(),
            waiters: DashMap::new(),
            next_job: std::sync::atomic::AtomicU64::new(1),
            events: tx,
            cache: ReviewCache::new(ReviewCache::default_dir()),
            digest: Mutex::new(None),
        };
        (reviews, rx)
    }

    /// The worker for `settings`, started (without loading the model) if there is none or the
    /// settings changed; the previous worker then stops after its current token.
    pub fn worker(&self, settings: &LlmSettings) -> Result<(Arc<Worker>, String), String> {
        let mut current = self.current.lock().unwrap();
        if current.as_ref().is_none_or(|c| c.settings != *settings) {
            let events = self.events.clone();
            let for_loader = settings.clone();
            let worker = Worker::spawn(
                Box::new(move || llm::load_backend(&for_loader)),
                Some(self.cache.clone()),
                Box::new(move |e| {
                    let _ = events.send(e);
                }),
            )
            .map_err(|e| format!("cannot start the review thread: {e}"))?;
            *current = Some(Current {
                settings: settings.clone(),
                worker: Arc::new(worker),
                model_key: llm::model_key(settings).map_err(|e| e.to_string()),
            });
        }
        let c = current.as_ref().expect("set above");
        let key = c.model_key.clone()?;
        Ok((c.worker.clone(), key))
    }

    pub fn settings(&self) -> Option<LlmSettings> {
        self.current
            .lock()
            .unwrap()
            .as_ref()
            .map(|c| c.settings.clone())
    }

    pub fn model_state(&self) -> ModelState {
        self.current
            .lock()
            .unwrap()
            .as_ref()
            .map(|c| c.worker.state())
            .unwrap_or(ModelState::NotLoaded)
    }

    /// Reviews queued or generating.
    pub fn running(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.value(), Entry::Running { .. }))
            .count()
    }

    pub fn kb_digest(&self, retriever: &Arc<Retriever>) -> String {
        let id = Arc::as_ptr(retriever) as usize;
        let mut d = self.digest.lock().unwrap();
        if let Some((i, digest)) = d.as_ref() {
            if *i == id {
                return digest.clone();
            }
        }
        let digest = review::kb_digest(&retriever.kb);
        *d = Some((id, digest.clone()));
        digest
    }

    /// A fresh job id.
    pub fn next_id(&self) -> u64 {
        self.next_job
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// Queues a review and returns a receiver for its outcome.
    pub fn submit(
        &self,
        worker: &Worker,
        job: Job,
    ) -> tokio::sync::oneshot::Receiver<Result<Review, String>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.entries.insert(
            job.key.clone(),
            Entry::Running {
                job: job.id,
                cache_key: job.cache_key.clone(),
                so_far: String::new(),
            },
        );
        self.waiters.insert(job.id, tx);
        worker.submit(job);
        rx
    }

    /// Whether `key`'s entry belongs to job `id` (a newer job may have replaced it).
    fn is_current(&self, key: &JobKey, id: u64) -> bool {
        self.owned_cache_key(key, id).is_some()
    }

    /// The cache key of `key`'s running entry if it is job `id`'s.
    fn owned_cache_key(&self, key: &JobKey, id: u64) -> Option<String> {
        match self.entries.get(key).as_deref() {
            Some(Entry::Running { job, cache_key, .. }) if *job == id => Some(cache_key.clone()),
            _ => None,
        }
    }

    /// Cancels every review of a document (it was edited or closed).
    pub fn cancel_uri(&self, uri: &Uri) {
        let uri = uri.as_str();
        if let Some(c) = self.current.lock().unwrap().as_ref() {
            c.worker.cancel_where(|k| k.uri == uri);
        }
    }

    /// The finished review of `key` whose cache key is `cache_key`: from memory, else from disk.
    pub fn finished(&self, key: &JobKey, cache_key: &str) -> Option<Review> {
        if let Some(Entry::Done {
            cache_key: k,
            review,
        }) = self.entries.get(key).map(|e| e.clone())
        {
            if k == cache_key {
                return Some(*review);
            }
        }
        let review = self.cache.get(cache_key)?;
        self.entries.insert(
            key.clone(),
            Entry::Done {
                cache_key: cache_key.to_string(),
                review: Box::new(review.clone()),
            },
        );
        Some(review)
    }

    pub fn entry(&self, key: &JobKey) -> Option<Entry> {
        self.entries.get(key).map(|e| e.clone())
    }

    /// The hover's "AI review" part for a changeset: the review of its current text, or that one is
    /// running, or how to ask for one.
    pub fn hover_section(&self, key: &JobKey, cache_key: Option<&str>) -> String {
        let mut s = String::from("\n\n---\n**AI review**");
        let running = self.entry(key).and_then(|e| match e {
            Entry::Running { so_far, .. } => Some(so_far),
            _ => None,
        });
        if let Some(so_far) = running {
            if self.model_state() == ModelState::Loading {
                s.push_str(" (loading the language model…)");
            } else {
                s.push_str(" (running…)\n\n");
                s.push_str(&so_far);
            }
            return s;
        }
        match cache_key.and_then(|k| self.finished(key, k)) {
            Some(r) => {
                s.push_str(&format!(" ({}", r.model));
                if r.cached {
                    s.push_str(", cached");
                }
                s.push_str(")\n\n");
                s.push_str(&r.text);
            }
            None => {
                let failed = match self.entry(key) {
                    Some(Entry::Failed {
                        cache_key: k,
                        error,
                    }) if Some(k.as_str()) == cache_key => Some(error),
                    _ => None,
                };
                if let Some(error) = failed {
                    s.push_str(&format!(": failed: {error}"));
                } else {
                    s.push_str(": none yet. Use the code action *Review this changeset*.");
                }
            }
        }
        s
    }

    /// Whether some changeset of the document has a finished review.
    pub fn has_done(&self, uri: &Uri) -> bool {
        self.entries
            .iter()
            .any(|e| e.key().uri == uri.as_str() && matches!(e.value(), Entry::Done { .. }))
    }

    /// Finished reviews of a document's current changesets, for `lqls-ai` diagnostics.
    pub fn done_for(&self, uri: &Uri) -> Vec<(String, String, Review)> {
        self.entries
            .iter()
            .filter(|e| e.key().uri == uri.as_str())
            .filter_map(|e| match e.value() {
                Entry::Done { cache_key, review } => Some((
                    e.key().changeset.clone(),
                    cache_key.clone(),
                    (**review).clone(),
                )),
                _ => None,
            })
            .collect()
    }

    fn settle(&self, id: u64, outcome: Result<Review, String>) {
        if let Some((_, w)) = self.waiters.remove(&id) {
            let _ = w.send(outcome);
        }
    }
}

/// The job key of a changeset: its id, else its position (an id-less changeset is still reviewable).
pub fn key_of(uri: &Uri, cs: &ChangeSet) -> JobKey {
    JobKey {
        uri: uri.as_str().to_string(),
        changeset: cs
            .id
            .as_ref()
            .map(|i| i.value.clone())
            .unwrap_or_else(|| format!("@{}", cs.span.start)),
    }
}

/// What a review's cache key depends on besides the changeset itself.
pub struct KeyContext {
    pub model_key: String,
    /// The knowledge base's digest ("" before it is ready: reviews then have no sources).
    pub digest: String,
    pub params: crate::llm::GenParams,
}

/// The cache key a review of `cs` (in `analysis` of `text`) has now.
pub fn cache_key_of(
    file: &str,
    text: &str,
    analysis: &crate::analysis::Analysis,
    cs: &ChangeSet,
    ctx: &KeyContext,
) -> String {
    let input = review::input_for(file, text, &analysis.changelog, cs, &analysis.diagnostics);
    review::cache_key(&ctx.model_key, &ctx.digest, &input, &ctx.params)
}

/// The guideline ids the knowledge base has (none before it is ready).
pub fn known_ids(retriever: Option<&Arc<Retriever>>) -> Arc<HashSet<String>> {
    Arc::new(
        retriever
            .map(|r| review::guideline_ids(&r.kb))
            .unwrap_or_default(),
    )
}

/// Turns worker events into client messages until the server stops.
pub async fn pump(
    reviews: Arc<Reviews>,
    mut events: tokio::sync::mpsc::UnboundedReceiver<Event>,
    client: Client,
    progress: bool,
    status: Arc<super::status::Status>,
) {
    let mut bars = HashMap::new();
    let mut loading = None;
    let mut counter = 0u64;
    let notify =
        |key: &JobKey, text: String, done: bool, error: Option<String>, review: Option<Review>| {
            let client = client.clone();
            let params = ReviewParams {
                uri: key.uri.clone(),
                changeset: key.changeset.clone(),
                text,
                done,
                error,
                review,
            };
            async move { client.send_notification::<ReviewNotification>(params).await }
        };
    while let Some(event) = events.recv().await {
        // Everything but streamed text moves the model's state or the running count.
        let rings = !matches!(event, Event::Text { .. });
        let ended = match event {
            Event::ModelLoading => {
                if progress {
                    let token = NumberOrString::String("lqls/llm".into());
                    if client
                        .create_work_done_progress(token.clone())
                        .await
                        .is_ok()
                    {
                        loading = Some(
                            client
                                .progress(token, "Loading the language model")
                                .begin()
                                .await,
                        );
                    }
                }
                None
            }
            Event::ModelReady { name, ms } => {
                tracing::info!("language model {name} loaded in {ms:.0} ms");
                if let Some(p) = loading.take() {
                    p.finish_with_message(format!("{name} ready")).await;
                }
                None
            }
            Event::ModelFailed(m) => {
                if let Some(p) = loading.take() {
                    p.finish_with_message("failed".to_string()).await;
                }
                client
                    .show_message(
                        MessageType::WARNING,
                        format!("lqls: reviews unavailable (rules keep working): {m}"),
                    )
                    .await;
                None
            }
            Event::Started { id, key } => {
                if progress && reviews.is_current(&key, id) {
                    counter += 1;
                    let token = NumberOrString::String(format!("lqls/review/{counter}"));
                    if client
                        .create_work_done_progress(token.clone())
                        .await
                        .is_ok()
                    {
                        let bar = client
                            .progress(token, format!("Reviewing changeset {}", key.changeset))
                            .with_percentage(0)
                            .begin()
                            .await;
                        bars.insert(id, bar);
                    }
                }
                None
            }
            Event::Text {
                id,
                key,
                so_far,
                tokens,
            } => {
                if !reviews.is_current(&key, id) {
                    continue;
                }
                if let Some(mut e) = reviews.entries.get_mut(&key) {
                    if let Entry::Running { so_far: s, .. } = e.value_mut() {
                        *s = so_far.clone();
                    }
                }
                if let Some(bar) = bars.get(&id) {
                    let max = reviews
                        .settings()
                        .map(|s| s.max_tokens)
                        .unwrap_or(384)
                        .max(1);
                    let pct = (tokens * 100 / max).min(99) as u32;
                    bar.report_with_message(format!("{tokens} tokens"), pct)
                        .await;
                }
                notify(&key, so_far, false, None, None).await;
                None
            }
            Event::Ended { id, key, outcome } => Some((id, key, outcome)),
        };
        if let Some((id, key, outcome)) = ended {
            if let Some(bar) = bars.remove(&id) {
                let word = match &outcome {
                    Outcome::Done(_) => "done",
                    Outcome::Cancelled => "cancelled",
                    Outcome::Failed(_) => "failed",
                };
                bar.finish_with_message(word.to_string()).await;
            }
            // Only the job that still owns its changeset records and publishes its outcome.
            if let Some(cache_key) = reviews.owned_cache_key(&key, id) {
                match &outcome {
                    Outcome::Done(review) => {
                        reviews.entries.insert(
                            key.clone(),
                            Entry::Done {
                                cache_key,
                                review: review.clone(),
                            },
                        );
                        let (text, review) = (review.text.clone(), Some((**review).clone()));
                        notify(&key, text, true, None, review).await;
                    }
                    Outcome::Cancelled => {
                        reviews.entries.remove(&key);
                        notify(&key, String::new(), true, Some(CANCELLED.into()), None).await;
                    }
                    Outcome::Failed(e) => {
                        reviews.entries.insert(
                            key.clone(),
                            Entry::Failed {
                                cache_key,
                                error: e.clone(),
                            },
                        );
                        notify(&key, String::new(), true, Some(e.clone()), None).await;
                    }
                }
            }
            reviews.settle(
                id,
                match outcome {
                    Outcome::Done(r) => Ok(*r),
                    Outcome::Cancelled => Err(CANCELLED.into()),
                    Outcome::Failed(e) => Err(e),
                },
            );
        }
        if rings {
            status.changed();
        }
    }
}

/// The commands a client can execute.
pub const REVIEW: &str = "lqls.review";
pub const REVIEW_FILE: &str = "lqls.reviewFile";
pub const EXPLAIN: &str = "lqls.explainDiagnostic";
pub const COMMANDS: [&str; 3] = [REVIEW, REVIEW_FILE, EXPLAIN];
pub const REVIEW_KIND: &str = "refactor.lqls.review";

/// "Review this changeset" on the changeset around the cursor, and "Explain this diagnostic" on
/// each rule diagnostic the client sent in the request's context.
pub fn code_actions(
    uri: &Uri,
    changelog: &ChangeLog,
    offset: usize,
    diagnostics: &[lsp::Diagnostic],
) -> Vec<lsp::CodeActionOrCommand> {
    let Some(cs) = changelog
        .changesets
        .iter()
        .find(|cs| cs.span.start <= offset && offset <= cs.span.end)
    else {
        return Vec::new();
    };
    let key = key_of(uri, cs);
    let mut out = vec![lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: format!("Review changeset {} (AI)", key.changeset),
        // A kind under `refactor` puts it in editors' light-bulb menus; an action without a kind is
        // also misread as a bare Command by some client libraries.
        kind: Some(lsp::CodeActionKind::new(REVIEW_KIND)),
        command: Some(lsp::Command {
            title: "Review this changeset".into(),
            command: REVIEW.into(),
            arguments: Some(vec![uri.as_str().into(), key.changeset.clone().into()]),
        }),
        ..Default::default()
    })];
    for d in diagnostics {
        let Some(lsp::NumberOrString::String(code)) = &d.code else {
            continue;
        };
        if d.source.as_deref() != Some("lqls") || crate::rules::registry::by_code(code).is_none() {
            continue;
        }
        out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: format!("Explain {code} (AI)"),
            kind: Some(lsp::CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            command: Some(lsp::Command {
                title: "Explain this diagnostic".into(),
                command: EXPLAIN.into(),
                arguments: Some(vec![
                    uri.as_str().into(),
                    key.changeset.clone().into(),
                    code.clone().into(),
                    d.message.clone().into(),
                ]),
            }),
            ..Default::default()
        }));
    }
    out
}

/// `lqls-ai` information diagnostics: each finished review of a changeset whose text and findings
/// are still those it reviewed, at the changeset's header. `done` is [`Reviews::done_for`] of the document.
pub fn ai_diagnostics(
    done: &[(String, String, Review)],
    uri: &Uri,
    file: &str,
    text: &str,
    analysis: &crate::analysis::Analysis,
    ctx: &KeyContext,
) -> Vec<(crate::model::Span, String)> {
    let mut out = Vec::new();
    for cs in &analysis.changelog.changesets {
        let key = key_of(uri, cs);
        let Some((_, cache_key, review)) = done.iter().find(|(c, _, _)| *c == key.changeset) else {
            continue;
        };
        if cache_key_of(file, text, analysis, cs, ctx) == *cache_key {
            out.push((cs.header, review.text.clone()));
        }
    }
    out
}
