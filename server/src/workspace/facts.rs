//! What the project tells the rules about one file: which tables earlier changelogs create in the
//! current release. "Released" is what git says: a changeset present in the merge-base with the
//! default branch (else HEAD) has shipped; one that is not (a new file, a new changeset) has not.
//! Without git nothing is known to be unreleased, and the rules assume live tables, as before.

use std::collections::{HashMap, HashSet};

use super::files::{FileSource, Files};
use super::git::Git;
use super::project::Index;
use super::schema::{Target, TouchKind};
use super::{committed, FileId};
use crate::rules::ProjectFacts;

/// Tables (lower case) that changesets running before this file create and that are not released.
#[derive(Debug, Default)]
pub struct FileFacts {
    unreleased: HashSet<String>,
}

impl ProjectFacts for FileFacts {
    fn table_created_unreleased(&self, table: &str) -> bool {
        self.unreleased.contains(&table.to_ascii_lowercase())
    }
}

impl FileFacts {
    /// The facts for `file`; with no `git`, nothing is known to be unreleased.
    pub fn compute(index: &Index, files: &Files, file: FileId, git: Option<&Git>) -> FileFacts {
        let mut facts = FileFacts::default();
        let Some(git) = git else {
            return facts;
        };
        let Some(root) = index.root_of(file) else {
            return facts;
        };
        let Some(first) = root.first_step_of(file) else {
            return facts;
        };
        let entries = &root.resolution.entries;
        // Released identities per file, asked once each.
        let mut released: HashMap<FileId, Option<HashSet<(String, String)>>> = HashMap::new();
        for t in root.schema.touches() {
            if t.step >= first
                || t.kind != TouchKind::Create
                || !matches!(t.target, Target::Table(_))
            {
                continue;
            }
            let Some(e) = entries.get(t.step) else {
                continue;
            };
            if e.file == file {
                continue;
            }
            let Some(source) = files.get(e.file) else {
                continue;
            };
            let Some(cs) = source.changelog.changesets.get(e.index) else {
                continue;
            };
            let shipped = released
                .entry(e.file)
                .or_insert_with(|| committed::released(&source.path, git));
            let Some(shipped) = shipped else {
                continue; // no git: unknown, so treated as released
            };
            let identity = (cs.id_str().to_string(), cs.author_str().to_string());
            if !shipped.contains(&identity) {
                facts.unreleased.insert(t.name.to_ascii_lowercase());
            }
        }
        facts
    }
}
