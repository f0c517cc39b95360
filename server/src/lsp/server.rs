//! `LanguageServer` implementation. Handlers only move data between the protocol and the store.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert;
use super::outline;
use super::store::{Snapshot, Store};
use crate::text::{Edit, PositionEncoding};
use crate::validate;

pub struct Server {
    client: Client,
    store: Store,
    /// Negotiated once in `initialize`.
    encoding: OnceLock<PositionEncoding>,
    /// When the client pulls diagnostics (`textDocument/diagnostic`), they are not also pushed: a
    /// client holding both would show each twice.
    pull: AtomicBool,
    options: OnceLock<validate::Options>,
    /// The last version whose diagnostics were pushed, per document. Held across the decision and the
    /// send, so two handlers racing on one document can never publish an older version after a newer.
    published: tokio::sync::Mutex<HashMap<Uri, i32>>,
}

impl Server {
    pub fn new(client: Client) -> Self {
        Server {
            client,
            store: Store::default(),
            encoding: OnceLock::new(),
            pull: AtomicBool::new(false),
            options: OnceLock::new(),
            published: Default::default(),
        }
    }

    fn enc(&self) -> PositionEncoding {
        self.encoding.get().copied().unwrap_or_default()
    }

    fn options(&self) -> &validate::Options {
        self.options.get_or_init(validate::Options::default)
    }

    fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        self.store.snapshot(uri, self.options())
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
        let diagnostics = convert::diagnostics(&uri, &snap, self.enc());
        self.client
            .publish_diagnostics(uri, diagnostics, Some(snap.version))
            .await;
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
        self.pull.store(pull, Ordering::Relaxed);
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
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                diagnostic_provider,
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let msg = format!("lqls {} ready", env!("CARGO_PKG_VERSION"));
        self.client.log_message(MessageType::INFO, msg).await;
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.store.open(doc.uri.clone(), &doc.text, doc.version);
        self.publish(doc.uri).await;
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
        self.publish(uri).await;
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
            .map(|s| convert::diagnostics(uri, &s, self.enc()))
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

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(snap) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(outline::folding_ranges(&snap)))
    }
}
