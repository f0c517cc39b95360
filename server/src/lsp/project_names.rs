//! Completion's names from the project: tables and columns as the replayed schema has them at the
//! cursor (created by earlier files too), and every property the file can see, falling back to what
//! the file alone defines before the project is indexed.

use std::sync::Arc;

use crate::complete::{FileNames, Names};
use crate::workspace::files::Files;
use crate::workspace::project::Index;
use crate::workspace::FileId;

pub struct ProjectNames {
    pub index: Arc<Index>,
    pub files: Arc<Files>,
    pub file: FileId,
}

/// The project's names, then the file's own (a table created above the cursor in an unsaved edit
/// the index has not seen yet still completes).
pub struct Combined<'a> {
    pub project: Option<&'a ProjectNames>,
    pub local: FileNames,
}

fn merge(mut a: Vec<String>, b: Vec<String>) -> Vec<String> {
    for x in b {
        if !a.iter().any(|y| y.eq_ignore_ascii_case(&x)) {
            a.push(x);
        }
    }
    a
}

impl ProjectNames {
    fn step(&self, offset: usize) -> Option<(&crate::workspace::project::RootIndex, usize)> {
        let root = self.index.root_of(self.file)?;
        Some((root, root.step_at(&self.files, self.file, offset)?))
    }
}

impl Names for Combined<'_> {
    fn tables(&self, offset: usize) -> Vec<String> {
        let project = self
            .project
            .and_then(|p| p.step(offset))
            .map(|(root, step)| root.schema.tables_at(step))
            .unwrap_or_default();
        merge(project, self.local.tables(offset))
    }

    fn columns(&self, offset: usize, table: &str) -> Vec<String> {
        let project = self
            .project
            .and_then(|p| p.step(offset))
            .map(|(root, step)| root.schema.columns_at(step, table))
            .unwrap_or_default();
        merge(project, self.local.columns(offset, table))
    }

    fn properties(&self) -> Vec<(String, Option<String>)> {
        let mut out = self.local.properties();
        let Some(p) = self.project else {
            return out;
        };
        let Some(root) = p.index.root_of(p.file) else {
            return out;
        };
        if let Some(scope) = root.resolution.scopes.get(&p.file) {
            for def in scope.visible() {
                if !out.iter().any(|(n, _)| *n == def.name) {
                    out.push((def.name.clone(), Some(def.value.clone())));
                }
            }
        }
        for name in &p.index.defined_properties {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.clone(), None));
            }
        }
        out
    }
}
