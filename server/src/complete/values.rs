//! Attribute values: booleans and enumerations from the catalog, table and column names from
//! [`Names`], and property names after `${`.

use super::cursor::{is_name_char, line_start};
use super::items::{identity, item, resolve, Cx};
use super::names::Names;
use super::spot::Frame;
use super::{Item, ItemKind};
use crate::catalog::ValueKind;
use crate::model::Span;

/// Attributes naming an existing table. (`tableName` of `createTable` names a new one; see
/// [`existing_table_attr`].)
const TABLE_ATTRS: &[&str] = &[
    "baseTableName",
    "existingTableName",
    "oldTableName",
    "referencedTableName",
    "tableName",
];

/// Attributes naming existing columns, with the attribute naming their table.
const COLUMN_ATTRS: &[(&str, &str)] = &[
    ("afterColumn", "tableName"),
    ("baseColumnNames", "baseTableName"),
    ("beforeColumn", "tableName"),
    ("columnName", "tableName"),
    ("columnNames", "tableName"),
    ("existingColumnName", "existingTableName"),
    ("oldColumnName", "tableName"),
    ("referencedColumnNames", "referencedTableName"),
];

/// Changes whose `column` children define new columns rather than refer to existing ones.
const DEFINING: &[&str] = &["addColumn", "createTable"];

/// Proposals for a `${` property reference being typed, if the cursor is in one.
pub fn properties(text: &str, offset: usize, names: &dyn Names) -> Option<Vec<Item>> {
    let ls = line_start(text, offset);
    let before = &text[ls..offset];
    let open = before.rfind("${")?;
    if before[open..].contains('}') {
        return None;
    }
    let start = ls + open + 2;
    if !text[start..offset].chars().all(is_name_char) {
        return None;
    }
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_name_char(c))
        .map_or(text.len(), |(i, _)| offset + i);
    let closed = text[end..].starts_with('}');
    let replace = Span::new(start, end);
    Some(
        names
            .properties()
            .into_iter()
            .map(|(name, value)| Item {
                insert_text: if closed {
                    name.clone()
                } else {
                    format!("{name}}}")
                },
                detail: value.clone(),
                documentation: value.map(|v| format!("Changelog property, `{v}`.")),
                sort_text: name.clone(),
                label: name,
                kind: ItemKind::Property,
                snippet: false,
                replace,
            })
            .collect(),
    )
}

/// The table a column attribute refers to: the named attribute on the element, else on its parent.
fn table_for(path: &[Frame], table_attr: &str) -> Option<String> {
    path.iter()
        .rev()
        .take(2)
        .find_map(|f| f.attr(table_attr))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Whether `attr` of the last frame names an existing table.
fn existing_table_attr(path: &[Frame], attr: &str) -> bool {
    let own = path.last().map_or("", |f| f.name.as_str());
    TABLE_ATTRS.contains(&attr) && !(attr == "tableName" && own == "createTable")
}

pub fn values(cx: &Cx, path: &[Frame], attr: &str, replace: Span) -> Vec<Item> {
    let mut out = Vec::new();
    let own = path.last().map_or("", |f| f.name.as_str());
    if own == "changeSet" && matches!(attr, "id" | "author") {
        // the changeset being written: propose what a new one would get
        let (id, author) = identity(cx);
        let value = if attr == "id" { id } else { author };
        let mut it = item(&value, ItemKind::Value, replace);
        it.detail = Some(format!("{attr} by the file's convention"));
        return vec![it];
    }
    let def = resolve(path);
    if let Some(a) = def.and_then(|d| d.attr(attr)) {
        let list: &[&str] = match a.kind {
            ValueKind::Boolean => &["true", "false"],
            ValueKind::Enum(values) => values,
            _ => &[],
        };
        for v in list {
            let mut it = item(v, ItemKind::Value, replace);
            it.detail = Some(format!("{attr} value"));
            out.push(it);
        }
    }
    if existing_table_attr(path, attr) {
        for t in cx.names.tables(cx.offset) {
            let mut it = item(&t, ItemKind::Table, replace);
            it.detail = Some("table".into());
            out.push(it);
        }
        return out;
    }
    let own = path.last().map_or("", |f| f.name.as_str());
    let parent = path
        .len()
        .checked_sub(2)
        .map_or("", |i| path[i].name.as_str());
    let table_attr = COLUMN_ATTRS
        .iter()
        .find(|(a, _)| *a == attr)
        .map(|(_, t)| *t)
        .or_else(|| {
            (own == "column" && attr == "name" && !DEFINING.contains(&parent))
                .then_some("tableName")
        });
    if let Some(table) = table_attr.and_then(|t| table_for(path, t)) {
        for c in cx.names.columns(cx.offset, &table) {
            let mut it = item(&c, ItemKind::Column, replace);
            it.detail = Some(format!("column of {table}"));
            out.push(it);
        }
    }
    out
}
