//! Document symbols (the outline: changesets with their changes, includes, properties) and folding
//! ranges (every element that spans several lines).

use tower_lsp_server::ls_types::{
    DocumentSymbol, FoldingRange, FoldingRangeKind, Range, SymbolKind,
};

use super::convert::range;
use super::store::Snapshot;
use crate::model::{Change, ChangeSet, Element, IncludeKind};
use crate::text::PositionEncoding;

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written even though it is deprecated
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    full: Range,
    selection: Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: if name.trim().is_empty() {
            "(unnamed)".to_string()
        } else {
            name
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: full,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn document_symbols(snap: &Snapshot, enc: PositionEncoding) -> Vec<DocumentSymbol> {
    let Some(analysis) = &snap.analysis else {
        return Vec::new();
    };
    let log = &analysis.changelog;
    let mut out = Vec::new();
    for p in &log.properties {
        let name = p
            .name
            .as_ref()
            .map_or_else(|| "property".to_string(), |n| n.value.clone());
        let sel = p.name.as_ref().map_or(p.element.name.span, |n| n.span);
        let detail = p.value.as_ref().map(|v| v.value.clone());
        out.push(symbol(
            name,
            detail,
            SymbolKind::CONSTANT,
            range(snap, p.element.span, enc),
            range(snap, sel, enc),
            vec![],
        ));
    }
    for inc in &log.includes {
        let name = inc
            .path
            .as_ref()
            .map_or_else(|| "include".to_string(), |p| p.value.clone());
        let sel = inc.path.as_ref().map_or(inc.element.name.span, |p| p.span);
        let detail = Some(match inc.kind {
            IncludeKind::Include => "include".to_string(),
            IncludeKind::IncludeAll => "includeAll".to_string(),
        });
        out.push(symbol(
            name,
            detail,
            SymbolKind::FILE,
            range(snap, inc.element.span, enc),
            range(snap, sel, enc),
            vec![],
        ));
    }
    out.extend(
        log.changesets
            .iter()
            .map(|cs| changeset_symbol(snap, cs, enc)),
    );
    // The outline is in document order whatever the kinds.
    out.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    out
}

fn changeset_symbol(snap: &Snapshot, cs: &ChangeSet, enc: PositionEncoding) -> DocumentSymbol {
    let name = cs
        .id
        .as_ref()
        .map_or_else(|| "changeSet (no id)".to_string(), |id| id.value.clone());
    let sel = cs.id.as_ref().map_or(cs.header, |id| id.span);
    let detail = cs.author.as_ref().map(|a| format!("by {}", a.value));
    let children = cs
        .changes
        .iter()
        .map(|c| change_symbol(snap, c, enc))
        .collect();
    symbol(
        name,
        detail,
        SymbolKind::EVENT,
        range(snap, cs.span, enc),
        range(snap, sel, enc),
        children,
    )
}

fn change_symbol(snap: &Snapshot, c: &Change, enc: PositionEncoding) -> DocumentSymbol {
    // The object the change acts on, when it names one: "createTable person".
    let target = [
        "tableName",
        "viewName",
        "indexName",
        "sequenceName",
        "constraintName",
        "procedureName",
        "path",
    ]
    .iter()
    .find_map(|a| c.attr_value(a));
    symbol(
        c.kind.value.clone(),
        target.map(str::to_string),
        SymbolKind::FUNCTION,
        range(snap, c.element.span, enc),
        range(snap, c.kind.span, enc),
        vec![],
    )
}

/// Folding ranges for every element spanning more than one line, outermost first.
pub fn folding_ranges(snap: &Snapshot) -> Vec<FoldingRange> {
    let Some(root) = snap
        .analysis
        .as_ref()
        .and_then(|a| a.changelog.root.as_ref())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Explicit stack: the tree is bounded by MAX_DEPTH, but a loop costs nothing and cannot overflow.
    let mut stack: Vec<&Element> = vec![root];
    while let Some(el) = stack.pop() {
        let start = snap.index.line_of(el.span.start) as u32;
        let end = snap
            .index
            .line_of(el.span.end.saturating_sub(1).max(el.span.start)) as u32;
        if end > start {
            out.push(FoldingRange {
                start_line: start,
                end_line: end,
                kind: Some(FoldingRangeKind::Region),
                ..Default::default()
            });
        }
        stack.extend(el.children.iter().rev().map(|c| &**c));
    }
    out.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    out.dedup_by_key(|f| (f.start_line, f.end_line));
    out
}
