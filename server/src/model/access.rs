//! Typed accessors over the generic attribute lists, so later stages ask `cs.run_always()` instead of
//! searching strings. Values are kept as written; these helpers interpret them the way Liquibase does.

use super::{Attr, Change, ChangeSet, Element, Spanned};

/// Finds an attribute of Liquibase's own namespace by name.
pub fn find_attr<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a Attr> {
    attrs
        .iter()
        .find(|a| a.namespace.is_none() && a.name.value == name)
}

/// Liquibase's boolean reading: `true`/`false` in any case; anything else (a `${property}`, a typo) is
/// not a known boolean.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Some(true),
        v if v.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Splits a comma-separated list attribute (`dbms="h2, postgresql"`) into trimmed, non-empty items.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        find_attr(&self.attrs, name)
    }

    pub fn attr_value(&self, name: &str) -> Option<&str> {
        self.attr(name).map(|a| a.value.value.as_str())
    }

    /// Direct children with this local name in Liquibase's namespace.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.namespace.is_none() && c.name.value == name)
            .map(|c| &**c)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.namespace.is_none() && c.name.value == name)
            .map(|c| &**c)
    }
}

impl super::ChangeLog {
    /// (id, author, change types) of every changeset, in order: what "the same changesets" means
    /// when two parses of a file, or lqls and Liquibase, are compared.
    pub fn identities(&self) -> Vec<(String, String, Vec<String>)> {
        self.changesets
            .iter()
            .map(|cs| {
                (
                    cs.id_str().to_string(),
                    cs.author_str().to_string(),
                    cs.changes.iter().map(|c| c.kind.value.clone()).collect(),
                )
            })
            .collect()
    }
}

impl ChangeSet {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        find_attr(&self.attrs, name)
    }

    pub fn attr_value(&self, name: &str) -> Option<&str> {
        self.attr(name).map(|a| a.value.value.as_str())
    }

    fn flag(&self, name: &str) -> Option<bool> {
        self.attr_value(name).and_then(parse_bool)
    }

    pub fn id_str(&self) -> &str {
        self.id.as_ref().map_or("", |s| s.value.as_str())
    }

    pub fn author_str(&self) -> &str {
        self.author.as_ref().map_or("", |s| s.value.as_str())
    }

    /// Target databases (`dbms`), empty when the changeset runs everywhere.
    pub fn dbms(&self) -> Vec<String> {
        self.attr_value("dbms").map(split_list).unwrap_or_default()
    }

    /// The context expression: `contextFilter` wins over its older alias `context`.
    pub fn contexts(&self) -> Option<&str> {
        self.attr_value("contextFilter")
            .or_else(|| self.attr_value("context"))
    }

    pub fn labels(&self) -> Option<&str> {
        self.attr_value("labels")
    }

    pub fn logical_file_path(&self) -> Option<&str> {
        self.attr_value("logicalFilePath")
    }

    pub fn run_always(&self) -> bool {
        self.flag("runAlways").unwrap_or(false)
    }

    pub fn run_on_change(&self) -> bool {
        self.flag("runOnChange").unwrap_or(false)
    }

    pub fn fail_on_error(&self) -> bool {
        self.flag("failOnError").unwrap_or(true)
    }

    pub fn run_in_transaction(&self) -> bool {
        self.flag("runInTransaction").unwrap_or(true)
    }

    /// Change types of the rollback blocks, in order.
    pub fn rollback_kinds(&self) -> Vec<&str> {
        self.rollbacks
            .iter()
            .flat_map(|r| r.changes.iter().map(|c| c.kind.value.as_str()))
            .collect()
    }
}

impl Change {
    pub fn attr_value(&self, name: &str) -> Option<&str> {
        self.element.attr_value(name)
    }

    /// `column` elements directly inside the change (createTable, addColumn, insert, createIndex, ...).
    pub fn columns(&self) -> impl Iterator<Item = &Element> {
        self.element.children_named("column")
    }

    /// The SQL text of `sql`/`createProcedure`/`createView`-like changes: the element text, or the
    /// `sql` attribute / nested `sql` key in YAML.
    pub fn sql_text(&self) -> Option<&Spanned<String>> {
        self.element
            .text
            .as_ref()
            .or_else(|| self.element.attr("sql").map(|a| &a.value))
            .or_else(|| self.element.child("sql").and_then(|c| c.text.as_ref()))
    }
}
