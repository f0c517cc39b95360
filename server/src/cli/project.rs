//! The project part of `lqls check`: folders given on the command line are projects (their roots
//! found as the language server finds them), files given alone are roots of their own. The rules get
//! the project's facts, and the cross-file diagnostics are added to each file's list.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Diagnostic;
use crate::rules::config::FILE_NAME;
use crate::rules::config_files::ConfigFiles;
use crate::workspace::facts::FileFacts;
use crate::workspace::files::Files;
use crate::workspace::git::Git;
use crate::workspace::paths;
use crate::workspace::project::Index;
use crate::workspace::project::{Project, ProjectSettings};

/// The projects the command line's paths form, indexed.
pub struct Built {
    files: Arc<Files>,
    index: Index,
}

impl Built {
    /// What the project knows about `path` for the rules (tables new in this release).
    pub fn facts(&self, path: &Path, git: Option<&Git>) -> FileFacts {
        let id = self.files.id(&key(path));
        FileFacts::compute(&self.index, &self.files, id, git)
    }

    /// Cross-file diagnostics per (absolute) file path.
    pub fn diagnostics(&self) -> HashMap<PathBuf, Vec<Diagnostic>> {
        let mut out: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        for (id, list) in &self.index.diagnostics {
            let Some(path) = self.files.path(*id) else {
                continue;
            };
            out.entry(path)
                .or_default()
                .extend(list.iter().map(|d| d.diagnostic.clone()));
        }
        out
    }
}

/// Indexes the projects of `args`: folders are projects, files alone are roots.
pub fn build(args: &[PathBuf], configs: &ConfigFiles) -> Built {
    let files = Arc::new(Files::new());
    let mut project = Project::new(files.clone());
    let mut folders = Vec::new();
    let mut loose = Vec::new();
    for a in args {
        let abs = paths::absolute(a);
        if abs.is_dir() {
            let config = configs.resolve(Some(&abs.join(FILE_NAME))).config;
            let settings =
                ProjectSettings::from_section(&abs, config.settings.sections.get("project"));
            folders.push((abs, settings));
        } else {
            loose.push(abs);
        }
    }
    project.set_folders(folders);
    let index = project.index(&loose);
    Built { files, index }
}

/// The key `diagnostics` uses for a path as the user gave it.
pub fn key(path: &Path) -> PathBuf {
    paths::absolute(path)
}
