//! Walks the element tree against the catalog and flags elements not allowed where they stand.
use std::sync::Arc;

use super::{attributes, required, values, Context};
use crate::catalog::{self, Any, ChildDef, ElementDef};
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Element};
use crate::suggest;
use crate::syntax::MAX_DEPTH;

/// Checks `databaseChangeLog` and everything below it. Another root is the parser's business
/// (`NOT_A_CHANGELOG`).
pub fn check_root(ctx: &Context, root: &Element, out: &mut Vec<Diagnostic>) {
    if root.namespace.is_some() || root.name.value != "databaseChangeLog" {
        return;
    }
    check_element(ctx, root, catalog::root(), 0, out);
}

fn check_element(
    ctx: &Context,
    el: &Element,
    def: &'static ElementDef,
    depth: usize,
    out: &mut Vec<Diagnostic>,
) {
    attributes::check(ctx, el, def, out);
    values::check(ctx, el, def, out);
    required::check(ctx, el, def, out);
    // The parser reports nesting beyond MAX_DEPTH; the walk just stops there (no unbounded recursion).
    if depth >= MAX_DEPTH {
        return;
    }
    check_children(ctx, &el.children, def, depth, out);
}

fn check_children(
    ctx: &Context,
    children: &[Arc<Element>],
    def: &'static ElementDef,
    depth: usize,
    out: &mut Vec<Diagnostic>,
) {
    for child in children {
        if child.namespace.is_some() {
            continue; // extension elements are valid by definition
        }
        let name = child.name.value.as_str();
        // YAML/JSON modifySql has its own shape (filters inside each replace/append item, keys such
        // as `append value`) that Liquibase reads leniently; it is not the XSD's.
        if !ctx.is_xml() && name == "modifySql" {
            continue;
        }
        match def.child_entry(name) {
            Some(entry) => {
                if too_new(ctx, child, entry, out) {
                    continue;
                }
                let child_def = catalog::def(entry.def);
                if child_def.any_children == Any::Anything && child_def.attrs.is_empty() {
                    continue; // untyped element (xsd:anyType): anything goes inside
                }
                check_element(ctx, child, child_def, depth + 1, out);
            }
            None if def.any_children == Any::Anything => {}
            None => out.push(unknown(ctx, child, def)),
        }
    }
}

/// Flags a child that exists only in a newer Liquibase than targeted; true when flagged.
fn too_new(ctx: &Context, child: &Element, entry: &ChildDef, out: &mut Vec<Diagnostic>) -> bool {
    let Some(target) = ctx.target else {
        return false;
    };
    if entry.since <= target {
        return false;
    }
    out.push(ctx.diag(
        ctx.is_xml(),
        codes::NEWER_THAN_TARGET,
        child.name.span,
        format!(
            "`{}` needs Liquibase {} or later; {}: upgrade Liquibase or remove it",
            child.name.value,
            entry.since,
            target_phrase(ctx)
        ),
    ));
    true
}

pub fn target_phrase(ctx: &Context) -> String {
    match ctx.target {
        Some(v) if ctx.target_from_file => format!("this file targets {v}"),
        Some(v) => format!("the project uses Liquibase {v}"),
        None => "no target".to_string(),
    }
}

fn unknown(ctx: &Context, child: &Element, parent: &ElementDef) -> Diagnostic {
    let name = &child.name.value;
    let mut candidates: Vec<&str> = parent.children.iter().map(|c| c.name).collect();
    // In a changeSet or rollback, a misspelt change type should be matched against every change type.
    if parent.child("createTable").is_some() {
        candidates.extend(catalog::change_types().iter().copied());
    }
    // YAML/JSON write lists of changes and columns under wrapper keys (`changes:`, `columns:`); on a
    // tie (`colums` is one edit from both) the wrapper is what was meant, so it goes first.
    if !ctx.is_xml() {
        if parent.child("column").is_some() {
            candidates.insert(0, "columns");
        }
        if parent.name == "changeSet" {
            candidates.insert(0, "changes");
        }
    }
    let hint = suggest::hint(name, candidates);
    let place = if parent.name == "databaseChangeLog" {
        "at the top of a changelog".to_string()
    } else {
        format!("inside `{}`", parent.name)
    };
    // Liquibase refuses unknown elements in XML (XSD) and unknown change types in YAML/JSON.
    let refused = ctx.is_xml() || parent.child("createTable").is_some();
    ctx.diag(
        refused,
        codes::UNKNOWN_ELEMENT,
        child.name.span,
        format!("`{name}` is not allowed {place}.{hint}"),
    )
}
