//! Completion: what may be typed at a byte offset of a changelog, for every syntax.
//!
//! The cursor context is read from the **text** around the offset, never from the parsed model: the
//! document being completed is half-typed by definition (`<createTable tableName="` is the normal
//! case), and the parsers drop exactly the part the user is writing. Each syntax has a small tolerant
//! scanner (`xml`, `yaml`, `json`, `sql`) that turns the text into a `Spot`; `items` (elements and
//! attributes), `values` and `directives` (formatted SQL) then ask the catalog what is valid there,
//! and `snippet` writes the insertions. Only facts that live elsewhere in the file (table and column
//! names, property names, the ids and authors of existing changesets) come from a parse, through
//! [`Names`] and `ids`.

mod cursor;
mod directives;
mod ids;
mod items;
mod json;
mod names;
mod snippet;
mod spot;
mod sql;
mod values;
mod xml;
mod yaml;

pub use ids::Clock;
pub use names::{FileNames, Names, NoNames};

use crate::model::{Format, Span};

/// What an item completes, for the editor's icon and for tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    ChangeType,
    Element,
    Attribute,
    Value,
    Table,
    Column,
    Property,
    Snippet,
}

/// One completion proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// A short note shown next to the label (the value kind, `required`, the property's value).
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The text that replaces `replace`; LSP snippet syntax when `snippet` is set.
    pub insert_text: String,
    pub snippet: bool,
    /// Orders the list (editors sort by it, then by label); required attributes sort first.
    pub sort_text: String,
    /// The partial word being replaced. Editors filter the list by the text in this span, so it
    /// must cover exactly what the user typed of the name, not the `<` or quote before it.
    pub replace: Span,
}

/// User and project preferences the proposals depend on. Filled by the caller (the LSP layer reads
/// them from `lqls.toml` and the environment), so that this module stays pure and testable.
#[derive(Clone, Debug, Default)]
pub struct Prefs {
    /// Author for new changesets (from `[completion] author`, else `git config user.name`).
    pub author: Option<String>,
    /// Author when neither `author` nor the file gives one (`$USER`).
    pub fallback_author: Option<String>,
    /// The configured `changeset-id-pattern` regular expression, if any.
    pub id_pattern: Option<String>,
    /// Now, for date-based and timestamp ids.
    pub now: Clock,
    /// The Liquibase version the file targets: elements and attributes newer than it are not proposed.
    pub version: Option<crate::catalog::Version>,
}

/// The proposals at byte `offset` of `text`. Never panics: an offset past the end or inside a
/// multi-byte character is moved back to a character boundary.
pub fn complete(
    text: &str,
    format: Format,
    offset: usize,
    names: &dyn Names,
    prefs: &Prefs,
) -> Vec<Item> {
    let offset = cursor::clamp(text, offset);
    if let Some(items) = values::properties(text, offset, names) {
        return items;
    }
    let spot = match format {
        Format::Xml => xml::spot(text, offset),
        Format::Yaml => yaml::spot(text, offset),
        Format::Json => json::spot(text, offset),
        Format::Sql => sql::spot(text, offset),
    };
    let cx = items::Cx {
        text,
        format,
        offset,
        names,
        prefs,
    };
    items::for_spot(&cx, &spot)
}

#[cfg(test)]
mod tests;
