//! The project around a changelog: which files a root changelog runs and in what order (the include
//! graph), what the changes build when replayed in that order (the schema), what is already committed
//! to git, and the diagnostics that need more than one file.
//!
//! Everything here reads the per-file models that `analysis` produces; nothing re-parses text.

pub mod schema;

/// A file of the project: an index into the project's file table.
pub type FileId = usize;

/// One changeset in execution order, as the include graph resolved it: the input of the schema replay.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    /// The file the changeset lives in.
    pub file: FileId,
    pub changeset: &'a crate::model::ChangeSet,
    /// Contexts an enclosing `include`/`includeAll` adds (`context="test"`): the changeset runs only
    /// when both its own and these match. Empty when no include restricts it.
    pub include_contexts: &'a [String],
}

pub mod committed;
pub mod discover;
pub mod facts;
pub mod files;
pub mod git;
pub mod paths;
pub mod project;
pub mod properties;
pub mod resolve;

#[cfg(test)]
mod committed_tests;
#[cfg(test)]
mod tests;
