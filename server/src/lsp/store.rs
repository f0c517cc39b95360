//! Open documents and their analyses.
//!
//! Edits are applied under a lock in the order the handlers start (tower-lsp-server starts handlers in
//! arrival order and ours do not await before editing), and each version's analysis is an immutable
//! snapshot: handlers compute from a snapshot and drop results for versions that are no longer current.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tower_lsp_server::ls_types::Uri;

use crate::analysis::{self, Analysis};
use crate::model::{ChangeLog, Format};
use crate::rules::ProjectFacts;
use crate::syntax;
use crate::text::{Document, Edit, LineIndex, PositionEncoding};
use crate::validate;

/// Gives the project a document's parse and returns what the project knows for its rules.
pub type ProjectHook<'a> =
    dyn Fn(Option<&Path>, &Arc<str>, &Arc<ChangeLog>) -> Box<dyn ProjectFacts> + 'a;

/// Everything computed for one version of one document. Read-only once built.
pub struct Snapshot {
    pub version: i32,
    pub text: Arc<str>,
    pub index: LineIndex,
    /// `None` when the document is not a Liquibase changelog (a `pom.xml`, a plain `.sql` file): lqls
    /// stays silent on those instead of reporting that they are not changelogs.
    pub analysis: Option<Analysis>,
}

struct Entry {
    doc: Document,
    format: Format,
    snapshot: Option<Arc<Snapshot>>,
}

#[derive(Default)]
pub struct Store {
    docs: Mutex<HashMap<Uri, Entry>>,
}

/// The file path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<std::path::PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

fn format_of(uri: &Uri, text: &str) -> Format {
    syntax::detect_format(Some(Path::new(uri.path().as_str())), text)
}

impl Store {
    pub fn open(&self, uri: Uri, text: &str, version: i32) {
        let format = format_of(&uri, text);
        let entry = Entry {
            doc: Document::new(text, version),
            format,
            snapshot: None,
        };
        self.docs.lock().expect("store lock").insert(uri, entry);
    }

    /// Applies one `didChange`. Returns false (and changes nothing) for an unknown document or a
    /// version that is not newer than the one held: a late duplicate must not roll the text back.
    pub fn change(&self, uri: &Uri, edits: &[Edit], version: i32, enc: PositionEncoding) -> bool {
        let mut docs = self.docs.lock().expect("store lock");
        let Some(entry) = docs.get_mut(uri) else {
            return false;
        };
        if version <= entry.doc.version() {
            return false;
        }
        entry.doc.apply(edits, version, enc);
        entry.snapshot = None;
        true
    }

    /// Drops every cached analysis (the configuration changed); the next request analyses again.
    pub fn invalidate_all(&self) {
        for entry in self.docs.lock().expect("store lock").values_mut() {
            entry.snapshot = None;
        }
    }

    /// The open documents.
    pub fn uris(&self) -> Vec<Uri> {
        self.docs
            .lock()
            .expect("store lock")
            .keys()
            .cloned()
            .collect()
    }

    pub fn close(&self, uri: &Uri) {
        self.docs.lock().expect("store lock").remove(uri);
    }

    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.docs
            .lock()
            .expect("store lock")
            .get(uri)
            .map(|e| e.doc.version())
    }

    /// The snapshot of the current version, analysing it if no one has yet. The analysis runs outside
    /// the lock, so edits to this and other documents are never held up by it.
    /// `opts` gives the options for the document's file path (its `lqls.toml`); `project` receives
    /// the parse (the project index takes it) and answers what the project knows for the rules.
    pub fn snapshot(
        &self,
        uri: &Uri,
        opts: &dyn Fn(Option<&Path>) -> validate::Options,
        project: &ProjectHook<'_>,
    ) -> Option<Arc<Snapshot>> {
        let (text, version, format) = {
            let mut docs = self.docs.lock().expect("store lock");
            let entry = docs.get_mut(uri)?;
            if let Some(s) = &entry.snapshot {
                return Some(s.clone());
            }
            (entry.doc.text(), entry.doc.version(), entry.format)
        };
        let head = text.get(..text.len().min(8192)).unwrap_or(&text);
        let is_changelog = syntax::is_changelog(Path::new(&format!("x.{}", format.as_str())), head);
        let path = file_path(uri);
        let analysis = is_changelog.then(|| {
            let opts = opts(path.as_deref());
            // A panic anywhere in here is a bug: the document gets one diagnostic saying so and the
            // server keeps serving the others.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let parsed = syntax::parse(&text, format);
                let changelog = Arc::new(parsed.changelog);
                let facts = project(path.as_deref(), &text, &changelog);
                let path = path.as_deref();
                analysis::check(&text, changelog, parsed.diagnostics, path, &opts, &*facts)
            }))
            .unwrap_or_else(|_| analysis::internal_error(format))
        });
        let snapshot = Arc::new(Snapshot {
            version,
            index: LineIndex::new(&text),
            text,
            analysis,
        });
        let mut docs = self.docs.lock().expect("store lock");
        if let Some(entry) = docs.get_mut(uri) {
            if entry.doc.version() == version {
                entry.snapshot = Some(snapshot.clone());
            }
        }
        Some(snapshot)
    }
}
