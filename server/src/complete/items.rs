//! From a cursor context to proposals: the elements and attributes the catalog allows there, with
//! their documentation, and new changesets. Values are in `values`, formatted SQL in `directives`.

use super::cursor::{indent_of_line, indent_unit, line_start};
use super::ids;
use super::names::Names;
use super::snippet::{self, Layout};
use super::spot::{Frame, Spot, Style};
use super::yaml::WRAPPERS;
use super::{directives, values};
use super::{Item, ItemKind, Prefs};
use crate::catalog::{self, descriptions, AttrDef, ElementDef, ValueKind, Version};
use crate::model::{Format, Span};

/// Everything the proposals depend on besides the context.
pub struct Cx<'a> {
    pub text: &'a str,
    pub format: Format,
    pub offset: usize,
    pub names: &'a dyn Names,
    pub prefs: &'a Prefs,
}

impl Cx<'_> {
    /// Whether the targeted Liquibase knows what appeared in `since`.
    fn knows(&self, since: Version) -> bool {
        self.prefs.version.is_none_or(|v| since <= v)
    }
}

/// The definition of the last element of `path`, walking down from `databaseChangeLog`.
pub fn resolve(path: &[Frame]) -> Option<&'static ElementDef> {
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
        } => values::values(cx, path, attr, *replace),
        Spot::SqlHeaderAttr { replace, present } => directives::header_attrs(*replace, present),
        Spot::SqlHeaderValue { attr, replace } => directives::header_values(attr, *replace),
        Spot::SqlDirective { replace } => directives::directives(cx, *replace),
    }
}

pub fn item(label: &str, kind: ItemKind, replace: Span) -> Item {
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

pub fn layout(cx: &Cx, replace: Span, lt: bool) -> Layout {
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
    for c in def.children.iter().filter(|c| cx.knows(c.since)) {
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
        it.documentation = element_doc(child);
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

/// An element's description, with the attributes it requires.
fn element_doc(def: &ElementDef) -> Option<String> {
    let mut doc = descriptions::element(def)?.to_string();
    let required: Vec<String> = def
        .required_attrs()
        .map(|a| format!("`{}`", a.name))
        .collect();
    if !required.is_empty() {
        doc.push_str(&format!("\n\nRequired: {}.", required.join(", ")));
    }
    Some(doc)
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
pub fn identity(cx: &Cx) -> (String, String) {
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
pub fn new_changeset(cx: &Cx, replace: Span, lay: &Layout) -> Item {
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
        .filter(|a| !is_present(a.name) && cx.knows(a.since))
        .map(|a| attr_item(cx, def, a, replace, quoted))
        .collect();
    if !keys {
        return out;
    }
    let holds_changes = matches!(def.name, "changeSet" | "rollback");
    let mut seen: Vec<&str> = Vec::new();
    for c in def.children.iter().filter(|c| cx.knows(c.since)) {
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
