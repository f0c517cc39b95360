//! The files of a project as the include graph reads them: parsed once, cached, identified by a
//! stable [`FileId`], with the editor's open buffers taking precedence over the disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use super::FileId;
use crate::model::{Attr, Change, ChangeLog, ChangeSet, Element, Format, Span, Spanned};
use crate::syntax;
use crate::text::LineIndex;

/// Files larger than this are not read for the project graph (a 50 MB "changelog" is a data dump, not
/// something to index on every start); opening one in the editor still analyses it.
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// One parsed file of the project.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub format: Format,
    /// False for a plain SQL script (no `--liquibase formatted sql` header) or a file with no
    /// `databaseChangeLog`: Liquibase includes a plain script as one raw `sql` changeset.
    pub is_changelog: bool,
    /// Shared with the editor's analysis of the same text (parsed once per keystroke).
    pub changelog: Arc<ChangeLog>,
    index: OnceLock<LineIndex>,
    refs: OnceLock<Vec<(String, Span)>>,
}

impl SourceFile {
    pub fn parse(path: PathBuf, text: Arc<str>) -> SourceFile {
        let format = syntax::detect_format(Some(&path), &text);
        let head = text.get(..text.len().min(8192)).unwrap_or(&text);
        let is_changelog = syntax::is_changelog(&path, head);
        let changelog = if is_changelog {
            syntax::parse(&text, format).changelog
        } else if format == Format::Sql {
            raw_sql(&text)
        } else {
            ChangeLog::empty(format)
        };
        SourceFile {
            path,
            text,
            format,
            is_changelog,
            changelog: Arc::new(changelog),
            index: OnceLock::new(),
            refs: OnceLock::new(),
        }
    }

    /// A file the editor already parsed.
    pub fn parsed(path: PathBuf, text: Arc<str>, changelog: Arc<ChangeLog>) -> SourceFile {
        let head = text.get(..text.len().min(8192)).unwrap_or(&text);
        SourceFile {
            is_changelog: syntax::is_changelog(&path, head),
            format: changelog.format,
            path,
            text,
            changelog,
            index: OnceLock::new(),
            refs: OnceLock::new(),
        }
    }

    /// Every `${property}` reference of the file (see [`super::properties::collect_references`]),
    /// collected on first use.
    pub fn property_refs(&self) -> &[(String, Span)] {
        self.refs.get_or_init(|| {
            self.changelog
                .root
                .as_ref()
                .map(super::properties::collect_references)
                .unwrap_or_default()
        })
    }

    /// Line index for converting spans of this file, built on first use.
    pub fn line_index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// A plain SQL script as Liquibase includes it: one changeset `raw` by `includeAll` holding one `sql`
/// change with the whole text.
fn raw_sql(text: &str) -> ChangeLog {
    let whole = Span::new(0, text.len());
    let sql = Element {
        name: Spanned::new("sql".to_string(), Span::new(0, 0)),
        text: Some(Spanned::new(text.to_string(), whole)),
        span: whole,
        ..Element::default()
    };
    let attr = |name: &str, value: &str| Attr {
        name: Spanned::new(name.to_string(), Span::new(0, 0)),
        value: Spanned::new(value.to_string(), Span::new(0, 0)),
        namespace: None,
    };
    let attrs = vec![attr("id", "raw"), attr("author", "includeAll")];
    let element = Element {
        name: Spanned::new("changeSet".to_string(), Span::new(0, 0)),
        attrs: attrs.clone(),
        children: vec![Arc::new(sql.clone())],
        span: whole,
        ..Element::default()
    };
    let mut log = ChangeLog::empty(Format::Sql);
    log.changesets.push(ChangeSet {
        id: Some(Spanned::new("raw".to_string(), Span::new(0, 0))),
        author: Some(Spanned::new("includeAll".to_string(), Span::new(0, 0))),
        attrs,
        comment: None,
        changes: vec![Change {
            kind: Spanned::new("sql".to_string(), Span::new(0, 0)),
            element: sql,
        }],
        rollbacks: Vec::new(),
        preconditions: None,
        valid_checksums: Vec::new(),
        span: whole,
        header: Span::new(0, 0),
        element,
    });
    log
}

/// Where the project's files come from. Implementations cache: the resolver asks for the same file
/// once per include of it.
pub trait FileSource: Sync {
    /// The parsed file at `path` (absolute), or `None` when it does not exist or cannot be read.
    fn load(&self, path: &Path) -> Option<(FileId, Arc<SourceFile>)>;
    /// A file already loaded.
    fn get(&self, id: FileId) -> Option<Arc<SourceFile>>;
    /// Every file under `dir`, recursively, or `None` when `dir` is not a directory.
    fn list(&self, dir: &Path) -> Option<Arc<Vec<PathBuf>>>;
}

#[derive(Default)]
struct Table {
    ids: HashMap<PathBuf, FileId>,
    paths: Vec<PathBuf>,
    parsed: Vec<Option<Arc<SourceFile>>>,
    /// Editor buffers: path → text. They win over the disk.
    overlays: HashMap<PathBuf, Arc<str>>,
    listings: HashMap<PathBuf, Arc<Vec<PathBuf>>>,
}

impl Table {
    fn id(&mut self, path: &Path) -> FileId {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = self.paths.len();
        self.ids.insert(path.to_path_buf(), id);
        self.paths.push(path.to_path_buf());
        self.parsed.push(None);
        id
    }
}

/// The disk, with open buffers laid over it and a parse cache that [`Files::invalidate`] keeps
/// current. File ids are never reused, so an id held by an older result still names the same path.
#[derive(Default)]
pub struct Files {
    table: RwLock<Table>,
}

impl Files {
    pub fn new() -> Files {
        Files::default()
    }

    /// The id of a path, whether or not it exists.
    pub fn id(&self, path: &Path) -> FileId {
        if let Some(&id) = self.table.read().expect("files lock").ids.get(path) {
            return id;
        }
        self.table.write().expect("files lock").id(path)
    }

    pub fn path(&self, id: FileId) -> Option<PathBuf> {
        self.table
            .read()
            .expect("files lock")
            .paths
            .get(id)
            .cloned()
    }

    /// Uses the editor's text for `path` (open or changed buffer).
    pub fn set_overlay(&self, path: &Path, text: Arc<str>) {
        let file = SourceFile::parse(path.to_path_buf(), text);
        self.put_overlay(path, file);
    }

    /// [`Files::set_overlay`] with the editor's own parse of the text.
    pub fn set_overlay_parsed(&self, path: &Path, text: Arc<str>, changelog: Arc<ChangeLog>) {
        let file = SourceFile::parsed(path.to_path_buf(), text, changelog);
        self.put_overlay(path, file);
    }

    fn put_overlay(&self, path: &Path, file: SourceFile) {
        let mut t = self.table.write().expect("files lock");
        let id = t.id(path);
        t.overlays.insert(path.to_path_buf(), file.text.clone());
        t.parsed[id] = Some(Arc::new(file));
    }

    /// The editor's text of `path`, if it is open.
    pub fn overlay(&self, path: &Path) -> Option<Arc<str>> {
        self.table
            .read()
            .expect("files lock")
            .overlays
            .get(path)
            .cloned()
    }

    /// Back to the disk for `path` (the buffer was closed).
    pub fn clear_overlay(&self, path: &Path) {
        let mut t = self.table.write().expect("files lock");
        if t.overlays.remove(path).is_some() {
            let id = t.id(path);
            t.parsed[id] = None;
        }
    }

    /// Forgets what is known about `path` on disk (it was created, changed or deleted), including
    /// the listings of the folders above it.
    pub fn invalidate(&self, path: &Path) {
        let mut t = self.table.write().expect("files lock");
        if !t.overlays.contains_key(path) {
            if let Some(&id) = t.ids.get(path) {
                t.parsed[id] = None;
            }
        }
        t.listings.retain(|dir, _| !path.starts_with(dir));
    }

    /// Forgets everything read from disk (a watcher overflowed, the roots changed).
    pub fn invalidate_all(&self) {
        let mut t = self.table.write().expect("files lock");
        let Table {
            overlays,
            parsed,
            ids,
            listings,
            ..
        } = &mut *t;
        for (path, id) in ids.iter() {
            if !overlays.contains_key(path) {
                parsed[*id] = None;
            }
        }
        listings.clear();
    }

    /// Every file parsed so far.
    pub fn loaded(&self) -> Vec<(FileId, Arc<SourceFile>)> {
        let t = self.table.read().expect("files lock");
        t.parsed
            .iter()
            .enumerate()
            .filter_map(|(id, f)| f.clone().map(|f| (id, f)))
            .collect()
    }
}

fn read_disk(path: &Path) -> Option<Arc<str>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let (text, _) = crate::analysis::decode(bytes);
    Some(Arc::from(text))
}

impl FileSource for Files {
    fn load(&self, path: &Path) -> Option<(FileId, Arc<SourceFile>)> {
        {
            let t = self.table.read().expect("files lock");
            if let Some(&id) = t.ids.get(path) {
                if let Some(f) = &t.parsed[id] {
                    return Some((id, f.clone()));
                }
            }
        }
        // Read and parse outside the lock: other files load meanwhile.
        let text = read_disk(path)?;
        let file = Arc::new(SourceFile::parse(path.to_path_buf(), text));
        let mut t = self.table.write().expect("files lock");
        let id = t.id(path);
        // An overlay set while we were reading wins.
        let slot = &mut t.parsed[id];
        Some((id, slot.get_or_insert(file).clone()))
    }

    fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        self.table
            .read()
            .expect("files lock")
            .parsed
            .get(id)
            .cloned()
            .flatten()
    }

    fn list(&self, dir: &Path) -> Option<Arc<Vec<PathBuf>>> {
        if let Some(l) = self.table.read().expect("files lock").listings.get(dir) {
            return Some(l.clone());
        }
        if !dir.is_dir() {
            return None;
        }
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        files.sort();
        let files = Arc::new(files);
        self.table
            .write()
            .expect("files lock")
            .listings
            .insert(dir.to_path_buf(), files.clone());
        Some(files)
    }
}
