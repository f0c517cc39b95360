//! Code actions: one quick fix per fix of each diagnostic in the requested range, and
//! `source.fixAll.lqls` (every safe fix that does not overlap an earlier one, as `lqls check --fix`).

use std::collections::HashMap;

use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::convert;
use super::store::Snapshot;
use crate::model::{Diagnostic, Fix};
use crate::rules::engine;
use crate::text::PositionEncoding;

pub const FIX_ALL: &str = "source.fixAll.lqls";

fn before(a: lsp::Position, b: lsp::Position) -> bool {
    (a.line, a.character) < (b.line, b.character)
}

/// Whether two ranges touch (an empty range at a diagnostic's edge counts).
fn touches(a: &lsp::Range, b: &lsp::Range) -> bool {
    !before(a.end, b.start) && !before(b.end, a.start)
}

fn workspace_edit(uri: &Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

fn text_edits(snap: &Snapshot, fix: &Fix, enc: PositionEncoding) -> Vec<lsp::TextEdit> {
    fix.edits
        .iter()
        .filter(|e| e.span.end <= snap.text.len())
        .map(|e| lsp::TextEdit {
            range: convert::range(snap, e.span, enc),
            new_text: e.new_text.clone(),
        })
        .collect()
}

/// Quick fixes for the diagnostics touching `range`.
pub fn quick_fixes(
    uri: &Uri,
    snap: &Snapshot,
    range: &lsp::Range,
    enc: PositionEncoding,
) -> Vec<lsp::CodeActionOrCommand> {
    match &snap.analysis {
        Some(analysis) => quick_fixes_for(uri, snap, &analysis.diagnostics, range, enc),
        None => Vec::new(),
    }
}

/// Quick fixes for those of `diagnostics` (of this snapshot's text) touching `range`.
pub fn quick_fixes_for(
    uri: &Uri,
    snap: &Snapshot,
    diagnostics: &[Diagnostic],
    range: &lsp::Range,
    enc: PositionEncoding,
) -> Vec<lsp::CodeActionOrCommand> {
    let Some(analysis) = &snap.analysis else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in diagnostics {
        let diag = convert::diagnostic(uri, snap, d, enc);
        if !touches(&diag.range, range) {
            continue;
        }
        let fixes = engine::quick_fixes(&snap.text, &analysis.changelog, d);
        let preferred = fixes.iter().position(|f| f.safe);
        for (i, fix) in fixes.iter().enumerate() {
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: fix.title.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(workspace_edit(uri, text_edits(snap, fix, enc))),
                is_preferred: (preferred == Some(i)).then_some(true),
                ..Default::default()
            }));
        }
    }
    out
}

/// The smallest single edit turning `old` into `new` (common prefix and suffix kept), on char
/// boundaries.
fn minimal_edit(old: &str, new: &str) -> (usize, usize, String) {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    (
        prefix,
        old.len() - suffix,
        new[prefix..new.len() - suffix].to_string(),
    )
}

/// Every safe fix of the document at once, or `None` when there is none.
pub fn fix_all(
    uri: &Uri,
    snap: &Snapshot,
    enc: PositionEncoding,
) -> Option<lsp::CodeActionOrCommand> {
    let analysis = snap.analysis.as_ref()?;
    let fixable: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.fixes.iter().any(|f| f.safe))
        .collect();
    if fixable.is_empty() {
        return None;
    }
    // Diagnostics without a safe fix contribute nothing: all of them can go in as they are.
    let (new_text, applied) = engine::apply_safe_fixes(&snap.text, &analysis.diagnostics);
    if applied == 0 || new_text == *snap.text {
        return None;
    }
    let (start, end, text) = minimal_edit(&snap.text, &new_text);
    let edit = lsp::TextEdit {
        range: convert::range(snap, crate::model::Span::new(start, end), enc),
        new_text: text,
    };
    Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: format!(
            "Apply all safe lqls fixes ({applied} fix{})",
            if applied == 1 { "" } else { "es" }
        ),
        kind: Some(lsp::CodeActionKind::from(FIX_ALL.to_string())),
        diagnostics: Some(
            fixable
                .iter()
                .map(|d| convert::diagnostic(uri, snap, d, enc))
                .collect(),
        ),
        edit: Some(workspace_edit(uri, vec![edit])),
        ..Default::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::minimal_edit;

    #[test]
    fn minimal_edit_keeps_prefix_and_suffix() {
        assert_eq!(minimal_edit("abcXdef", "abcdef"), (3, 4, String::new()));
        assert_eq!(minimal_edit("abc", "abc"), (3, 3, String::new()));
        assert_eq!(minimal_edit("aaa", "aa"), (2, 3, String::new()));
        assert_eq!(minimal_edit("é", "è"), (0, 2, "è".to_string()));
        assert_eq!(minimal_edit("", "x"), (0, 0, "x".to_string()));
    }
}
