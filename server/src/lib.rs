//! lqls: a language server and linter for Liquibase changelogs.
//!
//! Data flows top to bottom: `text` (documents, positions) → `syntax` (parsers) → `model` (the changelog
//! every later stage reads) → `catalog` (what Liquibase knows) → `validate` (structural diagnostics) →
//! `analysis` (one call that does all of it for a file) → `lsp` and `cli`. `complete` (completion) reads
//! the text around the cursor and the catalog, for `lsp`.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod complete;
pub mod diagnostics;
pub mod kb;
pub mod llm;
pub mod lsp;
pub mod model;
pub mod retrieve;
pub mod review;
pub mod rules;
pub mod suggest;
pub mod syntax;
pub mod text;
pub mod validate;
pub mod workspace;
