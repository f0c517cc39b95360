//! Changelog parameters (`<property>`, `liquibase.properties` `parameter.*`) and `${name}` expansion,
//! scoped the way Liquibase scopes them: a global property is fixed by its first definition for the
//! rest of the run; a `global="false"` one is seen by the file defining it and the files it includes.

use std::borrow::Cow;
use std::collections::HashMap;

use super::FileId;
use crate::model::{Property, Span};

/// Where a property got its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropDef {
    pub name: String,
    pub value: String,
    /// The defining file and the span of its name, or `None` for `liquibase.properties` and other
    /// outside sources.
    pub at: Option<(FileId, Span)>,
    /// `dbms`/`context`/`labels` restrict it: it applies only on some runs.
    pub conditional: bool,
}

/// The properties in force while one file of the include tree is read.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    global: HashMap<String, PropDef>,
    /// Locals per changelog path.
    locals: HashMap<String, HashMap<String, PropDef>>,
    /// The changelog paths of the include stack; the last one's locals are visible.
    stack: Vec<String>,
}

/// Names Liquibase itself provides at run time (`${database.typeName}`, ...) or that come from the
/// JVM: never reported as undefined.
pub fn is_builtin(name: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "database.",
        "liquibase.",
        "changelog.",
        "user.",
        "java.",
        "os.",
        "file.",
        "line.",
        "path.",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p))
}

impl Scope {
    pub fn with_globals(defs: impl IntoIterator<Item = PropDef>) -> Scope {
        let mut s = Scope::default();
        for d in defs {
            s.global.entry(d.name.clone()).or_insert(d);
        }
        s
    }

    /// Entering a file whose changelog path is `path`.
    pub fn push(&mut self, path: &str) {
        self.stack.push(path.to_string());
    }

    pub fn pop(&mut self) {
        self.stack.pop();
    }

    fn current_locals(&self) -> Option<&HashMap<String, PropDef>> {
        self.locals.get(self.stack.last()?)
    }

    /// A `<property name value>` of `file`. The first definition of a global wins, as in Liquibase;
    /// a local one shadows for its file and below. Unconditional definitions are preferred over ones
    /// restricted to a dbms or context, which may not apply.
    pub fn define(&mut self, file: FileId, p: &Property) {
        let (Some(name), Some(value)) = (&p.name, &p.value) else {
            return;
        };
        let name = self.expand(name.value.trim()).into_owned();
        let value = self.expand(&value.value).into_owned();
        let at = p.name.as_ref().map(|n| (file, n.span));
        self.define_value(p, name, value, at);
    }

    /// One `name=value` of a `<property file="...">`.
    pub fn define_from_file(&mut self, file: FileId, p: &Property, name: String, value: String) {
        let at = p.file.as_ref().map(|f| (file, f.span));
        self.define_value(p, name, value, at);
    }

    fn define_value(
        &mut self,
        p: &Property,
        name: String,
        value: String,
        at: Option<(FileId, Span)>,
    ) {
        let el = &p.element;
        let conditional = ["dbms", "context", "contextFilter", "labels"]
            .iter()
            .any(|a| el.attr_value(a).is_some_and(|v| !v.trim().is_empty()));
        let name_text = name;
        let def = PropDef {
            name: name_text.clone(),
            value,
            at,
            conditional,
        };
        let global = el
            .attr_value("global")
            .and_then(crate::model::access::parse_bool)
            .unwrap_or(true);
        match (global, self.stack.last()) {
            // A later local definition replaces an earlier one of the same changelog path (two files
            // sharing a logicalFilePath each set their own values).
            (false, Some(path)) => {
                self.locals
                    .entry(path.clone())
                    .or_default()
                    .insert(name_text, def);
            }
            _ => match self.global.get(&name_text) {
                // Keep the first definition, unless it was conditional and this one is not.
                Some(old) if !old.conditional || conditional => {}
                _ => {
                    self.global.insert(name_text, def);
                }
            },
        }
    }

    pub fn get(&self, name: &str) -> Option<&PropDef> {
        self.current_locals()
            .and_then(|m| m.get(name))
            .or_else(|| self.global.get(name))
    }

    /// `text` with every defined `${name}` replaced; undefined ones stay as written, as Liquibase
    /// leaves them.
    pub fn expand<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !text.contains("${") {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start + 2..].find('}') else {
                break;
            };
            let name = &rest[start + 2..start + 2 + len];
            out.push_str(&rest[..start]);
            match self.get(name) {
                Some(d) => out.push_str(&d.value),
                None => out.push_str(&rest[start..start + 3 + len]),
            }
            rest = &rest[start + 3 + len..];
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// Every definition visible now (globals and the locals on the stack), for completion.
    pub fn visible(&self) -> impl Iterator<Item = &PropDef> {
        self.global
            .values()
            .chain(self.current_locals().into_iter().flat_map(|m| m.values()))
    }
}

/// Every `${name}` in `text` with its byte range inside `text`.
pub fn references(text: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("${") {
        let start = from + i;
        let Some(len) = text[start + 2..].find('}') else {
            break;
        };
        let name = &text[start + 2..start + 2 + len];
        if !name.is_empty() && !name.contains(['$', '{', '\n']) {
            out.push((name.trim(), start..start + 3 + len));
        }
        from = start + 2 + len;
    }
    out
}

/// Reads a Java `.properties` text (the `liquibase.properties` format): `key=value`, `key: value` or
/// `key value`, `#`/`!` comments. Continuation lines and unicode escapes are rare in Liquibase
/// configuration and are read literally.
pub fn parse_java_properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| {
            let cut = l.find(['=', ':']).or_else(|| l.find(char::is_whitespace))?;
            let key = l[..cut].trim();
            let value = l[cut + 1..].trim();
            (!key.is_empty()).then(|| (key.to_string(), value.to_string()))
        })
        .collect()
}

/// Every `${name}` in the values Liquibase expands properties in, with its span, except data
/// payloads: the `value*` attributes of a `column` (rows inserted or updated) often carry templates
/// meant literally (Apache Fineract stores report SQL with `${officeId}` placeholders), and Liquibase
/// leaves undefined names as written there.
pub fn collect_references(root: &crate::model::Element) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut add = |text: &str, span: Span| {
        for (name, range) in references(text) {
            // Exact position when the value is written as read (no entities or escapes inside).
            let at = if span.len() == text.len() {
                Span::new(span.start + range.start, span.start + range.end)
            } else {
                span
            };
            out.push((name.to_string(), at));
        }
    };
    walk_values(root, &mut add);
    out
}

fn walk_values(el: &crate::model::Element, f: &mut impl FnMut(&str, Span)) {
    let data = el.name.value == "column";
    for a in &el.attrs {
        if data && a.name.value.starts_with("value") {
            continue;
        }
        if a.value.value.contains("${") {
            f(&a.value.value, a.value.span);
        }
    }
    if let Some(t) = &el.text {
        if t.value.contains("${") {
            f(&t.value, t.span);
        }
    }
    for c in &el.children {
        walk_values(c, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn props(xml: &str) -> Vec<Property> {
        crate::syntax::parse(xml, Format::Xml).changelog.properties
    }

    #[test]
    fn first_global_definition_wins_and_locals_stay_in_their_file() {
        let p = props(
            r#"<databaseChangeLog>
            <property name="a" value="1"/>
            <property name="a" value="2"/>
            <property name="b" value="${a}-x" global="false"/>
            </databaseChangeLog>"#,
        );
        let mut s = Scope::default();
        s.push("m.xml");
        for x in &p {
            s.define(0, x);
        }
        assert_eq!(s.expand("${a}/${b}/${c}"), "1/1-x/${c}");
        s.push("child.xml");
        assert_eq!(
            s.expand("${a}/${b}"),
            "1/${b}",
            "an included file does not see the locals"
        );
        s.pop();
        s.push("m.xml");
        assert_eq!(
            s.expand("${b}"),
            "1-x",
            "unless it has the same changelog path"
        );
        s.pop();
        s.pop();
        assert_eq!(s.expand("${b}"), "${b}");
        assert_eq!(s.expand("${a}"), "1");
    }

    #[test]
    fn unconditional_definition_replaces_a_conditional_one() {
        let p = props(
            r#"<databaseChangeLog>
            <property name="t" value="clob" dbms="oracle"/>
            <property name="t" value="text"/>
            </databaseChangeLog>"#,
        );
        let mut s = Scope::default();
        for x in &p {
            s.define(0, x);
        }
        assert_eq!(s.expand("${t}"), "text");
    }

    #[test]
    fn finds_references_and_reads_properties_files() {
        let r = references("a ${x} b ${ y.z } ${unclosed");
        assert_eq!(r, vec![("x", 2..6), ("y.z", 9..17)]);
        let kv = parse_java_properties(
            "# c\nchangelog-file=db/m.xml\nsearch-path: a, b\nparameter.x 1\n",
        );
        assert_eq!(
            kv,
            vec![
                ("changelog-file".into(), "db/m.xml".into()),
                ("search-path".into(), "a, b".into()),
                ("parameter.x".into(), "1".into())
            ]
        );
    }
}
