//! The project part of `lqls check`: folders given on the command line are projects (their roots
//! found as the language server finds them), files given alone are roots of their own; the
//! cross-file diagnostics are added to each file's list.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Diagnostic;
use crate::rules::config::FILE_NAME;
use crate::rules::config_files::ConfigFiles;
use crate::workspace::files::Files;
use crate::workspace::paths;
use crate::workspace::project::{Project, ProjectSettings};

/// Cross-file diagnostics per (absolute) file path.
pub fn diagnostics(args: &[PathBuf], configs: &ConfigFiles) -> HashMap<PathBuf, Vec<Diagnostic>> {
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
    let mut out: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
    for (id, list) in &index.diagnostics {
        let Some(path) = files.path(*id) else {
            continue;
        };
        out.entry(path)
            .or_default()
            .extend(list.iter().map(|d| d.diagnostic.clone()));
    }
    out
}

/// The key `diagnostics` uses for a path as the user gave it.
pub fn key(path: &Path) -> PathBuf {
    paths::absolute(path)
}
