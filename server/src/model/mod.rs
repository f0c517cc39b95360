//! The changelog model every later stage reads.
//!
//! All four syntaxes (XML, YAML, JSON, formatted SQL) are lowered into the same shape. The shape is
//! deliberately close to Liquibase's XML vocabulary: a change is an [`Element`] named like the XML tag
//! (`createTable`), whose attributes and child elements (`column`, `constraints`, `where`, ...) are kept
//! generically with byte spans. That lets one validator (against the catalog built from the XSD) and one
//! rule engine serve every format, while typed accessors give later stages the common facts directly.
//!
//! Spans are byte offsets into the document text the parser was given. Conversion to LSP positions
//! happens in one place only: [`crate::text::LineIndex`].

use std::sync::Arc;

use serde::Serialize;

pub mod access;

/// A half-open byte range `[start, end)` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Shifts the span by `delta` bytes (used when a reparsed region is spliced into a document).
    pub fn shifted(self, delta: isize) -> Span {
        Span::new(
            (self.start as isize + delta) as usize,
            (self.end as isize + delta) as usize,
        )
    }
}

/// A value together with where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// The syntax a changelog is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xml,
    Yaml,
    Json,
    Sql,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Sql => "sql",
        }
    }
}

/// One attribute (XML) or scalar key/value pair (YAML/JSON) or `key:value` pair (formatted SQL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attr {
    /// The attribute name as written (without namespace prefix; see `namespace`).
    pub name: Spanned<String>,
    /// The value, with entities/escapes resolved. Its span covers the value text only (inside quotes).
    pub value: Spanned<String>,
    /// `None` for Liquibase's own attributes; the namespace URI (or the prefix when it cannot be
    /// resolved) for foreign ones, which are valid extension attributes and never validated.
    pub namespace: Option<String>,
}

/// A generic element of the changelog tree: an XML element, or a YAML/JSON mapping lowered to the same
/// shape (`createTable: {tableName: x, columns: [...]}` becomes element `createTable` with attribute
/// `tableName` and `column` children).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Element {
    /// The local name (`createTable`, `column`, `constraints`, ...); its span is the tag name or key.
    pub name: Spanned<String>,
    /// `None` for the dbchangelog namespace (or no namespace); the namespace URI for extension elements,
    /// which are kept as unknown-but-valid.
    pub namespace: Option<String>,
    pub attrs: Vec<Attr>,
    /// Shared, so that the changeset and change views of the same subtree (`ChangeSet::element`,
    /// `Change::element`) cost a pointer, not a deep copy of the tree.
    pub children: Vec<Arc<Element>>,
    /// Text or CDATA content (trimmed of nothing: exactly as written, entities resolved), if any.
    pub text: Option<Spanned<String>>,
    /// The whole element, from `<` of the start tag to `>` of the end tag (or the whole YAML node).
    pub span: Span,
}

impl Default for Spanned<String> {
    fn default() -> Self {
        Spanned::new(String::new(), Span::default())
    }
}

/// A `<property>` definition (or YAML `property:`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Property {
    pub name: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    /// `file` attribute: properties loaded from a file.
    pub file: Option<Spanned<String>>,
    pub element: Element,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum IncludeKind {
    Include,
    IncludeAll,
}

/// An `include` or `includeAll`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Include {
    pub kind: IncludeKind,
    /// `file` for include, `path` for includeAll.
    pub path: Option<Spanned<String>>,
    pub relative_to_changelog_file: bool,
    pub element: Element,
}

/// A single change (`createTable`, `sql`, `addColumn`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The change type as Liquibase names it. For extension elements this is the local name.
    pub kind: Spanned<String>,
    /// All attributes, nested elements (columns, where, constraints, ...) and text.
    pub element: Element,
}

/// Where a changeset's rollback comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Rollback {
    /// Changes listed in the rollback block, in order.
    pub changes: Vec<Change>,
    /// Raw SQL written directly in the rollback (XML text, YAML string, formatted-SQL `--rollback`).
    pub sql: Option<Spanned<String>>,
    /// `<rollback changeSetId=".." changeSetAuthor=".." changeSetPath=".."/>`: roll back by running
    /// another changeset's changes again (Liquibase copies them into this rollback).
    pub changeset_ref: Option<ChangeSetRef>,
    /// The rollback block itself.
    pub span: Span,
    /// True when the rollback was written empty on purpose (`<rollback/>`, `--rollback empty`, ...).
    pub empty: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangeSetRef {
    pub id: Option<Spanned<String>>,
    pub author: Option<Spanned<String>>,
    pub path: Option<Spanned<String>>,
}

/// A changeset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangeSet {
    pub id: Option<Spanned<String>>,
    pub author: Option<Spanned<String>>,
    /// Every attribute as written, including `id` and `author` (dbms, context, contextFilter, labels,
    /// runAlways, runOnChange, failOnError, runInTransaction, logicalFilePath, created, ...). Typed
    /// accessors live in `access.rs`.
    pub attrs: Vec<Attr>,
    pub comment: Option<Spanned<String>>,
    pub changes: Vec<Change>,
    pub rollbacks: Vec<Rollback>,
    pub preconditions: Option<Element>,
    /// `validCheckSum` values.
    pub valid_checksums: Vec<Spanned<String>>,
    /// The whole changeset.
    pub span: Span,
    /// The part that introduces it: the `<changeSet ...>` start tag, the `- changeSet:` key, the
    /// `--changeset author:id` line. Diagnostics about the changeset as a whole point here.
    pub header: Span,
    /// The generic element the changeset was lowered from (attributes, every child in order).
    pub element: Element,
}

/// A parsed changelog file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangeLog {
    pub format: Format,
    pub logical_file_path: Option<Spanned<String>>,
    /// The XSD version the file declares (`4.20`, `3.8`, `latest`), from `xsi:schemaLocation`.
    pub xsd_version: Option<Spanned<String>>,
    pub properties: Vec<Property>,
    pub includes: Vec<Include>,
    pub preconditions: Option<Element>,
    pub changesets: Vec<ChangeSet>,
    /// The root element (`databaseChangeLog`) as parsed, with every child in document order. The
    /// validator walks this; later stages use the typed lists above.
    pub root: Option<Element>,
}

impl ChangeLog {
    pub fn empty(format: Format) -> Self {
        ChangeLog {
            format,
            logical_file_path: None,
            xsd_version: None,
            properties: Vec::new(),
            includes: Vec::new(),
            preconditions: None,
            changesets: Vec::new(),
            root: None,
        }
    }
}

/// How bad a diagnostic is. Same order and meaning as LSP's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// A problem found in a file, positioned by byte span. `code` is stable and documented (see
/// `crate::diagnostics::codes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub span: Span,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// Other places in the same file that explain this one (the first of two duplicates, ...).
    /// Editors show them as clickable related information.
    pub related: Vec<Related>,
    /// Mechanical fixes, offered as quick fixes and applied by `lqls check --fix`.
    pub fixes: Vec<Fix>,
    /// LSP diagnostic tags (unnecessary code is faded, deprecated code struck through).
    pub tags: Vec<Tag>,
}

/// How an editor may render a diagnostic besides its severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    Unnecessary,
    Deprecated,
}

/// A replacement of the text at `span` (empty span: an insertion).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// One mechanical fix: a title for the editor's menu and the edits that make it, all in this file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// Safe to apply without looking (`lqls check --fix`, `source.fixAll.lqls`): it cannot change
    /// what the migration does to a database that already ran it. Renames and rewrites that need a
    /// human decision are offered as quick fixes only.
    pub safe: bool,
}

impl Fix {
    pub fn new(title: impl Into<String>, edits: Vec<TextEdit>, safe: bool) -> Self {
        Fix {
            title: title.into(),
            edits,
            safe,
        }
    }

    /// A fix made of one edit.
    pub fn replace(
        title: impl Into<String>,
        span: Span,
        new_text: impl Into<String>,
        safe: bool,
    ) -> Self {
        Fix::new(
            title,
            vec![TextEdit {
                span,
                new_text: new_text.into(),
            }],
            safe,
        )
    }
}

/// A place in the same file that a diagnostic refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            severity: Severity::Error,
            code,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
            tags: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            severity: Severity::Warning,
            code,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// Adds a related place.
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }
}

/// What a parser returns: the model for everything it could read, and the syntax errors it met.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub changelog: ChangeLog,
    pub diagnostics: Vec<Diagnostic>,
}
