//! From a cursor context to proposals: what the catalog allows there, with documentation, and the
//! names [`Names`] knows.

use super::cursor::{indent_of_line, indent_unit, is_name_char, line_start};
use super::ids;
use super::names::Names;
use super::snippet::{self, Layout};
use super::spot::{Frame, Spot, Style};
use super::yaml::WRAPPERS;
use super::{Item, ItemKind, Prefs};
use crate::catalog::{self, descriptions, AttrDef, ElementDef, ValueKind};
use crate::model::{Format, Span};

/// Everything the proposals depend on besides the context.
pub struct Cx<'a> {
    pub text: &'a str,
    pub format: Format,
    pub offset: usize,
    pub names: &'a dyn Names,
    pub prefs: &'a Prefs,
}

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

/// Formatted-SQL directives, with what they do.
const SQL_DIRECTIVES: &[(&str, &str, &str)] = &[
    ("--comment", "--comment: $0", "A comment stored with the changeset."),
    ("--rollback", "--rollback $0", "SQL that undoes the changeset."),
    (
        "--preconditions",
        "--preconditions onFail:${1|HALT,CONTINUE,MARK_RAN,WARN|} onError:${2|HALT,CONTINUE,MARK_RAN,WARN|}",
        "Preconditions the changeset checks before it runs.",
    ),
    (
        "--precondition-sql-check",
        "--precondition-sql-check expectedResult:$1 $0",
        "A precondition: the SQL must return the expected result.",
    ),
    ("--validCheckSum", "--validCheckSum: $0", "A checksum the changeset may also have."),
    ("--include", "--include file:$0", "Includes another changelog file."),
    (
        "--property",
        "--property name:$1 value:$0",
        "Defines a changelog property.",
    ),
];

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

/// The definition of the last element of `path`, walking down from `databaseChangeLog`.
fn resolve(path: &[Frame]) -> Option<&'static ElementDef> {
    let (first, rest) = path.split_first()?;
    if first.name != "databaseChangeLog" {
        return None;
    }
    rest.iter()
        .try_fold(catalog::root(), |def, f| def.child(&f.name))
}

pub fn for_spot(cx: &Cx, spot: &Spot) -> Vec<Item> {
    match spot {
        Spot::Nothing => Vec::new(),
        Spot::Element {
            path,
            replace,
            style,
            wrapper,
        } => elements(cx, path, *replace, *style, wrapper.as_deref()),
        Spot::Attr {
            path,
            replace,
            keys,
            column,
        } => attributes(cx, path, *replace, *keys, *column),
        Spot::Value {
            path,
            attr,
            replace,
        } => values(cx, path, attr, *replace),
        Spot::SqlHeaderAttr { replace, present } => sql_header_attrs(*replace, present),
        Spot::SqlHeaderValue { attr, replace } => sql_header_values(attr, *replace),
        Spot::SqlDirective { replace } => sql_directives(cx, *replace),
    }
}

fn item(label: &str, kind: ItemKind, replace: Span) -> Item {
    Item {
        label: label.to_string(),
        kind,
        detail: None,
        documentation: None,
        insert_text: label.to_string(),
        snippet: false,
        sort_text: label.to_string(),
        replace,
    }
}

fn layout(cx: &Cx, replace: Span, lt: bool) -> Layout {
    let ls = line_start(cx.text, replace.start);
    Layout {
        indent: indent_of_line(cx.text, cx.offset).to_string(),
        unit: indent_unit(cx.text),
        column: cx.text[ls..replace.start].chars().count(),
        lt,
    }
}

/// Child elements of the last frame (narrowed to the items of a YAML/JSON list wrapper).
fn elements(
    cx: &Cx,
    path: &[Frame],
    replace: Span,
    style: Style,
    wrapper: Option<&str>,
) -> Vec<Item> {
    if path.is_empty() {
        let mut it = item("databaseChangeLog", ItemKind::Element, replace);
        it.documentation = descriptions::element_named("databaseChangeLog").map(str::to_string);
        return vec![it];
    }
    if style == Style::XmlClose {
        return close_tag(cx, path, replace);
    }
    let Some(def) = resolve(path) else {
        return Vec::new();
    };
    let lt = style == Style::XmlContent;
    if lt && def.text {
        // in text content (`<sql>select |`, a rollback's SQL) a space is not a request for elements;
        // a typed `<` still is
        return Vec::new();
    }
    let lay = layout(cx, replace, lt);
    let holds_changes = matches!(def.name, "changeSet" | "rollback");
    let only = wrapper.and_then(|w| WRAPPERS.iter().find(|(n, _)| *n == w).map(|(_, i)| *i));
    let mut out = Vec::new();
    for c in def.children {
        let is_change = holds_changes && catalog::is_change_type(c.name);
        match only {
            Some("") if wrapper == Some("changes") && !is_change => continue,
            Some(i) if !i.is_empty() && c.name != i => continue,
            _ => {}
        }
        let child = catalog::def(c.def);
        if def.name == "databaseChangeLog" && c.name == "changeSet" {
            out.push(new_changeset(cx, replace, &lay));
            continue;
        }
        let kind = if is_change {
            ItemKind::ChangeType
        } else {
            ItemKind::Element
        };
        let mut it = item(c.name, kind, replace);
        it.documentation = descriptions::element(child).map(str::to_string);
        it.detail = Some(if is_change { "change type" } else { "element" }.into());
        it.snippet = true;
        it.insert_text = match style {
            Style::XmlTag | Style::XmlContent => {
                snippet::xml_element(child, lt, &lay.indent, &lay.unit)
            }
            Style::YamlItem { column } => snippet::yaml_element(child, column),
            Style::JsonKey { quoted: true } => {
                it.snippet = false;
                c.name.to_string()
            }
            Style::JsonKey { quoted: false } => snippet::json_element(child),
            // handled before the loop
            Style::XmlClose => c.name.to_string(),
        };
        out.push(it);
    }
    out
}

/// `</` closes the innermost open element, whatever it is (extension elements too).
fn close_tag(cx: &Cx, path: &[Frame], replace: Span) -> Vec<Item> {
    let Some(open) = path.last() else {
        return Vec::new();
    };
    let mut it = item(&open.name, ItemKind::Element, replace);
    it.detail = Some("end tag".into());
    if !cx.text[replace.end..].starts_with('>') {
        it.insert_text.push('>');
    }
    vec![it]
}

/// The id and author a new changeset gets here: id by the project's convention, author by
/// preference.
fn identity(cx: &Cx) -> (String, String) {
    let parsed = crate::syntax::parse(cx.text, cx.format).changelog;
    let ids_: Vec<String> = parsed
        .changesets
        .iter()
        .filter_map(|c| c.id.as_ref().map(|i| i.value.clone()))
        .collect();
    let authors: Vec<String> = parsed
        .changesets
        .iter()
        .filter_map(|c| c.author.as_ref().map(|a| a.value.clone()))
        .collect();
    let id = ids::next_id(&ids_, cx.prefs.id_pattern.as_deref(), &cx.prefs.now);
    let author = ids::author(
        cx.prefs.author.as_deref(),
        &authors,
        cx.prefs.fallback_author.as_deref(),
    );
    (id, author)
}

/// The new-changeset proposal.
fn new_changeset(cx: &Cx, replace: Span, lay: &Layout) -> Item {
    let (id, author) = identity(cx);
    let label = if cx.format == Format::Sql {
        "--changeset"
    } else {
        "changeSet"
    };
    let mut it = item(label, ItemKind::Snippet, replace);
    it.detail = Some(format!("new changeset {id} by {author}"));
    it.documentation = descriptions::element_named("changeSet").map(str::to_string);
    it.insert_text = snippet::changeset(cx.format, &id, &author, lay);
    it.snippet = true;
    it.sort_text = format!("0{label}");
    it
}

fn kind_name(kind: ValueKind) -> String {
    match kind {
        ValueKind::String => "text".into(),
        ValueKind::Boolean => "true | false".into(),
        ValueKind::Integer => "integer".into(),
        ValueKind::Enum(values) => values.join(" | "),
    }
}

fn attr_item(cx: &Cx, def: &ElementDef, a: &AttrDef, replace: Span, quoted: bool) -> Item {
    let mut it = item(a.name, ItemKind::Attribute, replace);
    let kind = kind_name(a.kind);
    it.detail = Some(if a.required {
        format!("{kind} (required)")
    } else {
        kind
    });
    it.documentation = descriptions::attribute(def.name, a.name).map(str::to_string);
    it.sort_text = format!("{}{}", if a.required { '0' } else { '1' }, a.name);
    // renaming a written attribute: its `="value"` or `: value` stays
    let rest = cx.text[replace.end..].trim_start_matches([' ', '"']);
    if rest.starts_with(['=', ':']) {
        return it;
    }
    match cx.format {
        Format::Xml => {
            it.insert_text = format!("{}=\"$1\"", a.name);
            it.snippet = true;
        }
        Format::Yaml => it.insert_text = format!("{}: ", a.name),
        Format::Json if !quoted => {
            it.insert_text = format!("\"{}\": \"$1\"", a.name);
            it.snippet = true;
        }
        _ => {}
    }
    it
}

/// Attributes of the last frame not written yet, required ones first; in YAML and JSON also the
/// nested elements that are written as keys.
fn attributes(cx: &Cx, path: &[Frame], replace: Span, keys: bool, column: usize) -> Vec<Item> {
    if path.is_empty() && keys {
        return elements(cx, path, replace, Style::JsonKey { quoted: false }, None);
    }
    let Some(def) = resolve(path) else {
        return Vec::new();
    };
    let present = path.last().map(|f| f.attrs.as_slice()).unwrap_or_default();
    let is_present = |n: &str| present.iter().any(|(p, _)| p == n);
    let quoted = cx.text[..replace.start].ends_with('"');
    let mut out: Vec<Item> = def
        .attrs
        .iter()
        .filter(|a| !is_present(a.name))
        .map(|a| attr_item(cx, def, a, replace, quoted))
        .collect();
    if !keys {
        return out;
    }
    let holds_changes = matches!(def.name, "changeSet" | "rollback");
    let mut seen: Vec<&str> = Vec::new();
    for c in def.children {
        let (key, item_name) = if holds_changes && catalog::is_change_type(c.name) {
            ("changes", Some(""))
        } else if let Some((w, i)) = WRAPPERS.iter().find(|(_, i)| !i.is_empty() && *i == c.name) {
            (*w, Some(*i))
        } else {
            (c.name, None)
        };
        if seen.contains(&key) || is_present(key) {
            continue;
        }
        seen.push(key);
        let mut it = item(key, ItemKind::Element, replace);
        it.documentation = descriptions::element(catalog::def(c.def)).map(str::to_string);
        it.detail = Some("element".into());
        it.sort_text = format!("2{key}");
        if cx.format == Format::Yaml {
            it.insert_text = snippet::yaml_key(key, item_name, column);
            it.snippet = true;
        } else if !quoted {
            let open = if item_name.is_some() { "[$0]" } else { "{$0}" };
            it.insert_text = format!("\"{key}\": {open}");
            it.snippet = true;
        }
        out.push(it);
    }
    out
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

fn values(cx: &Cx, path: &[Frame], attr: &str, replace: Span) -> Vec<Item> {
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

fn sql_header_attrs(replace: Span, present: &[String]) -> Vec<Item> {
    crate::syntax::sql::HEADER_ATTRIBUTES
        .iter()
        .filter(|(n, _)| !present.iter().any(|p| p.eq_ignore_ascii_case(n)))
        .map(|&(name, boolean)| {
            let mut it = item(name, ItemKind::Attribute, replace);
            it.documentation = descriptions::attribute("changeSet", name).map(str::to_string);
            if boolean {
                it.detail = Some("true | false".into());
                it.insert_text = format!("{name}:${{1|true,false|}}");
                it.snippet = true;
            } else {
                it.detail = Some("text".into());
                it.insert_text = format!("{name}:");
            }
            it
        })
        .collect()
}

fn sql_header_values(attr: &str, replace: Span) -> Vec<Item> {
    let boolean = crate::syntax::sql::HEADER_ATTRIBUTES
        .iter()
        .any(|(n, b)| *b && n.eq_ignore_ascii_case(attr));
    if !boolean {
        return Vec::new();
    }
    ["true", "false"]
        .iter()
        .map(|v| item(v, ItemKind::Value, replace))
        .collect()
}

fn sql_directives(cx: &Cx, replace: Span) -> Vec<Item> {
    let lay = layout(cx, replace, false);
    let mut out = vec![new_changeset(cx, replace, &lay)];
    if line_start(cx.text, replace.start) == 0 {
        let mut it = item("--liquibase formatted sql", ItemKind::Snippet, replace);
        it.documentation = Some("The first line of every formatted SQL changelog.".into());
        it.sort_text = "0--liquibase".into();
        out.push(it);
    }
    for (label, insert, doc) in SQL_DIRECTIVES {
        let mut it = item(label, ItemKind::Snippet, replace);
        it.insert_text = insert.to_string();
        it.snippet = true;
        it.documentation = Some(doc.to_string());
        it.sort_text = format!("1{label}");
        out.push(it);
    }
    out
}
