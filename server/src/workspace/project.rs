//! The project index: every changelog of the workspace folders, the roots that run them, each root's
//! include graph, and the cross-file diagnostics. Rebuilt from the parse cache after every change; only
//! the changed file is parsed again, so a rebuild is a walk over models already in memory.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::discover::{self, CONVENTIONAL_ROOTS};
use super::files::{FileSource, Files, SourceFile};
use super::properties::{self, PropDef};
use super::resolve::{self, Entry, ProjectDiagnostic, Resolution};
use super::schema::{self, Filter, Replay};
use super::Step;
use super::{paths, FileId};
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Span};

/// Folders never searched for changelogs: build outputs, dependencies and VCS data hold copies that
/// would show up as duplicates.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "target",
    "build",
    "out",
    ".gradle",
    ".idea",
    ".vscode",
    "bin",
];

/// Changelog extensions.
const EXTENSIONS: &[&str] = &["xml", "yaml", "yml", "json", "sql"];

/// A root changelog and how to resolve it.
#[derive(Clone, Debug, PartialEq)]
pub struct RootSpec {
    pub root: PathBuf,
    pub search_paths: Vec<PathBuf>,
    pub parameters: Vec<PropDef>,
    /// Found as a root (configured, `liquibase.properties`, conventional name) rather than as a file
    /// nothing includes.
    pub declared: bool,
    /// Which changesets the schema replay runs (`[project] dbms` and `contexts`).
    pub filter: Filter,
}

/// Project settings from the `[project]` table of `lqls.toml` (paths relative to the folder).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectSettings {
    pub roots: Vec<PathBuf>,
    pub search_paths: Vec<PathBuf>,
    pub properties: Vec<(String, String)>,
    /// The database and contexts the schema replay assumes (default: every changeset).
    pub filter: Filter,
}

impl ProjectSettings {
    /// Reads `[project]` (`roots`, `search-paths`, `properties`) from a configuration section.
    pub fn from_section(folder: &Path, section: Option<&serde_json::Value>) -> ProjectSettings {
        let Some(s) = section.and_then(|s| s.as_object()) else {
            return ProjectSettings::default();
        };
        let list = |key: &str| -> Vec<PathBuf> {
            s.get(key)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(|p| paths::absolute(&folder.join(p)))
                        .collect()
                })
                .unwrap_or_default()
        };
        let properties = s
            .get("properties")
            .and_then(|v| v.as_object())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                        (k.clone(), v)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let filter = Filter {
            dbms: s
                .get("dbms")
                .and_then(|v| v.as_str())
                .map(|d| d.trim().to_ascii_lowercase()),
            contexts: s.get("contexts").and_then(|v| v.as_array()).map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .map(str::to_string)
                    .collect()
            }),
        };
        ProjectSettings {
            roots: list("roots"),
            search_paths: list("search-paths"),
            properties,
            filter,
        }
    }
}

/// The files under `folder` (at most `depth` levels down), skipping [`SKIPPED_DIRS`].
fn project_files(folder: &Path, depth: usize) -> impl Iterator<Item = walkdir::DirEntry> {
    walkdir::WalkDir::new(folder)
        .follow_links(false)
        .max_depth(depth)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
}

/// Every changelog-looking file under `folder`, sorted.
pub fn changelog_files(folder: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = project_files(folder, usize::MAX)
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        })
        .map(|e| paths::absolute(e.path()))
        .collect();
    out.sort();
    out
}

/// The declared roots of a folder: `[project] roots`, else the `changelog-file` of each
/// `liquibase.properties`, else files with a conventional master name.
pub fn declared_roots(
    folder: &Path,
    settings: &ProjectSettings,
    files: &[PathBuf],
) -> Vec<RootSpec> {
    let params: Vec<PropDef> = settings
        .properties
        .iter()
        .map(|(k, v)| PropDef {
            name: k.clone(),
            value: v.clone(),
            at: None,
            conditional: false,
        })
        .collect();
    let spec = |root: PathBuf, search: Vec<PathBuf>, mut parameters: Vec<PropDef>| {
        let search_paths = if search.is_empty() {
            vec![discover::default_search_path(&root)]
        } else {
            search
        };
        parameters.extend(params.iter().cloned());
        RootSpec {
            root,
            search_paths,
            parameters,
            declared: true,
            filter: settings.filter.clone(),
        }
    };
    if !settings.roots.is_empty() {
        return settings
            .roots
            .iter()
            .map(|r| spec(r.clone(), settings.search_paths.clone(), Vec::new()))
            .collect();
    }
    let mut out = Vec::new();
    for props in property_files(folder) {
        let Some(lp) = discover::read_liquibase_properties(&props) else {
            continue;
        };
        let Some(cf) = lp.changelog_file.as_deref().and_then(paths::normalize) else {
            continue;
        };
        let dir = props.parent().unwrap_or(folder).to_path_buf();
        let mut search = lp.search_paths.clone();
        if search.is_empty() {
            search = settings.search_paths.clone();
        }
        if search.is_empty() {
            search = vec![dir.clone(), dir.join("src/main/resources")];
        }
        if let Some(root) = search
            .iter()
            .map(|sp| paths::under(sp, &cf))
            .find(|p| p.is_file())
        {
            out.push(spec(paths::absolute(&root), search, lp.parameters));
        }
    }
    if out.is_empty() {
        for f in files {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if CONVENTIONAL_ROOTS.contains(&name) {
                out.push(spec(f.clone(), settings.search_paths.clone(), Vec::new()));
            }
        }
    }
    out
}

fn property_files(folder: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = project_files(folder, 6)
        .filter(|e| e.file_name() == "liquibase.properties")
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

/// One resolved root: what it runs, and the schema its changes build.
pub struct RootIndex {
    pub spec: RootSpec,
    pub resolution: Arc<Resolution>,
    pub schema: Arc<Replay>,
    /// Include problems, duplicates and schema findings of this root (kept with the replay: a
    /// rebuild that reuses both reuses these too).
    pub diagnostics: Arc<Vec<ProjectDiagnostic>>,
}

impl RootIndex {
    /// The first step (index into the resolution's entries, which are the replay's steps) of `file`.
    pub fn first_step_of(&self, file: FileId) -> Option<usize> {
        self.resolution.entries.iter().position(|e| e.file == file)
    }

    /// The step a byte offset of `file` belongs to: the changeset containing it, else the next one
    /// in the file (the schema "at this point"), else just after the file's last changeset.
    pub fn step_at(&self, files: &Files, file: FileId, offset: usize) -> Option<usize> {
        let source = files.get(file)?;
        let mut last = None;
        for (i, e) in self.resolution.entries.iter().enumerate() {
            if e.file != file {
                continue;
            }
            let cs = source.changelog.changesets.get(e.index)?;
            if offset < cs.span.end {
                return Some(i);
            }
            last = Some(i + 1);
        }
        last
    }
}

/// Everything known about the project at one moment. Immutable; a change builds a new one.
#[derive(Default)]
pub struct Index {
    pub roots: Vec<RootIndex>,
    /// Cross-file diagnostics per file, deduplicated.
    pub diagnostics: HashMap<FileId, Vec<ProjectDiagnostic>>,
    /// Every property name defined anywhere (changelogs, parameters). Ordered, so that a
    /// did-you-mean between equally close names is the same on every run.
    pub defined_properties: BTreeSet<String>,
    /// Root indexes reaching each file.
    pub reached_by: HashMap<FileId, Vec<usize>>,
    /// The changelog files the index was built from.
    pub files: Vec<FileId>,
    /// Every resolution computed, by (root path, declared), for the next rebuild to reuse.
    cache: HashMap<(PathBuf, bool), Arc<Resolution>>,
    /// The replay of each root and its diagnostics, by the same key.
    schemas: HashMap<(PathBuf, bool), RootOutputs>,
}

impl Index {
    /// Builds the index over `all` (every changelog file of the workspace) with `declared` roots. Files
    /// no root reaches and no other file includes are roots of their own, so a folder of loose
    /// changelogs is still a project.
    pub fn build(files: &Files, declared: &[RootSpec], all: &[PathBuf]) -> Index {
        Index::rebuild(files, declared, all, None)
    }

    /// [`Index::build`], reusing the resolutions of `previous` that read none of the `changed`
    /// files: an edit re-resolves only the roots that include the edited file.
    pub fn rebuild(
        files: &Files,
        declared: &[RootSpec],
        all: &[PathBuf],
        previous: Option<(&Index, &HashSet<FileId>)>,
    ) -> Index {
        let mut cache: HashMap<(PathBuf, bool), Arc<Resolution>> = HashMap::new();
        let mut reused: HashSet<(PathBuf, bool)> = HashSet::new();
        let mut resolve_spec = |spec: &RootSpec| -> Arc<Resolution> {
            let key = (spec.root.clone(), spec.declared);
            let reusable = previous.and_then(|(prev, changed)| {
                let r = prev.cache.get(&key)?;
                let untouched = r.files.iter().all(|f| !changed.contains(f))
                    && r.root.is_some_and(|id| !changed.contains(&id));
                untouched.then(|| r.clone())
            });
            if reusable.is_some() {
                reused.insert(key.clone());
            }
            let r = reusable
                .unwrap_or_else(|| Arc::new(resolve::resolve(files, &spec.root, &options(spec))));
            cache.insert(key, r.clone());
            r
        };
        let mut resolved: Vec<(RootSpec, Arc<Resolution>)> = declared
            .iter()
            .map(|spec| (spec.clone(), resolve_spec(spec)))
            .collect();
        let reached: HashSet<FileId> = resolved
            .iter()
            .flat_map(|(_, r)| r.files.iter().copied())
            .collect();
        // Loose files: resolve each; those another loose file includes are not roots.
        let mut loose: Vec<(RootSpec, Arc<Resolution>)> = Vec::new();
        let mut included: HashSet<FileId> = HashSet::new();
        for path in all {
            let Some((id, file)) = files.load(path) else {
                continue;
            };
            if reached.contains(&id) || !file.is_changelog {
                continue;
            }
            let spec = RootSpec {
                root: path.clone(),
                search_paths: vec![discover::default_search_path(path)],
                parameters: declared
                    .first()
                    .map(|d| d.parameters.clone())
                    .unwrap_or_default(),
                declared: false,
                filter: declared
                    .first()
                    .map(|d| d.filter.clone())
                    .unwrap_or_default(),
            };
            let resolution = resolve_spec(&spec);
            included.extend(resolution.files.iter().copied().filter(|&f| f != id));
            loose.push((spec, resolution));
        }
        loose.retain(|(_, r)| r.root.is_some_and(|id| !included.contains(&id)));
        resolved.extend(loose);
        // The schema of each root, replayed again only when its resolution was.
        let roots: Vec<RootIndex> = resolved
            .into_iter()
            .map(|(spec, resolution)| {
                let key = (spec.root.clone(), spec.declared);
                let previous_schema = previous
                    .filter(|_| reused.contains(&key))
                    .and_then(|(prev, _)| prev.schemas.get(&key).cloned());
                let (schema, diagnostics) = previous_schema.unwrap_or_else(|| {
                    let schema = Arc::new(replay_root(files, &resolution, &spec.filter));
                    let diagnostics = Arc::new(root_diagnostics(files, &resolution, &schema));
                    (schema, diagnostics)
                });
                RootIndex {
                    spec,
                    resolution,
                    schema,
                    diagnostics,
                }
            })
            .collect();

        let mut index = Index::default();
        for (i, r) in roots.iter().enumerate() {
            for &f in &r.resolution.files {
                index.reached_by.entry(f).or_default().push(i);
            }
        }
        index.files = index.reached_by.keys().copied().collect();
        index.files.sort_unstable();
        for r in &roots {
            index
                .defined_properties
                .extend(r.spec.parameters.iter().map(|p| p.name.clone()));
            // Every `<property>` of every file the root reads, and its properties files.
            index
                .defined_properties
                .extend(r.resolution.defined.iter().cloned());
        }
        let mut diags: Vec<ProjectDiagnostic> = Vec::new();
        for r in &roots {
            diags.extend(r.diagnostics.iter().cloned());
        }
        for &f in &index.files {
            if let Some(file) = files.get(f) {
                diags.extend(undefined_properties(f, &file, &index.defined_properties));
            }
        }
        index.schemas = roots
            .iter()
            .map(|r| {
                let key = (r.spec.root.clone(), r.spec.declared);
                (key, (r.schema.clone(), r.diagnostics.clone()))
            })
            .collect();
        index.roots = roots;
        index.cache = cache;
        index.set_diagnostics(diags);
        index
    }

    fn set_diagnostics(&mut self, diags: Vec<ProjectDiagnostic>) {
        let mut seen = HashSet::new();
        for d in diags {
            let key = (
                d.file,
                d.diagnostic.span,
                d.diagnostic.code,
                d.diagnostic.message.clone(),
            );
            if seen.insert(key) {
                self.diagnostics.entry(d.file).or_default().push(d);
            }
        }
    }

    /// The first root reaching `file` and the file's resource path there.
    pub fn root_of(&self, file: FileId) -> Option<&RootIndex> {
        let i = *self.reached_by.get(&file)?.first()?;
        self.roots.get(i)
    }

    /// The value a property has in `file` (its scope in the first root reaching it).
    pub fn property(&self, file: FileId, name: &str) -> Option<&PropDef> {
        self.reached_by
            .get(&file)?
            .iter()
            .find_map(|&i| self.roots[i].resolution.scopes.get(&file)?.get(name))
    }

    /// The include under `offset` in `file`, with the files it brings in.
    pub fn include_at(&self, file: FileId, offset: usize) -> Option<(Span, Vec<FileId>)> {
        self.roots
            .iter()
            .flat_map(|r| r.resolution.edges.iter())
            .find(|e| e.from == file && (e.span.contains(offset) || e.span.end == offset))
            .map(|e| (e.span, e.targets.clone()))
    }

    /// Every changeset in execution order of every root, with its root index.
    pub fn entries(&self) -> impl Iterator<Item = (usize, &Entry)> {
        self.roots
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.resolution.entries.iter().map(move |e| (i, e)))
    }
}

type RootOutputs = (Arc<Replay>, Arc<Vec<ProjectDiagnostic>>);

/// What one root reports: include problems, duplicate identities, schema findings.
fn root_diagnostics(files: &Files, res: &Resolution, schema: &Replay) -> Vec<ProjectDiagnostic> {
    let mut out = res.problems.clone();
    out.extend(duplicates(&res.entries, files));
    out.extend(schema.findings().into_iter().map(|f| {
        let mut d = Diagnostic::error(f.code, f.span, f.message);
        d.severity = f.severity;
        ProjectDiagnostic {
            file: f.file,
            diagnostic: d,
            related: f.related,
        }
    }));
    out
}

/// Replays what a root runs, in order. Messages name files by their resource path.
pub fn replay_root(files: &Files, res: &Resolution, filter: &Filter) -> Replay {
    let loaded: HashMap<FileId, Arc<SourceFile>> = res
        .files
        .iter()
        .filter_map(|&f| files.get(f).map(|s| (f, s)))
        .collect();
    let steps: Vec<Step> = res
        .entries
        .iter()
        .filter_map(|e| {
            Some(Step {
                file: e.file,
                changeset: loaded.get(&e.file)?.changelog.changesets.get(e.index)?,
                include_contexts: &e.include_contexts,
            })
        })
        .collect();
    let max = res.files.iter().copied().max().unwrap_or(0);
    let mut names = vec![String::new(); max + 1];
    for (&f, resource) in &res.resources {
        names[f] = resource.clone();
    }
    schema::replay_with_paths(&steps, filter, &names)
}

fn options(spec: &RootSpec) -> resolve::Options {
    resolve::Options {
        search_paths: spec.search_paths.clone(),
        parameters: spec.parameters.clone(),
    }
}

/// Two changesets in different files with the same id, author and path: Liquibase refuses the
/// changelog ("changesets had duplicate identifiers"). Within one file the validator reports it.
fn duplicates(entries: &[Entry], files: &Files) -> Vec<ProjectDiagnostic> {
    let mut first: HashMap<(&str, &str, &str), &Entry> = HashMap::new();
    let mut out = Vec::new();
    for e in entries {
        let key = (e.path.as_str(), e.id.as_str(), e.author.as_str());
        match first.get(&key) {
            None => {
                first.insert(key, e);
            }
            Some(f) if f.file != e.file => {
                let (Some(a), Some(b)) = (files.get(f.file), files.get(e.file)) else {
                    continue;
                };
                let (Some(fa), Some(eb)) = (
                    a.changelog.changesets.get(f.index),
                    b.changelog.changesets.get(e.index),
                ) else {
                    continue;
                };
                let name = a
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push(ProjectDiagnostic {
                    file: e.file,
                    diagnostic: Diagnostic::error(
                        codes::DUPLICATE_CHANGESET,
                        eb.header,
                        format!(
                            "changeset '{}' by '{}' with path '{}' is also defined in {name}: \
                             Liquibase refuses duplicate identifiers; change the id",
                            e.id, e.author, e.path
                        ),
                    ),
                    related: vec![(f.file, fa.header, "the first definition".to_string())],
                });
            }
            Some(_) => {}
        }
    }
    out
}

/// `${name}` references that nothing defines.
fn undefined_properties(
    id: FileId,
    file: &SourceFile,
    defined: &BTreeSet<String>,
) -> Vec<ProjectDiagnostic> {
    file.property_refs()
        .iter()
        .filter(|(name, _)| !defined.contains(name) && !properties::is_builtin(name))
        .map(|(name, at)| {
            let mut d = Diagnostic::warning(
                codes::UNDEFINED_PROPERTY,
                *at,
                format!(
                    "property '{name}' is not defined by any changelog of the project or by \
                     liquibase.properties: Liquibase leaves '${{{name}}}' as written unless it is \
                     passed on the command line or set in the environment"
                ),
            );
            if let Some(h) = crate::suggest::closest(name, defined.iter().map(String::as_str)) {
                d.message.push_str(&format!(" (did you mean '{h}'?)"));
            }
            ProjectDiagnostic {
                file: id,
                diagnostic: d,
                related: Vec::new(),
            }
        })
        .collect()
}

/// The whole project as the language server keeps it.
pub struct Project {
    pub files: Arc<Files>,
    folders: Vec<PathBuf>,
    settings: Vec<ProjectSettings>,
    /// The changelog files found under the folders (kept current by the watcher).
    all: Vec<PathBuf>,
    declared: Vec<RootSpec>,
}

impl Project {
    pub fn new(files: Arc<Files>) -> Project {
        Project {
            files,
            folders: Vec::new(),
            settings: Vec::new(),
            all: Vec::new(),
            declared: Vec::new(),
        }
    }

    /// Sets the workspace folders and their settings, and scans them.
    pub fn set_folders(&mut self, folders: Vec<(PathBuf, ProjectSettings)>) {
        self.folders = folders.iter().map(|(f, _)| f.clone()).collect();
        self.settings = folders.into_iter().map(|(_, s)| s).collect();
        self.rescan();
    }

    /// Lists the folders' changelogs and roots again (a file was created or deleted).
    pub fn rescan(&mut self) {
        self.all.clear();
        self.declared.clear();
        for (folder, settings) in self.folders.iter().zip(&self.settings) {
            let files = changelog_files(folder);
            self.declared
                .extend(declared_roots(folder, settings, &files));
            self.all.extend(files);
        }
    }

    /// Whether `path` lies in one of the folders.
    pub fn contains(&self, path: &Path) -> bool {
        self.folders.iter().any(|f| path.starts_with(f))
    }

    pub fn folders(&self) -> &[PathBuf] {
        &self.folders
    }

    /// The number of changelog files found.
    pub fn file_count(&self) -> usize {
        self.all.len()
    }

    /// Builds the index from the current files. Paths of open documents outside the folders are
    /// included so that a lone open file still gets its cross-file checks.
    pub fn index(&self, extra: &[PathBuf]) -> Index {
        self.reindex(extra, None)
    }

    /// [`Project::index`] reusing what `previous` resolved without reading a `changed` file.
    pub fn reindex(
        &self,
        extra: &[PathBuf],
        previous: Option<(&Index, &HashSet<FileId>)>,
    ) -> Index {
        let mut all = self.all.clone();
        for p in extra {
            if !self.contains(p) {
                all.push(p.clone());
            }
        }
        Index::rebuild(&self.files, &self.declared, &all, previous)
    }
}
