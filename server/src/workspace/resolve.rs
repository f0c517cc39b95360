//! The include graph of one root changelog: the ordered list of changesets Liquibase runs, read the
//! way Liquibase 4.29 reads it (checked against Liquibase's own parser on the shared corpus).
//!
//! - Children are processed in document order: changesets, `property`, `include` and `includeAll`
//!   interleave, so a changeset after an include runs after everything the include brings.
//! - `include file` is a resource path resolved against the search paths, or against the including
//!   file's folder with `relativeToChangelogFile`. Paths that climb out of the search path are never
//!   read.
//! - `includeAll` takes every changelog file below a folder (recursively, `minDepth`/`maxDepth`
//!   counting path segments below it), in the alphabetical order of their resource paths.
//! - A changeset's path is its own `logicalFilePath`, else its file's, else the resource path. Liquibase
//!   4.29 does not pass a parent's or an include's `logicalFilePath` down (its issue 7222 tests).
//! - Including the same file twice runs it twice (Liquibase's parser does; the run skips the second
//!   copy by identity); including a file that is being included is a cycle and is cut.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::{FileSource, SourceFile};
use super::properties::{PropDef, Scope};
use super::{paths, FileId};
use crate::diagnostics::codes;
use crate::model::{access::parse_bool, ChangeSet, Diagnostic, Include, IncludeKind, Span};

/// Deeper include chains than this are cut with a diagnostic (recursion depth guard).
const MAX_DEPTH: usize = 256;

/// Extensions Liquibase has a changelog parser for.
const CHANGELOG_EXTENSIONS: &[&str] = &["xml", "yaml", "yml", "json", "sql"];

/// How to resolve: where resource paths are looked up, and parameters defined outside changelogs.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Absolute folders, in priority order.
    pub search_paths: Vec<PathBuf>,
    /// `parameter.*` of `liquibase.properties` and the like: defined before any changelog.
    pub parameters: Vec<PropDef>,
}

/// A diagnostic that may point into other files.
#[derive(Clone, Debug)]
pub struct ProjectDiagnostic {
    pub file: FileId,
    pub diagnostic: Diagnostic,
    pub related: Vec<(FileId, Span, String)>,
}

/// One changeset in execution order.
#[derive(Clone, Debug)]
pub struct Entry {
    pub file: FileId,
    /// Index into the file's `changelog.changesets`.
    pub index: usize,
    /// The path Liquibase records (DATABASECHANGELOG.FILENAME).
    pub path: String,
    /// id and author with `${properties}` expanded.
    pub id: String,
    pub author: String,
    /// Contexts of the enclosing includes.
    pub include_contexts: Arc<Vec<String>>,
}

/// An include and what it brought in, for navigation.
#[derive(Clone, Debug)]
pub struct Edge {
    pub from: FileId,
    /// The value span of `file`/`path`.
    pub span: Span,
    pub targets: Vec<FileId>,
}

/// What one root runs.
#[derive(Debug, Default)]
pub struct Resolution {
    pub root: Option<FileId>,
    pub entries: Vec<Entry>,
    pub edges: Vec<Edge>,
    pub problems: Vec<ProjectDiagnostic>,
    /// Every file read, in first-visit order.
    pub files: Vec<FileId>,
    /// The properties in force at the end of each file (for hover and completion), first visit.
    pub scopes: std::collections::HashMap<FileId, Scope>,
    /// The resource path each file was reached as.
    pub resources: std::collections::HashMap<FileId, String>,
    /// Every property name defined on the way (`<property>` and properties files).
    pub defined: std::collections::HashSet<String>,
}

impl Resolution {
    /// The parsed changeset of an entry.
    pub fn changeset<'f>(&self, file: &'f SourceFile, e: &Entry) -> Option<&'f ChangeSet> {
        file.changelog.changesets.get(e.index)
    }
}

struct Walker<'a> {
    files: &'a dyn FileSource,
    opts: &'a Options,
    out: Resolution,
    /// Files on the current include chain (cycle detection).
    stack: Vec<FileId>,
    scope: Scope,
    contexts: Arc<Vec<String>>,
}

/// Resolves the root changelog at `root` (an absolute path).
pub fn resolve(files: &dyn FileSource, root: &Path, opts: &Options) -> Resolution {
    let mut w = Walker {
        files,
        opts,
        out: Resolution::default(),
        stack: Vec::new(),
        scope: Scope::with_globals(opts.parameters.iter().cloned()),
        contexts: Arc::new(Vec::new()),
    };
    let resource = opts
        .search_paths
        .iter()
        .find_map(|sp| paths::resource_of(sp, root))
        .or_else(|| {
            root.file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
        })
        .unwrap_or_default();
    if let Some((id, file)) = files.load(root) {
        w.out.root = Some(id);
        w.visit(id, &file, &resource);
    }
    w.out
}

/// Items of a changelog in document order.
enum Item<'f> {
    ChangeSet(usize),
    Include(&'f Include),
    Property(&'f crate::model::Property),
}

fn items(file: &SourceFile) -> Vec<(usize, Item<'_>)> {
    let log = &file.changelog;
    let mut items: Vec<(usize, Item)> = Vec::new();
    items.extend(
        log.changesets
            .iter()
            .enumerate()
            .map(|(i, cs)| (cs.span.start, Item::ChangeSet(i))),
    );
    items.extend(
        log.includes
            .iter()
            .map(|inc| (inc.element.span.start, Item::Include(inc))),
    );
    items.extend(
        log.properties
            .iter()
            .map(|p| (p.element.span.start, Item::Property(p))),
    );
    items.sort_by_key(|(at, _)| *at);
    items
}

impl Walker<'_> {
    fn problem(&mut self, file: FileId, d: Diagnostic) {
        self.out.problems.push(ProjectDiagnostic {
            file,
            diagnostic: d,
            related: Vec::new(),
        });
    }

    fn visit(&mut self, id: FileId, file: &SourceFile, resource: &str) {
        if !self.out.resources.contains_key(&id) {
            self.out.files.push(id);
            self.out.resources.insert(id, resource.to_string());
        }
        // Expanded where the include is, before the file's own scope opens (see properties.rs).
        let file_lfp = file
            .changelog
            .logical_file_path
            .as_ref()
            .map(|l| self.scope.expand(l.value.trim()).into_owned())
            .filter(|l| !l.is_empty());
        self.stack.push(id);
        self.scope.push(file_lfp.as_deref().unwrap_or(resource));
        for (_, item) in items(file) {
            match item {
                Item::Property(p) => self.property(id, resource, p),
                Item::ChangeSet(index) => {
                    let cs = &file.changelog.changesets[index];
                    let path = cs
                        .logical_file_path()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(|l| self.scope.expand(l).into_owned())
                        .or_else(|| file_lfp.clone())
                        .unwrap_or_else(|| resource.to_string());
                    self.out.entries.push(Entry {
                        file: id,
                        index,
                        path,
                        id: self.scope.expand(cs.id_str()).into_owned(),
                        author: self.scope.expand(cs.author_str()).into_owned(),
                        include_contexts: self.contexts.clone(),
                    });
                }
                Item::Include(inc) => self.include(id, resource, inc),
            }
        }
        self.out
            .scopes
            .entry(id)
            .or_insert_with(|| self.scope.clone());
        self.scope.pop();
        self.stack.pop();
    }

    /// A `<property>`: a name and value, or every entry of a `.properties` file (resolved like an
    /// include, relative to the changelog with `relativeToChangelogFile`).
    fn property(&mut self, id: FileId, resource: &str, p: &crate::model::Property) {
        if let Some(name) = &p.name {
            self.out
                .defined
                .insert(self.scope.expand(name.value.trim()).into_owned());
        }
        let Some(file) = &p.file else {
            self.scope.define(id, p);
            return;
        };
        let written = self.scope.expand(file.value.trim()).into_owned();
        let relative = p
            .element
            .attr_value("relativeToChangelogFile")
            .and_then(parse_bool)
            .unwrap_or(false);
        let target = if relative {
            paths::join(paths::parent(resource), &written)
        } else {
            paths::normalize(&written)
        };
        let text = target
            .as_deref()
            .and_then(|t| self.locate(t))
            .and_then(|path| std::fs::read_to_string(path).ok());
        let Some(text) = text else {
            self.problem(
                id,
                Diagnostic::error(
                    codes::MISSING_INCLUDE,
                    file.span,
                    format!(
                        "properties file '{written}' was not found in the search path{}",
                        self.search_path_list()
                    ),
                ),
            );
            return;
        };
        for (name, value) in super::properties::parse_java_properties(&text) {
            self.out.defined.insert(name.clone());
            self.scope.define_from_file(id, p, name, value);
        }
    }

    fn include(&mut self, from: FileId, resource: &str, inc: &Include) {
        let Some(written) = &inc.path else {
            return; // reported by the validator as a missing required attribute
        };
        let el = &inc.element;
        let flag =
            |name: &str, default: bool| el.attr_value(name).and_then(parse_bool).unwrap_or(default);
        let expanded = self.scope.expand(written.value.trim()).into_owned();
        let target = if inc.relative_to_changelog_file {
            paths::join(paths::parent(resource), &expanded)
        } else {
            self.absolute_resource(&expanded)
                .or_else(|| paths::normalize(&expanded))
        };
        let Some(target) = target else {
            self.problem(
                from,
                Diagnostic::error(
                    codes::INCLUDE_OUTSIDE,
                    written.span,
                    format!(
                        "'{expanded}' points outside the search path{}: lqls does not read it, \
                         and Liquibase cannot find it there either",
                        self.search_path_list()
                    ),
                ),
            );
            return;
        };
        let ctx = el
            .attr_value("contextFilter")
            .or_else(|| el.attr_value("context"))
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let saved = self.contexts.clone();
        if let Some(c) = ctx {
            let mut v = (*self.contexts).clone();
            v.push(c.to_string());
            self.contexts = Arc::new(v);
        }
        match inc.kind {
            IncludeKind::Include => {
                let targets =
                    self.include_file(from, written.span, &target, flag("errorIfMissing", true));
                self.out.edges.push(Edge {
                    from,
                    span: written.span,
                    targets,
                });
            }
            IncludeKind::IncludeAll => self.include_all(from, inc, written.span, &target),
        }
        self.contexts = saved;
    }

    /// An absolute file-system path inside a search path, as its resource path.
    fn absolute_resource(&self, written: &str) -> Option<String> {
        let p = Path::new(written);
        if !p.is_absolute() {
            return None;
        }
        let p = paths::absolute(p);
        self.opts
            .search_paths
            .iter()
            .find_map(|sp| paths::resource_of(sp, &p))
    }

    fn search_path_list(&self) -> String {
        if self.opts.search_paths.is_empty() {
            return String::new();
        }
        let list: Vec<String> = self
            .opts
            .search_paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        format!(" ({})", list.join(", "))
    }

    /// The first search path holding `resource`.
    fn locate(&self, resource: &str) -> Option<PathBuf> {
        self.opts
            .search_paths
            .iter()
            .map(|sp| paths::under(sp, resource))
            .find(|p| p.is_file())
    }

    fn include_file(
        &mut self,
        from: FileId,
        at: Span,
        target: &str,
        must_exist: bool,
    ) -> Vec<FileId> {
        let loaded = self.locate(target).and_then(|p| self.files.load(&p));
        let Some((id, file)) = loaded else {
            if must_exist {
                self.problem(
                    from,
                    Diagnostic::error(
                        codes::MISSING_INCLUDE,
                        at,
                        format!(
                            "included file '{target}' was not found in the search path{}",
                            self.search_path_list()
                        ),
                    ),
                );
            }
            return Vec::new();
        };
        self.enter(from, at, id, &file, target);
        vec![id]
    }

    fn enter(&mut self, from: FileId, at: Span, id: FileId, file: &SourceFile, target: &str) {
        if let Some(pos) = self.stack.iter().position(|&f| f == id) {
            let mut chain: Vec<String> = self.stack[pos..]
                .iter()
                .map(|f| self.out.resources.get(f).cloned().unwrap_or_default())
                .collect();
            chain.push(target.to_string());
            self.problem(
                from,
                Diagnostic::error(
                    codes::INCLUDE_CYCLE,
                    at,
                    format!(
                        "this include creates a cycle ({}): Liquibase would recurse forever; \
                         the file is not included again",
                        chain.join(" → ")
                    ),
                ),
            );
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.problem(
                from,
                Diagnostic::error(
                    codes::INCLUDE_CYCLE,
                    at,
                    format!("includes nest deeper than {MAX_DEPTH} files; lqls stops here"),
                ),
            );
            return;
        }
        if !file.is_changelog && file.format != crate::model::Format::Sql {
            self.problem(
                from,
                Diagnostic::error(
                    codes::MISSING_INCLUDE,
                    at,
                    format!("'{target}' is not a Liquibase changelog (no databaseChangeLog root)"),
                ),
            );
            return;
        }
        self.visit(id, file, target);
    }

    fn include_all(&mut self, from: FileId, inc: &Include, at: Span, dir: &str) {
        let el = &inc.element;
        let int = |name: &str| {
            el.attr_value(name)
                .and_then(|v| v.trim().parse::<i64>().ok())
        };
        let min_depth = int("minDepth").unwrap_or(1);
        let max_depth = int("maxDepth").unwrap_or(i64::MAX);
        let ends_with = el.attr_value("endsWithFilter").filter(|s| !s.is_empty());
        let must_exist = el
            .attr_value("errorIfMissingOrEmpty")
            .and_then(parse_bool)
            .unwrap_or(true);
        if let Some(class) = el
            .attr_value("resourceFilter")
            .or_else(|| el.attr_value("filter"))
        {
            let mut d = Diagnostic::warning(
                codes::MISSING_INCLUDE,
                at,
                format!(
                    "lqls cannot run the Java resource filter '{class}': every changelog in \
                     the folder is assumed to be included"
                ),
            );
            d.severity = crate::model::Severity::Information;
            self.problem(from, d);
        }
        // Every search path's copy of the folder, as (resource path, file).
        let mut found: Vec<(String, PathBuf)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut any_dir = false;
        for sp in self.opts.search_paths.clone() {
            let folder = paths::under(&sp, dir);
            let Some(list) = self.files.list(&folder) else {
                continue;
            };
            any_dir = true;
            for f in list.iter() {
                let Some(rel) = paths::resource_of(&folder, f) else {
                    continue;
                };
                let depth = rel.split('/').count() as i64;
                let ext_ok = f.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    CHANGELOG_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                });
                if !ext_ok || depth < min_depth || depth > max_depth {
                    continue;
                }
                if ends_with.is_some_and(|s| !f.to_string_lossy().ends_with(s)) {
                    continue;
                }
                let resource = if dir.is_empty() {
                    rel
                } else {
                    format!("{dir}/{rel}")
                };
                if seen.insert(resource.clone()) {
                    found.push((resource, f.clone()));
                }
            }
        }
        // Java's String order on resource paths (byte order for the ASCII paths projects use).
        found.sort_by(|a, b| a.0.cmp(&b.0));
        if found.is_empty() && must_exist {
            let what = if any_dir {
                "has no changelog files"
            } else {
                "was not found"
            };
            self.problem(
                from,
                Diagnostic::error(
                    codes::MISSING_INCLUDE,
                    at,
                    format!(
                        "includeAll folder '{dir}' {what} in the search path{} \
                         (errorIfMissingOrEmpty=\"false\" accepts that)",
                        self.search_path_list()
                    ),
                ),
            );
        }
        let mut targets = Vec::with_capacity(found.len());
        for (resource, path) in found {
            if let Some((id, file)) = self.files.load(&path) {
                targets.push(id);
                self.enter(from, at, id, &file, &resource);
            }
        }
        self.out.edges.push(Edge {
            from,
            span: at,
            targets,
        });
    }
}
