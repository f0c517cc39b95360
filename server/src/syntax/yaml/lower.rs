//! Lowers the YAML node tree into the XML-shaped element tree; `crate::syntax::lower` then builds the
//! changelog model from it, exactly as for XML.
//!
//! Rules (the same for JSON):
//! - a scalar value becomes an attribute (name span = key, value span = the text inside any quotes),
//!   its value what Liquibase reads ([`resolve`]: `id: 1.10` is `1.1`);
//! - a mapping value becomes a child element named by its key;
//! - `changes:`, `columns:` (and the other [`WRAPPERS`]) lists are wrappers: their items become direct
//!   children of the parent, as changes are direct children of `<changeSet>` in XML (so is
//!   `column: [{column: ..}]`, which Liquibase reads the same way);
//! - any other list (`preConditions`, `and`, `rollback`, `whereParams`, ...) becomes one element named
//!   by its key, whose items' scalar entries are attributes and other entries children;
//! - `comment` becomes a child element `comment` with text (as `<comment>` in XML), and a change written
//!   as a plain string (`- sql: select 1`) an element whose text is that string.

use std::sync::Arc;

use saphyr_parser::ScalarStyle;

use super::resolve;
use super::tree::{Kind, Node, Scalar};
use crate::diagnostics::codes;
use crate::model::{Attr, ChangeLog, Diagnostic, Element, Format, Span, Spanned};

/// The entries Liquibase sees: SnakeYAML keeps only the last of duplicate keys. Mappings are usually
/// small, and looking ahead for a later duplicate is cheaper than hashing every key; a large one
/// (generated or hostile) gets an index so it never costs quadratic time.
fn live(entries: &[(Node, Node)]) -> impl Iterator<Item = &(Node, Node)> {
    let last: Option<std::collections::HashMap<&str, usize>> = (entries.len() > 32).then(|| {
        let keyed = entries.iter().enumerate();
        keyed
            .filter_map(|(i, (k, _))| Some((k.text()?, i)))
            .collect()
    });
    entries.iter().enumerate().filter_map(move |(i, e)| {
        let shadowed = e.0.text().is_some_and(|key| match &last {
            Some(last) => last.get(key) != Some(&i),
            None => entries[i + 1..].iter().any(|(k, _)| k.text() == Some(key)),
        });
        (!shadowed).then_some(e)
    })
}

/// Keys whose list items are lifted into the parent element (`args` holds executeCommand's `arg`s).
/// They never reach the element tree, so nothing after the parser needs to know about them.
const WRAPPERS: &[&str] = &[
    "args",
    "changes",
    "columns",
    "nestedPreconditions",
    "params",
];
/// `validCheckSum: x`, `validCheckSum: [x, y]` and the plural `validCheckSums: [...]` Liquibase accepts.
const CHECKSUM_KEYS: &[&str] = &["validCheckSum", "validCheckSums"];
/// Items of `databaseChangeLog` that are elements even when written empty (`- changeSet:`).
const STRUCTURAL: &[&str] = &[
    "changeSet",
    "include",
    "includeAll",
    "property",
    "preConditions",
];
const REF_KEYS: &[&str] = &["changeSetId", "changeSetAuthor", "changeSetPath"];

pub fn lower(root: Option<&Node>, format: Format, diags: &mut Vec<Diagnostic>) -> ChangeLog {
    let Some(body) = root.and_then(|r| find_root(r)) else {
        let at = root.map_or(0, |r| r.span.start);
        let end = root.map_or(at, |r| r.span.end.min(at + 1).max(at));
        diags.push(Diagnostic::error(
            codes::NOT_A_CHANGELOG,
            Span::new(at, end),
            "not a Liquibase changelog: the document must be a mapping with a `databaseChangeLog` key",
        ));
        return ChangeLog::empty(format);
    };
    let (key, value) = body;
    let mut root_el = element(key, value.span);
    match &value.kind {
        Kind::Seq(items) => {
            for item in items {
                match &item.kind {
                    Kind::Map(entries) => {
                        let single = entries.len() == 1;
                        for (k, v) in live(entries) {
                            let span = if single {
                                item.span
                            } else {
                                k.span.cover(v.span)
                            };
                            root_item(&mut root_el, k, v, span);
                        }
                    }
                    Kind::Scalar(_) | Kind::Seq(_) | Kind::Skipped => {}
                }
            }
        }
        Kind::Map(entries) => {
            for (k, v) in live(entries) {
                let span = k.span.cover(v.span);
                root_item(&mut root_el, k, v, span);
            }
        }
        _ => {}
    }
    root_el.span = key.span.cover(value.span);
    // The tree now has the XML shape, so what is a changeset, a change or a rollback is decided by the
    // same lowering as for XML. A changeset is introduced by its `changeSet` key.
    crate::syntax::lower::changelog(format, Some(root_el), &|el| el.name.span, diags)
}

/// The `databaseChangeLog` entry of the root mapping.
fn find_root(root: &Node) -> Option<(&Node, &Node)> {
    match &root.kind {
        // SnakeYAML keeps the last of duplicate keys, so Liquibase reads the last databaseChangeLog
        Kind::Map(entries) => entries
            .iter()
            .rev()
            .find(|(k, _)| k.text() == Some("databaseChangeLog"))
            .map(|(k, v)| (k, v)),
        _ => None,
    }
}

/// One `- key: value` item of `databaseChangeLog`.
fn root_item(root: &mut Element, key: &Node, value: &Node, span: Span) {
    let Some(name) = key.text() else { return };
    let structural = STRUCTURAL.contains(&name);
    if let Some(s) = value.as_scalar() {
        if !structural && name != "comment" {
            // `- logicalFilePath: x` and friends are attributes of the root, as in XML
            root.attrs.push(attr(key, s));
            return;
        }
    }
    // a `- changeSet:` still being typed is an (empty) changeset already
    let mut el = generic(key, value, name == "comment");
    el.span = span;
    root.children.push(Arc::new(el));
}

/// The element of a rollback block: every key is a change except the changeset reference keys.
fn rollback_element(key: &Node, value: &Node) -> Element {
    let mut el = element(key, key.span.cover(value.span));
    match &value.kind {
        Kind::Scalar(s) => el.text = text(s),
        Kind::Map(entries) => change_entries(&mut el, entries, true),
        Kind::Seq(items) => {
            for item in items {
                match &item.kind {
                    Kind::Map(entries) => change_entries(&mut el, entries, true),
                    // a string item is raw SQL, as `rollback: "..."` is
                    Kind::Scalar(s) if el.text.is_none() => el.text = text(s),
                    _ => {}
                }
            }
        }
        Kind::Skipped => {}
    }
    el
}

/// Entries that are each a change (or a column): every key becomes a child element.
fn change_entries(parent: &mut Element, entries: &[(Node, Node)], refs_are_attrs: bool) {
    for (k, v) in live(entries) {
        let Some(name) = k.text() else { continue };
        match v.as_scalar() {
            Some(s) if refs_are_attrs && REF_KEYS.contains(&name) => parent.attrs.push(attr(k, s)),
            _ => parent.children.push(Arc::new(generic(k, v, true))),
        }
    }
}

/// The element named `key` for `value`. `as_text`: a scalar value is the element's text (a change or
/// column written as a string) rather than an empty element.
fn generic(key: &Node, value: &Node, as_text: bool) -> Element {
    let mut el = element(key, key.span.cover(value.span));
    match &value.kind {
        Kind::Scalar(s) => {
            if as_text {
                el.text = text(s);
            }
        }
        Kind::Map(entries) => {
            for (k, v) in live(entries) {
                entry(&mut el, k, v);
            }
        }
        Kind::Seq(items) => list_items(&mut el, items),
        Kind::Skipped => {}
    }
    el
}

/// One `key: value` entry inside an element.
fn entry(el: &mut Element, key: &Node, value: &Node) {
    let Some(name) = key.text() else { return };
    if CHECKSUM_KEYS.contains(&name) {
        // `<validCheckSum>` elements in XML, one per value
        for s in scalars(value) {
            let mut c = element(key, s.span);
            c.name.value = "validCheckSum".into();
            c.text = Some(s);
            el.children.push(Arc::new(c));
        }
        return;
    }
    if name == "rollback" {
        el.children.push(Arc::new(rollback_element(key, value)));
        return;
    }
    match &value.kind {
        Kind::Scalar(s) if name == "comment" => {
            let mut c = element(key, key.span.cover(value.span));
            c.text = Some(Spanned::new(s.value.clone(), s.inner));
            el.children.push(Arc::new(c));
        }
        // a wrapper with nothing under it yet (`changes:` while typing) holds no items
        Kind::Scalar(_) if WRAPPERS.contains(&name) => {}
        Kind::Scalar(s) => el.attrs.push(attr(key, s)),
        Kind::Seq(items) if WRAPPERS.contains(&name) || lists_itself(name, items) => {
            for item in items {
                if let Kind::Map(entries) = &item.kind {
                    change_entries(el, entries, false);
                } else if let Some(s) = item.as_scalar() {
                    // `- empty` / `- stop` written as a bare word
                    if !s.value.is_empty() {
                        let mut c = element(item, item.span);
                        c.name = Spanned::new(s.value.clone(), s.inner);
                        el.children.push(Arc::new(c));
                    }
                }
            }
        }
        Kind::Seq(items) if !items.is_empty() && items_are_scalars(items) => {
            // `dbms: [h2, postgresql]`: one attribute, as the comma-separated list XML would have
            let values = scalars(value);
            let span = match (values.first(), values.last()) {
                (Some(a), Some(b)) => a.span.cover(b.span),
                _ => value.span,
            };
            let joined: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
            el.attrs.push(Attr {
                name: key_name(key),
                value: Spanned::new(joined.join(","), span),
                namespace: None,
            });
        }
        // `changes: {createTable: ...}` (a mapping instead of a list) is still a wrapper
        Kind::Map(entries) if WRAPPERS.contains(&name) => change_entries(el, entries, false),
        Kind::Map(_) | Kind::Seq(_) => el.children.push(Arc::new(generic(key, value, false))),
        Kind::Skipped => {}
    }
}

/// Items of a list that is an element of its own (`preConditions: [...]`, `and: [...]`).
fn list_items(el: &mut Element, items: &[Node]) {
    for item in items {
        if let Kind::Map(entries) = &item.kind {
            for (k, v) in live(entries) {
                entry(el, k, v);
            }
        }
    }
}

/// `column: [{column: ...}, ...]`: a list whose items are all named like its key. Liquibase reads it
/// like `columns:`, so it is lifted like a wrapper.
fn lists_itself(name: &str, items: &[Node]) -> bool {
    !items.is_empty()
        && items.iter().all(|i| match &i.kind {
            Kind::Map(entries) => entries.iter().all(|(k, _)| k.text() == Some(name)),
            _ => false,
        })
}

fn items_are_scalars(items: &[Node]) -> bool {
    items.iter().all(|i| i.as_scalar().is_some())
}

/// The scalar values of a scalar or a list of scalars (`validCheckSum: x` or `validCheckSum: [x, y]`).
fn scalars(value: &Node) -> Vec<Spanned<String>> {
    match &value.kind {
        Kind::Scalar(s) => text(s).into_iter().collect(),
        Kind::Seq(items) => items
            .iter()
            .filter_map(|i| i.as_scalar().and_then(text))
            .collect(),
        _ => Vec::new(),
    }
}

fn text(s: &Scalar) -> Option<Spanned<String>> {
    (!s.value.is_empty()).then(|| Spanned::new(s.value.clone(), s.inner))
}

fn attr(key: &Node, value: &Scalar) -> Attr {
    let text = match value.style {
        ScalarStyle::Plain if !value.tagged => {
            resolve::plain(&value.value).unwrap_or_else(|| value.value.clone())
        }
        _ => value.value.clone(),
    };
    Attr {
        name: key_name(key),
        value: Spanned::new(text, value.inner),
        namespace: None,
    }
}

fn key_name(key: &Node) -> Spanned<String> {
    match key.as_scalar() {
        Some(s) => Spanned::new(s.value.clone(), s.inner),
        None => Spanned::new(String::new(), key.span),
    }
}

fn element(key: &Node, span: Span) -> Element {
    Element {
        name: key_name(key),
        namespace: None,
        attrs: Vec::new(),
        children: Vec::new(),
        text: None,
        span,
    }
}
