//! The language server's view of the project: workspace folders, the parse cache with the open
//! buffers laid over it, and the latest [`Index`]. Handlers read an `Arc<Index>` snapshot; updates
//! build a new index from the cache (only the changed file is parsed again) and swap it in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::model::Span;
use crate::text::PositionEncoding;
use crate::workspace::files::{FileSource, Files};
use crate::workspace::project::{Index, Project, ProjectSettings};
use crate::workspace::resolve::ProjectDiagnostic;
use crate::workspace::FileId;

pub struct ProjectState {
    pub files: Arc<Files>,
    project: Mutex<Project>,
    index: RwLock<Arc<Index>>,
    /// Whether the first full index has been built (before it, only per-file checks run).
    ready: std::sync::atomic::AtomicBool,
    /// Open documents' paths (their buffers are overlays in `files`).
    open: Mutex<Vec<PathBuf>>,
    /// Files changed since the last index, or `None` when the disk changed (rebuild everything).
    dirty: Mutex<Option<std::collections::HashSet<FileId>>>,
}

impl Default for ProjectState {
    fn default() -> Self {
        let files = Arc::new(Files::new());
        ProjectState {
            project: Mutex::new(Project::new(files.clone())),
            files,
            index: RwLock::new(Arc::new(Index::default())),
            ready: Default::default(),
            open: Mutex::new(Vec::new()),
            dirty: Mutex::new(None),
        }
    }
}

impl ProjectState {
    pub fn index(&self) -> Arc<Index> {
        self.index.read().expect("index lock").clone()
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Scans the folders (blocking: call from a blocking thread) and builds the first index.
    /// Returns the number of changelog files found.
    pub fn load_folders(&self, folders: Vec<(PathBuf, ProjectSettings)>) -> usize {
        let n = {
            let mut p = self.project.lock().expect("project lock");
            p.set_folders(folders);
            p.file_count()
        };
        self.rebuild();
        self.ready.store(true, std::sync::atomic::Ordering::Release);
        n
    }

    /// Builds a new index from the cache and swaps it in. Roots that read none of the files changed
    /// since the last index keep their resolution.
    pub fn rebuild(&self) -> Arc<Index> {
        let extra = self.open.lock().expect("open lock").clone();
        let dirty = self
            .dirty
            .lock()
            .expect("dirty lock")
            .replace(Default::default());
        let previous = self.index();
        let project = self.project.lock().expect("project lock");
        let index = match &dirty {
            Some(changed) => project.reindex(&extra, Some((&previous, changed))),
            None => project.index(&extra),
        };
        let index = Arc::new(index);
        let old = std::mem::replace(&mut *self.index.write().expect("index lock"), index.clone());
        // Freeing a large schema takes milliseconds: not on the path to publishing.
        std::thread::spawn(move || drop(old));
        index
    }

    fn mark_dirty(&self, id: Option<FileId>) {
        let mut d = self.dirty.lock().expect("dirty lock");
        match (id, d.as_mut()) {
            (Some(id), Some(set)) => {
                set.insert(id);
            }
            _ => *d = None,
        }
    }

    /// The editor parsed a new version of `path`: the project takes that parse, and the index is
    /// rebuilt once the first one exists. The same text analysed again (a configuration change
    /// re-analyses every open document) changes nothing and rebuilds nothing.
    pub fn set_parsed(&self, path: &Path, text: Arc<str>, changelog: Arc<crate::model::ChangeLog>) {
        if self.files.overlay(path).is_some_and(|t| *t == *text) {
            self.mark_open(path);
            return;
        }
        self.files.set_overlay_parsed(path, text, changelog);
        self.mark_dirty(Some(self.files.id(path)));
        self.mark_open(path);
        if self.is_ready() {
            self.rebuild();
        }
    }

    /// What the project knows about `path` for its rules (tables new in this release).
    pub fn facts(
        &self,
        path: &Path,
        git: &crate::workspace::git::Git,
    ) -> crate::workspace::facts::FileFacts {
        let index = self.index();
        let id = self.files.id(path);
        crate::workspace::facts::FileFacts::compute(&index, &self.files, id, Some(git))
    }

    fn mark_open(&self, path: &Path) {
        let mut open = self.open.lock().expect("open lock");
        if !open.iter().any(|p| p == path) {
            open.push(path.to_path_buf());
        }
    }

    pub fn close_buffer(&self, path: &Path) {
        self.files.clear_overlay(path);
        self.mark_dirty(Some(self.files.id(path)));
        self.open.lock().expect("open lock").retain(|p| p != path);
    }

    /// A file changed on disk; `created_or_deleted` rescans the folders for changelogs and roots.
    pub fn disk_changed(&self, path: &Path, created_or_deleted: bool) {
        self.files.invalidate(path);
        // A created (or deleted) file may be what some include was missing: resolve everything
        // again. A changed one only affects the roots that read it.
        let changed = (!created_or_deleted).then(|| self.files.id(path));
        self.mark_dirty(changed);
        if created_or_deleted
            || path
                .file_name()
                .is_some_and(|n| n == "liquibase.properties")
        {
            self.project.lock().expect("project lock").rescan();
        }
    }

    pub fn files_get(&self, id: FileId) -> Option<Arc<crate::workspace::files::SourceFile>> {
        self.files.get(id)
    }

    pub fn id_of(&self, path: &Path) -> FileId {
        self.files.id(path)
    }

    /// A location in any project file, converted with that file's own text.
    pub fn location(
        &self,
        file: FileId,
        span: Span,
        enc: PositionEncoding,
    ) -> Option<lsp::Location> {
        let f = self.files.get(file)?;
        let uri = Uri::from_file_path(&f.path)?;
        let r = f.line_index().range(&f.text, span.start, span.end, enc);
        Some(lsp::Location::new(
            uri,
            lsp::Range::new(
                lsp::Position::new(r.start.line, r.start.character),
                lsp::Position::new(r.end.line, r.end.character),
            ),
        ))
    }

    /// The project diagnostics of `path` as protocol diagnostics, if the index was built from the same
    /// text the editor has (`text`); otherwise none rather than misplaced ones.
    pub fn diagnostics(
        &self,
        path: &Path,
        text: &str,
        enc: PositionEncoding,
    ) -> Vec<lsp::Diagnostic> {
        let id = self.files.id(path);
        let Some(file) = self.files.get(id) else {
            return Vec::new();
        };
        if *file.text != *text {
            return Vec::new();
        }
        let index = self.index();
        let Some(list) = index.diagnostics.get(&id) else {
            return Vec::new();
        };
        list.iter().map(|d| self.diagnostic(d, enc)).collect()
    }

    fn diagnostic(&self, d: &ProjectDiagnostic, enc: PositionEncoding) -> lsp::Diagnostic {
        let here = self.location(d.file, d.diagnostic.span, enc);
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|(f, span, message)| {
                Some(lsp::DiagnosticRelatedInformation {
                    location: self.location(*f, *span, enc)?,
                    message: message.clone(),
                })
            })
            .collect();
        let mut out = super::convert::protocol_diagnostic(&d.diagnostic);
        if let Some(l) = here {
            out.range = l.range;
        }
        out.related_information = (!related.is_empty()).then_some(related);
        out
    }

    /// Project diagnostics per open path, as a fingerprint to know whom to republish after a rebuild.
    pub fn fingerprints(&self) -> HashMap<PathBuf, u64> {
        use std::hash::{Hash, Hasher};
        let index = self.index();
        let open = self.open.lock().expect("open lock").clone();
        open.into_iter()
            .map(|p| {
                let id = self.files.id(&p);
                let mut h = std::collections::hash_map::DefaultHasher::new();
                if let Some(list) = index.diagnostics.get(&id) {
                    for d in list {
                        (d.diagnostic.span, d.diagnostic.code, &d.diagnostic.message).hash(&mut h);
                    }
                }
                (p, h.finish())
            })
            .collect()
    }
}
