//! Error-tolerant parsers from text to the changelog model, one per syntax.
//!
//! Every parser keeps what it could read: a half-typed document yields every complete changeset before
//! the damage, and the damage becomes a diagnostic at its exact position. None of them panics, recurses
//! without bound, expands entities or aliases without bound, or reads another file.

pub mod lower;
pub mod sql;
pub mod xml;
pub mod yaml;

use std::path::Path;

use crate::model::{Format, Parsed};

/// Deepest element nesting the parsers lower into the model. Deeper content is skipped with a
/// diagnostic: no changelog needs it, and it keeps memory and every later tree walk bounded.
pub const MAX_DEPTH: usize = 128;

/// Picks the syntax from the file name, falling back to the content for unknown extensions.
pub fn detect_format(path: Option<&Path>, text: &str) -> Format {
    let ext = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xml") => Format::Xml,
        Some("yaml" | "yml") => Format::Yaml,
        Some("json") => Format::Json,
        Some("sql") => Format::Sql,
        _ => sniff(text),
    }
}

fn sniff(text: &str) -> Format {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        Format::Xml
    } else if head.starts_with('{') || head.starts_with('[') {
        Format::Json
    } else if head
        .get(..64)
        .unwrap_or(head)
        .to_ascii_lowercase()
        .contains("liquibase formatted sql")
        || head.starts_with("--")
    {
        Format::Sql
    } else {
        Format::Yaml
    }
}

/// Parses `text` as `format`.
pub fn parse(text: &str, format: Format) -> Parsed {
    match format {
        Format::Xml => xml::parse(text),
        Format::Yaml | Format::Json => yaml::parse(text, format),
        Format::Sql => sql::parse(text),
    }
}

/// Whether a file looks like a Liquibase changelog at all (used when a folder is searched): the same
/// test Liquibase's users rely on, a `databaseChangeLog` root or the formatted-SQL header.
pub fn is_changelog(path: &Path, head: &str) -> bool {
    match detect_format(Some(path), head) {
        Format::Sql => head
            .to_ascii_lowercase()
            .contains("liquibase formatted sql"),
        _ => head.contains("databaseChangeLog"),
    }
}
