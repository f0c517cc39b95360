//! The generic element tree of a `databaseChangeLog` → the typed changelog model.
//!
//! Shared by every syntax whose parser first builds the XML-shaped element tree, so that what counts as
//! a change, a rollback or an include is decided in one place.

use crate::diagnostics::codes;
use crate::model::access::parse_bool;
use crate::model::{
    Change, ChangeLog, ChangeSet, ChangeSetRef, Diagnostic, Element, Format, Include, IncludeKind,
    Property, Rollback, Span, Spanned,
};

/// Children of a changeset that are not changes.
const NOT_CHANGES: &[&str] = &[
    "comment",
    "validCheckSum",
    "preConditions",
    "rollback",
    "modifySql",
];

/// Builds the model from the root element. `header` gives the span that introduces a changeset (its
/// start tag, its key). A missing or foreign root is reported and yields an empty changelog.
pub fn changelog(
    format: Format,
    root: Option<Element>,
    header: &dyn Fn(&Element) -> Span,
    diags: &mut Vec<Diagnostic>,
) -> ChangeLog {
    let mut log = ChangeLog::empty(format);
    let Some(root) = root else {
        if !diags.iter().any(|d| d.code == codes::SYNTAX) {
            diags.push(Diagnostic::error(
                codes::NOT_A_CHANGELOG,
                Span::new(0, 0),
                "this file has no `databaseChangeLog` root: it is not a Liquibase changelog",
            ));
        }
        return log;
    };
    if root.name.value != "databaseChangeLog" || root.namespace.is_some() {
        diags.push(Diagnostic::error(
            codes::NOT_A_CHANGELOG,
            root.name.span,
            format!(
                "the root must be `databaseChangeLog` in namespace \
                 http://www.liquibase.org/xml/ns/dbchangelog, not `{}`",
                root.name.value
            ),
        ));
        return log;
    }
    log.logical_file_path = root.attr("logicalFilePath").map(|a| a.value.clone());
    for child in root.children.iter().filter(|c| c.namespace.is_none()) {
        match child.name.value.as_str() {
            "changeSet" => log.changesets.push(changeset(child, header(child))),
            "include" => log
                .includes
                .push(include(child, IncludeKind::Include, "file")),
            "includeAll" => log
                .includes
                .push(include(child, IncludeKind::IncludeAll, "path")),
            "property" => log.properties.push(Property {
                name: child.attr("name").map(|a| a.value.clone()),
                value: child.attr("value").map(|a| a.value.clone()),
                file: child.attr("file").map(|a| a.value.clone()),
                element: (**child).clone(),
            }),
            "preConditions" => log.preconditions = Some((**child).clone()),
            // `modifyChangeSets` wraps includes to give their changesets defaults (endDelimiter,
            // runWith, ...): the includes inside still run in place.
            "modifyChangeSets" => {
                for inner in child.children.iter().filter(|c| c.namespace.is_none()) {
                    match inner.name.value.as_str() {
                        "include" => {
                            log.includes
                                .push(include(inner, IncludeKind::Include, "file"))
                        }
                        "includeAll" => {
                            log.includes
                                .push(include(inner, IncludeKind::IncludeAll, "path"))
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    log.root = Some(root);
    log
}

/// Text of a child element, or (YAML/JSON) a scalar attribute of the same name.
fn text_or_attr(el: &Element, name: &str) -> Option<Spanned<String>> {
    el.child(name)
        .and_then(|c| c.text.clone())
        .or_else(|| el.attr(name).map(|a| a.value.clone()))
}

fn changeset(el: &Element, header: Span) -> ChangeSet {
    let mut cs = ChangeSet {
        id: el.attr("id").map(|a| a.value.clone()),
        author: el.attr("author").map(|a| a.value.clone()),
        attrs: el.attrs.clone(),
        comment: text_or_attr(el, "comment"),
        changes: Vec::new(),
        rollbacks: Vec::new(),
        preconditions: el.child("preConditions").cloned(),
        valid_checksums: Vec::new(),
        span: el.span,
        header,
        element: el.clone(),
    };
    if let Some(a) = el.attr("validCheckSum") {
        cs.valid_checksums.push(trimmed(&a.value));
    }
    for child in &el.children {
        let name = child.name.value.as_str();
        if child.namespace.is_some() || !NOT_CHANGES.contains(&name) {
            cs.changes.push(change(child));
            continue;
        }
        match name {
            "validCheckSum" => {
                if let Some(t) = &child.text {
                    cs.valid_checksums.push(trimmed(t));
                }
            }
            "rollback" => cs.rollbacks.push(rollback(child)),
            _ => {}
        }
    }
    cs
}

fn change(el: &Element) -> Change {
    Change {
        kind: el.name.clone(),
        element: el.clone(),
    }
}

fn rollback(el: &Element) -> Rollback {
    let changes: Vec<Change> = el
        .children
        .iter()
        .filter(|c| c.namespace.is_some() || c.name.value != "comment")
        .map(|c| change(c))
        .collect();
    let sql = el
        .text
        .clone()
        .filter(|t| !t.value.trim().is_empty())
        .or_else(|| el.attr("sql").map(|a| a.value.clone()));
    let changeset_ref = (el.attr("changeSetId").is_some() || el.attr("changeSetAuthor").is_some())
        .then(|| ChangeSetRef {
            id: el.attr("changeSetId").map(|a| a.value.clone()),
            author: el.attr("changeSetAuthor").map(|a| a.value.clone()),
            path: el.attr("changeSetPath").map(|a| a.value.clone()),
        });
    Rollback {
        empty: changes.is_empty() && sql.is_none() && changeset_ref.is_none(),
        changes,
        sql,
        changeset_ref,
        span: el.span,
    }
}

fn include(el: &Element, kind: IncludeKind, path_attr: &str) -> Include {
    Include {
        kind,
        path: el.attr(path_attr).map(|a| a.value.clone()),
        relative_to_changelog_file: el
            .attr_value("relativeToChangelogFile")
            .and_then(parse_bool)
            .unwrap_or(false),
        element: el.clone(),
    }
}

/// The value without surrounding whitespace, with the span narrowed to match.
fn trimmed(s: &Spanned<String>) -> Spanned<String> {
    let lead = s.value.len() - s.value.trim_start().len();
    let t = s.value.trim();
    // Spans of unescaped text may not map byte for byte; only narrow when they do.
    if s.span.len() == s.value.len() {
        let start = s.span.start + lead;
        Spanned::new(t.to_string(), Span::new(start, start + t.len()))
    } else {
        Spanned::new(t.to_string(), s.span)
    }
}
