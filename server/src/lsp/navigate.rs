//! Navigation over the project: go to definition (include paths to their file, `${property}` to its
//! definition), hover on a property (its value where this file uses it), and workspace symbols
//! (changesets by id, across every file the project runs).

use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::project::ProjectState;
use super::store::{file_path, Snapshot};
use crate::model::Span;
use crate::text::PositionEncoding;
use crate::workspace::project::{Index, RootIndex};
use crate::workspace::properties;
use crate::workspace::schema::{SymbolRef, TableView, Target, TouchKind};

/// The `${name}` under `offset` in `text`, with its span.
pub fn property_at(text: &str, offset: usize) -> Option<(String, Span)> {
    let floor = |i: usize| crate::text::floor_char_boundary(text, i);
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
    if let Some((root, sym)) = schema_symbol(&index, id, offset) {
        if let Some(t) = root.schema.definition(&sym) {
            return project.location(t.file, t.span, enc).into_iter().collect();
        }
    }
    Vec::new()
}

/// The table, column, index, view or sequence named at `offset` of `file`, as the first root reaching
/// the file replays it.
fn schema_symbol(index: &Index, file: usize, offset: usize) -> Option<(&RootIndex, SymbolRef)> {
    let root = index.root_of(file)?;
    let sym = root.schema.symbol_at(file, offset)?;
    Some((root, sym))
}

/// Every change touching the table or column under the cursor, across the project and renames.
pub fn references(
    project: &ProjectState,
    uri: &Uri,
    offset: usize,
    include_declaration: bool,
    enc: PositionEncoding,
) -> Vec<lsp::Location> {
    let Some(path) = file_path(uri) else {
        return Vec::new();
    };
    let index = project.index();
    let Some((root, sym)) = schema_symbol(&index, project.id_of(&path), offset) else {
        return Vec::new();
    };
    root.schema
        .references(&sym)
        .into_iter()
        .filter(|t| include_declaration || t.kind != TouchKind::Create)
        .filter_map(|t| project.location(t.file, t.span, enc))
        .collect()
}

/// Hover on a table or column: its definition just before this change, and the changesets that
/// touched it.
fn schema_hover(
    project: &ProjectState,
    index: &Index,
    file: usize,
    offset: usize,
) -> Option<(String, Span)> {
    let (root, sym) = schema_symbol(index, file, offset)?;
    let touches = root.schema.references(&sym);
    let mut text = String::new();
    match &sym.target {
        Target::Column(..) => {
            let table = table_name_of(root, &sym).unwrap_or_default();
            let view = root.schema.table_at(sym.step, &table);
            let column = view.as_ref().and_then(|v| v.column(&sym.name));
            text.push_str(&format!("**column `{table}.{}`**", sym.name));
            match column {
                Some(c) => text.push_str(&format!(
                    "\n\n`{}`{}{}{}{}",
                    c.data_type.as_deref().unwrap_or("?"),
                    if c.nullable { "" } else { " NOT NULL" },
                    c.default
                        .as_deref()
                        .map(|d| format!(" DEFAULT {d}"))
                        .unwrap_or_default(),
                    if c.primary_key { " PRIMARY KEY" } else { "" },
                    if c.auto_increment {
                        " AUTO_INCREMENT"
                    } else {
                        ""
                    },
                )),
                None => text.push_str("\n\nnot defined at this point (see the history below)"),
            }
        }
        Target::Table(_) => {
            text.push_str(&format!("**table `{}`**", sym.name));
            match root.schema.table_at(sym.step, &sym.name) {
                Some(view) => text.push_str(&describe_table(&view)),
                None => text.push_str("\n\ndoes not exist before this change"),
            }
        }
        Target::View(_) => text.push_str(&format!("**view `{}`**", sym.name)),
        Target::Sequence(_) => text.push_str(&format!("**sequence `{}`**", sym.name)),
        Target::Index(..) => text.push_str(&format!("**index `{}`**", sym.name)),
    }
    text.push_str("\n\n**History**\n");
    const SHOWN: usize = 12;
    for t in touches.iter().take(SHOWN) {
        let e = root.resolution.entries.get(t.step);
        let file = project
            .files_get(t.file)
            .and_then(|f| f.path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let here = if t.step == sym.step { " ← here" } else { "" };
        text.push_str(&format!(
            "- {} `{}` in changeset `{}` ({file}){here}\n",
            kind_word(t.kind),
            t.change,
            e.map_or("?", |e| e.id.as_str()),
        ));
    }
    if touches.len() > SHOWN {
        text.push_str(&format!(
            "- … {} more (find references lists them all)\n",
            touches.len() - SHOWN
        ));
    }
    Some((text, sym.span))
}

/// The name of the table a column symbol belongs to, as written when the table was first touched
/// (at or before the symbol's step when it can).
fn table_name_of(root: &RootIndex, sym: &SymbolRef) -> Option<String> {
    let Target::Column(o, _) = sym.target else {
        return None;
    };
    root.schema
        .touches()
        .iter()
        .find(|x| x.target == Target::Table(o) && x.step <= sym.step)
        .or_else(|| {
            root.schema
                .touches()
                .iter()
                .find(|x| x.target == Target::Table(o))
        })
        .map(|x| x.name.clone())
}

fn kind_word(k: TouchKind) -> &'static str {
    match k {
        TouchKind::Create => "created by",
        TouchKind::Alter => "altered by",
        TouchKind::Rename => "renamed by",
        TouchKind::Drop => "dropped by",
        TouchKind::Data => "data changed by",
        TouchKind::Reference => "referenced by",
    }
}

fn describe_table(v: &TableView) -> String {
    let mut out = String::from("\n\n| column | type | null | default |\n|---|---|---|---|\n");
    for c in &v.columns {
        out.push_str(&format!(
            "| {}{} | {} | {} | {} |\n",
            c.name,
            if c.primary_key { " (PK)" } else { "" },
            c.data_type.as_deref().unwrap_or(""),
            if c.nullable { "yes" } else { "no" },
            c.default.as_deref().unwrap_or(""),
        ));
    }
    for i in &v.indexes {
        out.push_str(&format!(
            "\n{}index {}({})",
            if i.unique { "unique " } else { "" },
            i.name.as_deref().unwrap_or(""),
            i.columns.join(", ")
        ));
    }
    for fk in &v.foreign_keys {
        out.push_str(&format!(
            "\nforeign key {}({}) → {}({})",
            fk.name.as_deref().unwrap_or(""),
            fk.columns.join(", "),
            fk.referenced_table,
            fk.referenced_columns.join(", ")
        ));
    }
    if v.opaque {
        out.push_str("\n\nAlso changed by SQL lqls cannot model: columns may be incomplete.");
    }
    out
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
    let index = project.index();
    let id = project.id_of(&path);
    let markdown = |value: String, span: Span| lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: Some(super::convert::range(snap, span, enc)),
    };
    let Some((name, span)) = property_at(&snap.text, offset) else {
        let (text, span) = schema_hover(project, &index, id, offset)?;
        return Some(markdown(text, span));
    };
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
    Some(markdown(text, span))
}

/// Changesets whose id or author contains `query` (case-insensitive), and tables whose name does
/// (at their creation), across every root.
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
    let mut tables = std::collections::HashSet::new();
    for root in &index.roots {
        for t in root.schema.touches() {
            if out.len() >= LIMIT {
                return out;
            }
            if t.kind != TouchKind::Create || !matches!(t.target, Target::Table(_)) {
                continue;
            }
            if !t.name.to_lowercase().contains(&q) || !tables.insert((t.file, t.span)) {
                continue;
            }
            let Some(location) = project.location(t.file, t.span, enc) else {
                continue;
            };
            out.push(lsp::SymbolInformation {
                name: t.name.clone(),
                kind: lsp::SymbolKind::STRUCT,
                tags: None,
                deprecated: None,
                location,
                container_name: Some("table".to_string()),
            });
        }
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
