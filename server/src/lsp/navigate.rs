//! Navigation over the project: go to definition (include paths to their file, `${property}` to its
//! definition), hover on a property (its value where this file uses it), and workspace symbols
//! (changesets by id, across every file the project runs).

use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::project::ProjectState;
use super::store::{file_path, Snapshot};
use crate::model::Span;
use crate::text::PositionEncoding;
use crate::workspace::properties;

/// The `${name}` under `offset` in `text`, with its span.
pub fn property_at(text: &str, offset: usize) -> Option<(String, Span)> {
    let floor = |mut i: usize| {
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(offset.saturating_sub(256));
    let end = floor((offset + 256).min(text.len()));
    let window = &text[start..end];
    properties::references(window)
        .into_iter()
        .map(|(name, r)| (name.to_string(), Span::new(start + r.start, start + r.end)))
        .find(|(_, s)| s.start <= offset && offset <= s.end)
}

pub fn definition(
    project: &ProjectState,
    uri: &Uri,
    snap: &Snapshot,
    offset: usize,
    enc: PositionEncoding,
) -> Vec<lsp::Location> {
    let Some(path) = file_path(uri) else {
        return Vec::new();
    };
    let id = project.id_of(&path);
    let index = project.index();
    if let Some((_, targets)) = index.include_at(id, offset) {
        return targets
            .iter()
            .filter_map(|&t| project.location(t, Span::new(0, 0), enc))
            .collect();
    }
    if let Some((name, _)) = property_at(&snap.text, offset) {
        if let Some((file, span)) = index.property(id, &name).and_then(|d| d.at) {
            return project.location(file, span, enc).into_iter().collect();
        }
    }
    Vec::new()
}

/// Hover on a `${property}`: its value where this file uses it and where that value comes from.
pub fn hover(
    project: &ProjectState,
    uri: &Uri,
    snap: &Snapshot,
    offset: usize,
    enc: PositionEncoding,
) -> Option<lsp::Hover> {
    let path = file_path(uri)?;
    let (name, span) = property_at(&snap.text, offset)?;
    let index = project.index();
    let id = project.id_of(&path);
    let text = match index.property(id, &name) {
        Some(def) => {
            let origin = match def.at.and_then(|(f, s)| project.location(f, s, enc)) {
                Some(l) => format!(
                    "defined in `{}` line {}",
                    l.uri
                        .to_file_path()
                        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                        .unwrap_or_default(),
                    l.range.start.line + 1
                ),
                None => "defined outside the changelogs (liquibase.properties or lqls.toml)".into(),
            };
            let cond = if def.conditional {
                "\n\nThis definition is restricted to some databases or contexts."
            } else {
                ""
            };
            format!("**${{{name}}}** = `{}`\n\n{origin}{cond}", def.value)
        }
        None if properties::is_builtin(&name) => {
            format!("**${{{name}}}**: provided by Liquibase or the JVM at run time")
        }
        None if !project.is_ready() => {
            format!("**${{{name}}}**: the project is still being indexed")
        }
        None => format!(
            "**${{{name}}}** is not defined for this file: Liquibase leaves it as written unless \
             it is passed on the command line or set in the environment"
        ),
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: text,
        }),
        range: Some(super::convert::range(snap, span, enc)),
    })
}

/// Changesets whose id, author or path contains `query` (case-insensitive), across every root.
#[allow(deprecated)] // `SymbolInformation::deprecated` must be written even though it is deprecated
pub fn workspace_symbols(
    project: &ProjectState,
    query: &str,
    enc: PositionEncoding,
) -> Vec<lsp::SymbolInformation> {
    const LIMIT: usize = 500;
    let q = query.to_lowercase();
    let index = project.index();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (_, e) in index.entries() {
        if out.len() >= LIMIT {
            break;
        }
        if !seen.insert((e.file, e.index)) {
            continue;
        }
        let hit = q.is_empty()
            || e.id.to_lowercase().contains(&q)
            || e.author.to_lowercase().contains(&q);
        if !hit {
            continue;
        }
        let Some(file) = project.files_get(e.file) else {
            continue;
        };
        let Some(cs) = file.changelog.changesets.get(e.index) else {
            continue;
        };
        let Some(location) = project.location(e.file, cs.header, enc) else {
            continue;
        };
        out.push(lsp::SymbolInformation {
            name: e.id.clone(),
            kind: lsp::SymbolKind::EVENT,
            tags: None,
            deprecated: None,
            location,
            container_name: Some(format!("{} by {}", e.path, e.author)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_property_under_the_cursor() {
        let t = r#"<x a="${one}" b="p${two.x}q"/>"#;
        assert_eq!(property_at(t, 8).map(|p| p.0).as_deref(), Some("one"));
        assert_eq!(property_at(t, 20).map(|p| p.0).as_deref(), Some("two.x"));
        assert_eq!(property_at(t, 15), None);
        assert_eq!(property_at("é${a}", 1), None, "never splits a character");
    }
}
