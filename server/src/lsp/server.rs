//! `LanguageServer` implementation. Handlers only move data between the protocol and the store.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::actions;
use super::completion;
use super::convert;
use super::guidance;
use super::knowledge::Knowledge;
use super::navigate;
use super::outline;
use super::project::ProjectState;
use super::review::{self as reviews, Reviews};
use super::store::{file_path, Snapshot, Store};
use crate::diagnostics::codes;
use crate::rules::config::{Config, FILE_NAME};
use crate::rules::config_files::ConfigFiles;
use crate::text::{Edit, LineIndex, PositionEncoding};
use crate::validate;
use crate::workspace::{committed, git::Git};

/// `lqls.reindex`: index the knowledge base again from its files (the "Reindex" of editors).
const REINDEX: &str = "lqls.reindex";

pub struct Server {
    client: Client,
    store: Store,
    /// Negotiated once in `initialize`.
    encoding: OnceLock<PositionEncoding>,
    /// When the client pulls diagnostics (`textDocument/diagnostic`), they are not also pushed: a
    /// client holding both would show each twice.
    pull: AtomicBool,
    options: OnceLock<validate::Options>,
    /// Client settings and the `lqls.toml` files, resolved per document.
    configs: ConfigFiles,
    /// Whether the client lets us register a file watcher for `lqls.toml`.
    watch_dynamic: AtomicBool,
    /// Whether a pulling client accepts `workspace/diagnostic/refresh`.
    refresh_support: AtomicBool,
    /// The last version whose diagnostics were pushed, per document. Held across the decision and the
    /// send, so two handlers racing on one document can never publish an older version after a newer.
    published: tokio::sync::Mutex<HashMap<Uri, i32>>,
    /// The workspace: include graph, cross-file diagnostics. Shared with the indexing thread.
    project: Arc<ProjectState>,
    /// Workspace folders from `initialize`.
    folders: std::sync::Mutex<Vec<std::path::PathBuf>>,
    /// Whether the client accepts `window/workDoneProgress/create`.
    progress_support: AtomicBool,
    /// Committed versions of open files, for the edited-changeset guard (cached between keystrokes).
    git: Git,
    /// The knowledge base and its retriever, on their own thread.
    knowledge: Arc<Knowledge>,
    /// AI reviews: the model's worker thread and what each changeset last got.
    reviews: Arc<Reviews>,
    /// Worker events, until `initialized` starts the task that forwards them to the client.
    review_events:
        std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<crate::llm::worker::Event>>>,
    knowledge_start: tokio::sync::Mutex<()>,
    /// What `lqls/status` reports; rung by the knowledge base, the review pump and settings changes.
    status: Arc<super::status::Status>,
}

impl Server {
    pub fn new(client: Client) -> Self {
        let (reviews, review_events) = Reviews::new();
        let status = Arc::new(super::status::Status::default());
        Server {
            client,
            store: Store::default(),
            encoding: OnceLock::new(),
            pull: AtomicBool::new(false),
            options: OnceLock::new(),
            configs: ConfigFiles::default(),
            watch_dynamic: AtomicBool::new(false),
            refresh_support: AtomicBool::new(false),
            published: Default::default(),
            project: Arc::default(),
            folders: Default::default(),
            progress_support: AtomicBool::new(false),
            git: Git::new(),
            knowledge: Arc::new(Knowledge::with_status(status.clone())),
            reviews: Arc::new(reviews),
            review_events: std::sync::Mutex::new(Some(review_events)),
            knowledge_start: tokio::sync::Mutex::new(()),
            status,
        }
    }

    fn enc(&self) -> PositionEncoding {
        self.encoding.get().copied().unwrap_or_default()
    }

    fn options(&self) -> &validate::Options {
        self.options.get_or_init(validate::Options::default)
    }

    fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        let base = self.options();
        let options = |path: Option<&std::path::Path>| {
            let mut opts = base.clone();
            opts.rules = self.configs.resolve(path).config;
            opts
        };
        let project = |path: Option<&std::path::Path>,
                       text: &Arc<str>,
                       changelog: &Arc<crate::model::ChangeLog>|
         -> Box<dyn crate::rules::ProjectFacts> {
            match path {
                Some(path) => {
                    self.project
                        .set_parsed(path, text.clone(), changelog.clone());
                    Box::new(self.project.facts(path, &self.git))
                }
                None => Box::new(crate::rules::NoProject),
            }
        };
        self.store.snapshot(uri, &options, &project)
    }

    /// The snapshot of a document and the byte offset of an LSP position in it.
    fn at(&self, uri: &Uri, pos: Position) -> Option<(Arc<Snapshot>, usize)> {
        let snap = self.snapshot(uri)?;
        let offset = snap
            .index
            .offset(&snap.text, convert::from_lsp_position(pos), self.enc());
        Some((snap, offset))
    }

    /// The diagnostics of a document: its analysis, or, for an `lqls.toml`, its configuration problems.
    fn diagnostics_of(&self, uri: &Uri, snap: &Snapshot) -> Vec<Diagnostic> {
        match config_path(uri) {
            Some(path) => {
                let read = self.configs.load(&path);
                // Spans refer to the text read, which is this buffer's text while it is open.
                let (text, index) = (&read.text, LineIndex::new(&read.text));
                read.problems
                    .iter()
                    .map(|p| {
                        let r = index.range(text, p.span.start, p.span.end, self.enc());
                        let mut d = p.diagnostic();
                        if read.broken {
                            d.message
                                .push_str("; the last valid configuration stays in force");
                        }
                        let mut out = convert::diagnostic(uri, snap, &d, self.enc());
                        out.range = Range::new(
                            Position::new(r.start.line, r.start.character),
                            Position::new(r.end.line, r.end.character),
                        );
                        out
                    })
                    .collect()
            }
            None => {
                let mut out = convert::diagnostics(uri, snap, self.enc());
                if let Some(path) = file_path(uri) {
                    out.extend(self.project.diagnostics(&path, &snap.text, self.enc()));
                }
                let committed = self.committed(uri, snap);
                out.extend(
                    committed
                        .iter()
                        .map(|d| convert::diagnostic(uri, snap, d, self.enc())),
                );
                out.extend(self.ai_diagnostics(uri, snap));
                out
            }
        }
    }

    /// Publishes a changed document (its analysis hands its parse to the project, which rebuilds
    /// the index), then republishes the other open documents whose cross-file diagnostics changed.
    async fn publish_edited(&self, uri: Uri) {
        let before = self.project.fingerprints();
        let path = file_path(&uri);
        self.publish(uri).await;
        self.republish_changed(before, path.as_deref()).await;
    }

    /// Rebuilds the project index (once the first exists) and republishes the open documents, other
    /// than `except`, whose cross-file diagnostics changed.
    async fn rebuild_and_republish(&self, except: Option<&std::path::Path>) {
        if !self.project.is_ready() {
            return;
        }
        let before = self.project.fingerprints();
        self.project.rebuild();
        self.republish_changed(before, except).await;
    }

    /// Republishes open documents (other than `except`) whose project diagnostics differ from
    /// `before`.
    async fn republish_changed(
        &self,
        before: HashMap<std::path::PathBuf, u64>,
        except: Option<&std::path::Path>,
    ) {
        let after = self.project.fingerprints();
        for uri in self.store.uris() {
            let Some(path) = file_path(&uri) else {
                continue;
            };
            if Some(path.as_path()) == except {
                continue;
            }
            if before.get(&path) != after.get(&path) {
                self.publish(uri).await;
            }
        }
    }

    /// Hover on a changeset or change: findings, then what the knowledge base says about it. Waits for
    /// the retrieval (on the knowledge-base thread) only when the index is ready; a slow answer gives
    /// way to the findings alone rather than a hover that never comes.
    async fn guidance_hover(&self, uri: &Uri, snap: &Snapshot, offset: usize) -> Option<Hover> {
        let analysis = snap.analysis.as_ref()?;
        let (target, span) = guidance::target_at(&analysis.changelog, offset)?;
        let findings = guidance::findings(&analysis.diagnostics, &target);
        let state = self.knowledge.state();
        // Not while re-indexing: the worker would answer only after the rebuild.
        let answer = match (&state, self.knowledge.retriever()) {
            (super::knowledge::State::Ready, Some(r)) => {
                let search = self.knowledge.search(guidance::query(&target, &findings));
                let timeout = std::time::Duration::from_secs(3);
                let answer = match tokio::time::timeout(timeout, search).await {
                    Ok(a) => a,
                    Err(_) => Err("the search took too long; hover again".to_string()),
                };
                Some((r, answer))
            }
            _ => None,
        };
        let answer = answer
            .as_ref()
            .map(|(r, a)| a.as_ref().map(|a| (&**r, &**a)).map_err(Clone::clone));
        let mut value = guidance::render(&target, &findings, &state, answer);
        if let guidance::Target::ChangeSet(cs) = &target {
            value.push_str(&self.review_hover(uri, snap, cs));
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(convert::range(snap, span, self.enc())),
        })
    }

    /// `[llm]` of the first workspace folder's lqls.toml (and the client's settings).
    fn llm_settings(&self) -> crate::llm::LlmSettings {
        let folder = self.folders.lock().expect("folders").first().cloned();
        let base = folder.unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        crate::llm::LlmSettings::for_folder(&self.configs, &base)
    }

    /// Tells `lqls/status` whether reviews are off (after the settings may have changed).
    fn note_llm_settings(&self) {
        let off = self.llm_settings().backend == crate::llm::settings::BackendKind::Off;
        self.status.set_llm_off(off);
    }

    /// The retriever when the knowledge base is ready, with its digest.
    fn ready_retriever(&self) -> Option<(Arc<crate::retrieve::Retriever>, String)> {
        match (self.knowledge.state(), self.knowledge.retriever()) {
            (super::knowledge::State::Ready, Some(r)) => {
                let digest = self.reviews.kb_digest(&r);
                Some((r, digest))
            }
            _ => None,
        }
    }

    /// A document's path as reviews show it: relative to its workspace folder when inside one.
    fn display_file(&self, uri: &Uri) -> String {
        let Some(path) = file_path(uri) else {
            return uri.as_str().to_string();
        };
        let folders = self.folders.lock().expect("folders").clone();
        folders
            .iter()
            .find_map(|f| path.strip_prefix(f).ok())
            .unwrap_or(&path)
            .display()
            .to_string()
    }

    /// The review worker and what review cache keys depend on now; the reason when reviews are off
    /// or the model file cannot be read.
    fn key_context(
        &self,
        settings: &crate::llm::LlmSettings,
    ) -> std::result::Result<(Arc<crate::llm::worker::Worker>, reviews::KeyContext), String> {
        if settings.backend == crate::llm::settings::BackendKind::Off {
            return Err("reviews are off ([llm] backend = \"off\")".into());
        }
        let (worker, model_key) = self.reviews.worker(settings)?;
        let ctx = reviews::KeyContext {
            model_key,
            digest: self.ready_retriever().map(|(_, d)| d).unwrap_or_default(),
            params: settings.gen_params(),
        };
        Ok((worker, ctx))
    }

    /// Hover's "AI review" part: never waits for the model.
    fn review_hover(&self, uri: &Uri, snap: &Snapshot, cs: &crate::model::ChangeSet) -> String {
        let settings = self.llm_settings();
        if settings.backend == crate::llm::settings::BackendKind::Off {
            return String::new();
        }
        let key = reviews::key_of(uri, cs);
        let cache_key = match (&snap.analysis, self.key_context(&settings)) {
            (Some(a), Ok((_, ctx))) => Some(reviews::cache_key_of(
                &self.display_file(uri),
                &snap.text,
                a,
                cs,
                &ctx,
            )),
            _ => None,
        };
        self.reviews.hover_section(&key, cache_key.as_deref())
    }

    /// `lqls-ai` information diagnostics, when `[llm] diagnostics = true`.
    fn ai_diagnostics(&self, uri: &Uri, snap: &Snapshot) -> Vec<Diagnostic> {
        // Every publication passes here: without a finished review of this document (the usual
        // case) it costs a look through the review entries, not a configuration lookup.
        let Some(analysis) = snap.analysis.as_ref() else {
            return Vec::new();
        };
        if !self.reviews.has_done(uri) {
            return Vec::new();
        }
        let settings = self.llm_settings();
        if !settings.diagnostics {
            return Vec::new();
        }
        let done = self.reviews.done_for(uri);
        let Ok((_, ctx)) = self.key_context(&settings) else {
            return Vec::new();
        };
        reviews::ai_diagnostics(
            &done,
            uri,
            &self.display_file(uri),
            &snap.text,
            analysis,
            &ctx,
        )
        .into_iter()
        .map(|(span, text)| Diagnostic {
            range: convert::range(snap, span, self.enc()),
            severity: Some(DiagnosticSeverity::INFORMATION),
            source: Some("lqls-ai".to_string()),
            message: text,
            ..Default::default()
        })
        .collect()
    }

    /// A review job for changeset `changeset` of an open document; with `focus` (a rule code and
    /// message) it explains that finding instead.
    async fn review_job(
        &self,
        uri: &Uri,
        changeset: &str,
        focus: Option<(String, String)>,
    ) -> std::result::Result<(Arc<crate::llm::worker::Worker>, crate::llm::worker::Job), String>
    {
        let snap = self.snapshot(uri).ok_or("the document is not open")?;
        let analysis = snap
            .analysis
            .as_ref()
            .ok_or("the document is not a Liquibase changelog")?;
        let cs = analysis
            .changelog
            .changesets
            .iter()
            .find(|cs| reviews::key_of(uri, cs).changeset == changeset)
            .ok_or_else(|| format!("no changeset {changeset} in the document"))?;
        let (worker, ctx) = self.key_context(&self.llm_settings())?;
        let ready = self.ready_retriever();
        let mut input = crate::review::input_for(
            &self.display_file(uri),
            &snap.text,
            &analysis.changelog,
            cs,
            &analysis.diagnostics,
        );
        let mut key = reviews::key_of(uri, cs);
        if let Some((code, message)) = focus {
            key.changeset = format!("{}#explain:{code}", key.changeset);
            input.focus = Some(
                input
                    .findings
                    .iter()
                    .find(|f| f.code == code && f.message == message)
                    .cloned()
                    .unwrap_or(crate::review::Finding {
                        code,
                        severity: "warning".into(),
                        message,
                        guideline: None,
                    }),
            );
        }
        let cache_key = crate::review::cache_key(&ctx.model_key, &ctx.digest, &input, &ctx.params);
        let sources = match &ready {
            Some((r, _)) => {
                let findings = crate::retrieve::query::findings_in(&analysis.diagnostics, cs.span);
                let search = self
                    .knowledge
                    .search(crate::review::sources_query(cs, &findings));
                match tokio::time::timeout(std::time::Duration::from_secs(5), search).await {
                    Ok(Ok(answer)) => crate::review::sources(r, &answer),
                    _ => Vec::new(),
                }
            }
            None => Vec::new(),
        };
        let job = crate::llm::worker::Job {
            id: self.reviews.next_id(),
            key,
            input,
            sources,
            cache_key,
            params: ctx.params,
            cancel: crate::llm::Cancel::new(),
            known: reviews::known_ids(ready.as_ref().map(|(r, _)| r)),
        };
        Ok((worker, job))
    }

    /// Submits a job and waits for its review. If this request is cancelled (`$/cancelRequest`
    /// drops the future), the job is cancelled with it.
    async fn run_review(
        &self,
        worker: &crate::llm::worker::Worker,
        job: crate::llm::worker::Job,
    ) -> std::result::Result<crate::review::Review, String> {
        let mut guard = CancelOnDrop(vec![job.cancel.clone()]);
        let rx = self.reviews.submit(worker, job);
        let out = rx
            .await
            .unwrap_or_else(|_| Err("the review thread stopped".to_string()));
        guard.0.clear();
        out
    }

    /// `lqls.review` and `lqls.explainDiagnostic`: the review as JSON, once finished.
    async fn review_command(
        &self,
        uri: Uri,
        changeset: String,
        focus: Option<(String, String)>,
    ) -> Result<Option<serde_json::Value>> {
        let (worker, job) = self
            .review_job(&uri, &changeset, focus)
            .await
            .map_err(failed)?;
        let review = self.run_review(&worker, job).await.map_err(failed)?;
        if self.llm_settings().diagnostics {
            self.publish(uri).await;
        }
        Ok(serde_json::to_value(review).ok())
    }

    /// `lqls.reviewFile`: queues every changeset of the document and answers when all finished
    /// (`{"reviewed", "failed"}`); each streams and reports progress like a single review.
    async fn review_file_command(&self, uri: Uri) -> Result<Option<serde_json::Value>> {
        let snap = self
            .snapshot(&uri)
            .ok_or_else(|| failed("the document is not open".into()))?;
        let keys: Vec<String> = snap
            .analysis
            .iter()
            .flat_map(|a| a.changelog.changesets.iter())
            .map(|cs| reviews::key_of(&uri, cs).changeset)
            .collect();
        let mut waits = Vec::new();
        let mut guard = CancelOnDrop(Vec::new());
        for key in keys {
            let (worker, job) = self.review_job(&uri, &key, None).await.map_err(failed)?;
            guard.0.push(job.cancel.clone());
            waits.push(self.reviews.submit(&worker, job));
        }
        let (mut reviewed, mut errors) = (0, Vec::new());
        for w in waits {
            match w
                .await
                .unwrap_or_else(|_| Err("the review thread stopped".into()))
            {
                Ok(_) => reviewed += 1,
                Err(e) => errors.push(e),
            }
        }
        guard.0.clear();
        if self.llm_settings().diagnostics {
            self.publish(uri).await;
        }
        Ok(Some(
            serde_json::json!({"reviewed": reviewed, "failed": errors}),
        ))
    }

    /// Starts the knowledge base for the first workspace folder's `[knowledge-base]` settings, with
    /// `$/progress` while the model loads and the chunks are embedded; unless `force`, only when those
    /// settings changed (an `lqls.toml` was edited).
    async fn start_knowledge(&self, force: bool) {
        // One at a time, settings read inside: the last start must see the last settings (the
        // client's configuration can arrive while `initialized` is starting the knowledge base).
        let _one_at_a_time = self.knowledge_start.lock().await;
        let folder = self.folders.lock().expect("folders").first().cloned();
        let base = folder.unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        let settings = crate::kb::KbSettings::for_folder(&self.configs, &base);
        if !force && settings == self.knowledge.settings() {
            return;
        }
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
        let knowledge = self.knowledge.clone();
        let _ = tokio::task::spawn_blocking(move || knowledge.start(settings, tx)).await;
        let client = self.client.clone();
        let with_progress = self.progress_support.load(Ordering::Relaxed);
        let knowledge = self.knowledge.clone();
        tokio::spawn(async move {
            let token = NumberOrString::String("lqls/kb".to_string());
            let progress = if with_progress
                && client
                    .create_work_done_progress(token.clone())
                    .await
                    .is_ok()
            {
                Some(
                    client
                        .progress(token, "Indexing the knowledge base")
                        .with_percentage(0)
                        .begin()
                        .await,
                )
            } else {
                None
            };
            while let Some((done, total)) = rx.recv().await {
                if let (Some(p), true) = (&progress, total > 0) {
                    let pct = (done * 100 / total) as u32;
                    p.report_with_message(format!("{done}/{total} sections embedded"), pct)
                        .await;
                }
            }
            let message = match knowledge.state() {
                super::knowledge::State::Ready => "knowledge base ready".to_string(),
                super::knowledge::State::Failed(m) => {
                    let text =
                        format!("lqls: knowledge base unavailable (rules keep working): {m}");
                    client
                        .show_message(MessageType::WARNING, text.clone())
                        .await;
                    text
                }
                super::knowledge::State::Indexing(..) => "knowledge base stopped".to_string(),
            };
            if let Some(p) = progress {
                p.finish_with_message(message).await;
            }
        });
    }

    /// Scans the workspace folders and builds the first project index in a blocking thread, with
    /// `$/progress`; then republishes the open documents with their cross-file diagnostics.
    async fn index_workspace(&self) {
        let folders: Vec<std::path::PathBuf> = self.folders.lock().expect("folders").clone();
        let with_settings: Vec<_> = folders
            .iter()
            .map(|f| {
                let config = self.configs.resolve(Some(&f.join(FILE_NAME))).config;
                let settings = crate::workspace::project::ProjectSettings::from_section(
                    f,
                    config.settings.sections.get("project"),
                );
                (f.clone(), settings)
            })
            .collect();
        let progress = if self.progress_support.load(Ordering::Relaxed) {
            let token = NumberOrString::String("lqls/index".to_string());
            match self.client.create_work_done_progress(token.clone()).await {
                Ok(()) => Some(
                    self.client
                        .progress(token, "Indexing Liquibase changelogs")
                        .with_message(format!("{} folder(s)", folders.len()))
                        .begin()
                        .await,
                ),
                Err(_) => None,
            }
        } else {
            None
        };
        let project = self.project.clone();
        let started = std::time::Instant::now();
        let found = tokio::task::spawn_blocking(move || project.load_folders(with_settings))
            .await
            .unwrap_or(0);
        let index = self.project.index();
        let message = format!(
            "{found} changelogs, {} roots, {} changesets in {} ms",
            index.roots.len(),
            index.entries().count(),
            started.elapsed().as_millis()
        );
        tracing::info!("{message}");
        if let Some(p) = progress {
            p.finish_with_message(message).await;
        }
        self.republish_all().await;
    }

    /// Changesets edited since they were committed. Not while the file has syntax errors: a
    /// half-typed changeset would read as an edit at every keystroke.
    fn committed(&self, uri: &Uri, snap: &Snapshot) -> Vec<crate::model::Diagnostic> {
        let (Some(path), Some(a)) = (file_path(uri), &snap.analysis) else {
            return Vec::new();
        };
        if a.diagnostics.iter().any(|d| d.code == codes::SYNTAX) {
            return Vec::new();
        }
        committed::check(&path, &snap.text, &a.changelog, &self.git)
    }

    /// The configuration changed: every open document is analysed again and republished.
    async fn republish_all(&self) {
        // Settings changed (client, or an lqls.toml buffer): `[llm] backend` may have too.
        self.note_llm_settings();
        self.store.invalidate_all();
        if self.pull.load(Ordering::Relaxed) {
            // A pulling client asks again when told to.
            if self.refresh_support.load(Ordering::Relaxed) {
                if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                    tracing::warn!("diagnostic refresh failed: {e}");
                }
            }
            return;
        }
        for uri in self.store.uris() {
            self.publish(uri).await;
        }
    }

    /// Reads client settings (`lqls` object, or the whole settings when it has none).
    async fn apply_settings(&self, settings: &serde_json::Value) {
        let value = settings.get("lqls").unwrap_or(settings);
        let value = if value.is_null() {
            &serde_json::Value::Object(Default::default())
        } else {
            value
        };
        for message in self.set_settings(value) {
            self.client.log_message(MessageType::WARNING, message).await;
        }
    }

    /// Makes client settings the base configuration layer; returns their problems as messages.
    fn set_settings(&self, value: &serde_json::Value) -> Vec<String> {
        let loaded = Config::from_json(value);
        if let Some(config) = loaded.config {
            self.configs.set_base(config);
        }
        loaded
            .problems
            .iter()
            .map(|p| format!("lqls settings: {}", p.message))
            .collect()
    }

    /// Analyses the current version and pushes its diagnostics, unless a newer version arrived while
    /// analysing (its own handler publishes then) or the client pulls.
    async fn publish(&self, uri: Uri) {
        if self.pull.load(Ordering::Relaxed) {
            return;
        }
        let Some(snap) = self.snapshot(&uri) else {
            return;
        };
        if self.store.version(&uri) != Some(snap.version) {
            return;
        }
        let diagnostics = self.diagnostics_of(&uri, &snap);
        self.client
            .publish_diagnostics(uri, diagnostics, Some(snap.version))
            .await;
    }
}

/// Cancels review jobs when dropped: a request future dropped by `$/cancelRequest` takes its jobs
/// with it. Cleared once they finished.
struct CancelOnDrop(Vec<crate::llm::Cancel>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        for c in &self.0 {
            c.cancel();
        }
    }
}

/// A request that could not be carried out, with the reason for the user.
fn failed(message: String) -> tower_lsp_server::jsonrpc::Error {
    tower_lsp_server::jsonrpc::Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

/// Reads `liquibaseVersion` from the client's initialization options, falling back to the
/// environment (`LQLS_LIQUIBASE_VERSION`), as the CLI does.
fn options_from(params: &InitializeParams) -> validate::Options {
    let mut opts = validate::Options::default();
    let from_client = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("liquibaseVersion"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    opts.liquibase_version = from_client.or_else(|| std::env::var("LQLS_LIQUIBASE_VERSION").ok());
    opts
}

/// The path of an `lqls.toml` document.
fn config_path(uri: &Uri) -> Option<std::path::PathBuf> {
    file_path(uri).filter(|p| p.file_name().is_some_and(|n| n == FILE_NAME))
}

/// Client settings from `initializationOptions`: its `lqls` object, else the rule keys at its top.
fn initial_settings(params: &InitializeParams) -> Option<serde_json::Value> {
    let o = params.initialization_options.as_ref()?;
    if let Some(l) = o.get("lqls") {
        return Some(l.clone());
    }
    let map: serde_json::Map<String, serde_json::Value> = o
        .as_object()?
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "databases" | "rules" | "liquibase-version" | "completion"
            )
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (!map.is_empty()).then_some(serde_json::Value::Object(map))
}

/// The workspace folders' paths (`workspaceFolders`, else the deprecated `rootUri`).
#[allow(deprecated)] // `root_uri` is still what older clients send
fn workspace_folders(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let from_folders: Vec<std::path::PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| file_path(&f.uri))
        .collect();
    if !from_folders.is_empty() {
        return from_folders;
    }
    params.root_uri.iter().filter_map(file_path).collect()
}

fn negotiate_encoding(params: &InitializeParams) -> PositionEncoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|list| list.contains(&PositionEncodingKind::UTF8)) {
        PositionEncoding::Utf8
    } else {
        PositionEncoding::Utf16
    }
}

fn client_pulls(params: &InitializeParams) -> bool {
    params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.diagnostic.as_ref())
        .is_some()
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = negotiate_encoding(&params);
        let _ = self.encoding.set(enc);
        let _ = self.options.set(options_from(&params));
        let pull = client_pulls(&params);
        let dynamic_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.watch_dynamic.store(dynamic_watch, Ordering::Relaxed);
        let refresh = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        self.refresh_support.store(refresh, Ordering::Relaxed);
        if let Some(settings) = initial_settings(&params) {
            for message in self.set_settings(&settings) {
                tracing::warn!("{message}");
            }
        }
        self.pull.store(pull, Ordering::Relaxed);
        let progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        self.progress_support.store(progress, Ordering::Relaxed);
        *self.folders.lock().expect("folders") = workspace_folders(&params);
        tracing::info!(?enc, pull, "initialize");
        let diagnostic_provider = pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("lqls".to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        });
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "lqls".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(match enc {
                    PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
                    PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(true),
                        })),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                diagnostic_provider,
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        ["<", "\"", " ", ":", "$", "{", "-"]
                            .map(String::from)
                            .to_vec(),
                    ),
                    ..Default::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::from(actions::FIX_ALL.to_string()),
                            CodeActionKind::from(reviews::REVIEW_KIND.to_string()),
                        ]),
                        work_done_progress_options: Default::default(),
                        resolve_provider: None,
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: reviews::COMMANDS
                        .iter()
                        .chain([&REINDEX, &super::rule_docs::COMMAND])
                        .map(|c| c.to_string())
                        .collect(),
                    work_done_progress_options: Default::default(),
                }),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let msg = format!("lqls {} ready", env!("CARGO_PKG_VERSION"));
        self.client.log_message(MessageType::INFO, msg).await;
        if self.watch_dynamic.load(Ordering::Relaxed) {
            let watch = |glob: String| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            };
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![
                    watch(format!("**/{FILE_NAME}")),
                    watch("**/*.{xml,yaml,yml,json,sql}".to_string()),
                    watch("**/liquibase.properties".to_string()),
                    // The project's knowledge base (Markdown guidelines and docs).
                    watch("**/*.md".to_string()),
                ],
            };
            let registration = Registration {
                id: "lqls-config-watcher".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("cannot register the file watchers: {e}");
            }
        }
        if let Some(events) = self.review_events.lock().expect("events").take() {
            tokio::spawn(reviews::pump(
                self.reviews.clone(),
                events,
                self.client.clone(),
                self.progress_support.load(Ordering::Relaxed),
                self.status.clone(),
            ));
            self.note_llm_settings();
            tokio::spawn(super::status::run(
                self.status.clone(),
                self.knowledge.clone(),
                self.reviews.clone(),
                self.client.clone(),
            ));
        }
        self.start_knowledge(true).await;
        self.index_workspace().await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(&params.settings).await;
        self.start_knowledge(false).await;
        self.republish_all().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config = false;
        let mut files = false;
        let mut kb = false;
        for change in params.changes {
            if let Some(path) = file_path(&change.uri).filter(|p| self.knowledge.is_kb_file(p)) {
                tracing::debug!("knowledge-base file changed: {}", path.display());
                kb = true;
            } else if let Some(path) = config_path(&change.uri) {
                self.configs.invalidate(&path);
                config = true;
            } else if let Some(path) = file_path(&change.uri)
                // The Markdown watcher is for the knowledge base: other Markdown is no changelog.
                .filter(|p| p.extension().is_none_or(|e| e != "md"))
            {
                let structural = change.typ != FileChangeType::CHANGED;
                self.project.disk_changed(&path, structural);
                files = true;
            }
        }
        if kb {
            self.knowledge.rebuild();
        }
        if config {
            self.note_llm_settings();
            self.start_knowledge(false).await;
            // `[project]` settings may have changed too: index again from scratch.
            self.index_workspace().await;
        } else if files {
            self.rebuild_and_republish(None).await;
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = &params.text_document.uri;
        let Some(snap) = self.snapshot(uri) else {
            return Ok(None);
        };
        let only = params.context.only.as_ref();
        let wants = |kind: &str| {
            only.is_none_or(|list| {
                list.iter().any(|k| {
                    let k = k.as_str();
                    k.is_empty() || kind == k || kind.starts_with(&format!("{k}."))
                })
            })
        };
        let mut out = Vec::new();
        if wants(CodeActionKind::QUICKFIX.as_str()) {
            out.extend(actions::quick_fixes(uri, &snap, &params.range, self.enc()));
            let committed = self.committed(uri, &snap);
            out.extend(actions::quick_fixes_for(
                uri,
                &snap,
                &committed,
                &params.range,
                self.enc(),
            ));
        }
        if wants(actions::FIX_ALL) {
            out.extend(actions::fix_all(uri, &snap, self.enc()));
        }
        let reviews_on = self.llm_settings().backend != crate::llm::settings::BackendKind::Off;
        let wants_review = wants(reviews::REVIEW_KIND) || wants(CodeActionKind::QUICKFIX.as_str());
        if let (Some(a), true, true) = (&snap.analysis, wants_review, reviews_on) {
            let offset = snap.index.offset(
                &snap.text,
                convert::from_lsp_position(params.range.start),
                self.enc(),
            );
            // Each action only when its kind was asked for (`only`).
            out.extend(
                reviews::code_actions(uri, &a.changelog, offset, &params.context.diagnostics)
                    .into_iter()
                    .filter(|action| match action {
                        CodeActionOrCommand::CodeAction(c) => {
                            c.kind.as_ref().is_none_or(|k| wants(k.as_str()))
                        }
                        CodeActionOrCommand::Command(_) => true,
                    }),
            );
        }
        Ok(Some(out))
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        let arg = |i: usize| {
            params
                .arguments
                .get(i)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let uri = arg(0).and_then(|u| u.parse::<Uri>().ok());
        let invalid = || {
            tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "{}: expected the arguments [uri, changeset, ...]",
                params.command
            ))
        };
        match params.command.as_str() {
            reviews::REVIEW => {
                let (Some(uri), Some(cs)) = (uri, arg(1)) else {
                    return Err(invalid());
                };
                self.review_command(uri, cs, None).await
            }
            reviews::EXPLAIN => {
                let (Some(uri), Some(cs), Some(code)) = (uri, arg(1), arg(2)) else {
                    return Err(invalid());
                };
                let message = arg(3).unwrap_or_default();
                self.review_command(uri, cs, Some((code, message))).await
            }
            reviews::REVIEW_FILE => {
                let Some(uri) = uri else {
                    return Err(invalid());
                };
                self.review_file_command(uri).await
            }
            REINDEX => {
                // A full restart, not just a re-read: after a failure (no model yet) the worker is gone.
                self.start_knowledge(true).await;
                Ok(Some(serde_json::json!({ "started": true })))
            }
            super::rule_docs::COMMAND => super::rule_docs::answer(arg(0).as_deref())
                .map(Some)
                .map_err(tower_lsp_server::jsonrpc::Error::invalid_params),
            other => Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "unknown command {other}"
            ))),
        }
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        if config_path(&at.text_document.uri).is_some() {
            return Ok(None);
        }
        let Some(snap) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        let path = file_path(&at.text_document.uri);
        let config = self.configs.resolve(path.as_deref()).config;
        let enc = self.enc();
        let version = self.options().liquibase_version.clone();
        let project = path.as_deref().map(|p| super::project_names::ProjectNames {
            index: self.project.index(),
            files: self.project.files.clone(),
            file: self.project.id_of(p),
        });
        // blocking: the first request asks git for the user name
        let items = tokio::task::spawn_blocking(move || {
            let uri = &at.text_document.uri;
            completion::items(
                uri,
                &snap,
                at.position,
                enc,
                &config,
                version.as_deref(),
                project.as_ref(),
            )
        })
        .await
        .unwrap_or_default();
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.store.open(doc.uri.clone(), &doc.text, doc.version);
        if let Some(path) = config_path(&doc.uri) {
            self.configs.set_buffer(&path, Some(&doc.text));
            self.republish_all().await;
            return;
        }
        self.publish_edited(doc.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // No await before the edit is applied: handlers start in arrival order, so edits apply in order.
        let edits: Vec<Edit> = params
            .content_changes
            .into_iter()
            .map(|c| Edit {
                range: c.range.map(|r| {
                    (
                        convert::from_lsp_position(r.start),
                        convert::from_lsp_position(r.end),
                    )
                }),
                text: c.text,
            })
            .collect();
        let uri = params.text_document.uri;
        if !self
            .store
            .change(&uri, &edits, params.text_document.version, self.enc())
        {
            tracing::warn!(
                uri = uri.as_str(),
                version = params.text_document.version,
                "ignored stale or unknown change"
            );
            return;
        }
        // The changeset a review was asked for may no longer be what it reads.
        self.reviews.cancel_uri(&uri);
        if let Some(path) = config_path(&uri) {
            if let Some(snap) = self.snapshot(&uri) {
                self.configs.set_buffer(&path, Some(&snap.text));
            }
            self.republish_all().await;
            return;
        }
        self.publish_edited(uri).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Some(text) = params.text {
            // The saved text is authoritative; replace ours if it differs (a client bug must not leave
            // lqls diagnosing text the user does not have).
            let same = self.snapshot(&uri).is_some_and(|s| *s.text == *text);
            if !same {
                let version = self.store.version(&uri).unwrap_or(0);
                self.store.open(uri.clone(), &text, version);
                self.published.lock().await.remove(&uri);
            }
        }
        self.publish(uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.store.close(&uri);
        self.reviews.cancel_uri(&uri);
        if let Some(path) = file_path(&uri) {
            // Back to the disk text in the project.
            self.project.close_buffer(&path);
            self.rebuild_and_republish(Some(&path)).await;
        }
        if let Some(path) = config_path(&uri) {
            // Back to the disk text.
            self.configs.set_buffer(&path, None);
            self.republish_all().await;
        }
        if !self.pull.load(Ordering::Relaxed) {
            let mut published = self.published.lock().await;
            published.remove(&uri);
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = &params.text_document.uri;
        let items = self
            .snapshot(uri)
            .map(|s| self.diagnostics_of(uri, &s))
            .unwrap_or_default();
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(snap) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(DocumentSymbolResponse::Nested(
            outline::document_symbols(&snap, self.enc()),
        )))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let Some((snap, offset)) = self.at(&p.text_document.uri, p.position) else {
            return Ok(None);
        };
        let locations = navigate::definition(
            &self.project,
            &p.text_document.uri,
            &snap,
            offset,
            self.enc(),
        );
        Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let Some((_, offset)) = self.at(&p.text_document.uri, p.position) else {
            return Ok(None);
        };
        let locations = navigate::references(
            &self.project,
            &p.text_document.uri,
            offset,
            params.context.include_declaration,
            self.enc(),
        );
        Ok(Some(locations))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some((snap, offset)) = self.at(&p.text_document.uri, p.position) else {
            return Ok(None);
        };
        if let Some(h) = navigate::hover(
            &self.project,
            &p.text_document.uri,
            &snap,
            offset,
            self.enc(),
        ) {
            return Ok(Some(h));
        }
        Ok(self
            .guidance_hover(&p.text_document.uri, &snap, offset)
            .await)
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        Ok(Some(WorkspaceSymbolResponse::Flat(
            navigate::workspace_symbols(&self.project, &params.query, self.enc()),
        )))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(snap) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(outline::folding_ranges(&snap)))
    }
}
