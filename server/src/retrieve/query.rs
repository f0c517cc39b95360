//! Turning a changeset into targeted queries: one per change (its type and what the catalog says it
//! does, the table, the columns with their constraints, the SQL it runs) and one per rule finding on it
//! (the rule's summary and message). A finding's rule may name the guideline it enforces: that link is
//! carried as is, since the rule already decided the guideline applies.

use crate::catalog::descriptions;
use crate::kb::Tier;
use crate::model::{Change, ChangeSet, Diagnostic, Element, Span};
use crate::rules::registry;

/// The longest text a changeset's description is cut to: embedding time grows with length (a table of
/// thirty columns would cost 60 ms), and the start (change types, table, first columns) carries the topic.
const MAX_CHARS: usize = 320;

/// The most query texts one changeset produces: each new text costs an embedding (about 10-20 ms).
const MAX_TEXTS: usize = 5;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    pub texts: Vec<String>,
    /// Guideline ids the findings' rules enforce.
    pub linked: Vec<String>,
    /// Search one tier only.
    pub tier: Option<Tier>,
    /// Total hits; the configured `k` when `None`.
    pub k: Option<usize>,
    /// Most hits per tier, in [`Tier::ALL`] order.
    pub quota: Option<[usize; 3]>,
}

impl Query {
    pub fn text(s: impl Into<String>) -> Query {
        Query {
            texts: vec![s.into()],
            ..Default::default()
        }
    }

    pub fn cache_key(&self) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{}",
            self.tier,
            self.k,
            self.quota,
            self.linked,
            self.texts.join("\u{1f}")
        )
    }

    /// Queries for a whole changeset and the findings on it.
    pub fn for_changeset(cs: &ChangeSet, findings: &[&Diagnostic]) -> Query {
        let mut q = Query::default();
        q.add_findings(findings);
        // One text for what the changeset does (its changes and comment): a hover then embeds one new
        // text, since the findings' texts recur and are cached.
        let mut about: Vec<String> = cs.changes.iter().map(describe_change).collect();
        if let Some(comment) = &cs.comment {
            about.push(comment.value.trim().to_string());
        }
        q.push(truncate(&about.join(" "), MAX_CHARS));
        q
    }

    /// Queries for one change of a changeset and the findings on that change.
    pub fn for_change(change: &Change, findings: &[&Diagnostic]) -> Query {
        let mut q = Query::default();
        q.add_findings(findings);
        q.push(describe_change(change));
        q
    }

    /// The most severe findings first: their guidelines lead the answer and their texts are kept
    /// when there are more than [`MAX_TEXTS`].
    fn add_findings(&mut self, findings: &[&Diagnostic]) {
        let mut sorted = findings.to_vec();
        sorted.sort_by_key(|d| d.severity);
        for d in sorted {
            self.add_finding(d);
        }
    }

    /// A warning or error links the guideline its rule enforces and asks with the rule's summary (the
    /// same text for every changeset with that finding, so its embedding is cached after the first).
    /// Information findings (no context, no labels, an implicit rollback: nearly every changeset has
    /// them) neither link nor ask: they would crowd out what the change itself is about.
    fn add_finding(&mut self, d: &Diagnostic) {
        let Some(rule) = registry::by_code(d.code) else {
            return;
        };
        if d.severity > crate::model::Severity::Warning {
            return;
        }
        if let Some(g) = rule.guideline {
            if !self.linked.iter().any(|l| l == g) {
                self.linked.push(g.to_string());
            }
        }
        self.push(rule.summary.to_string());
    }

    fn push(&mut self, text: String) {
        if !text.trim().is_empty() && self.texts.len() < MAX_TEXTS && !self.texts.contains(&text) {
            self.texts.push(text);
        }
    }
}

/// The rule findings inside `span` (structural diagnostics are not review material).
pub fn findings_in(diagnostics: &[Diagnostic], span: Span) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.span.start >= span.start && d.span.end <= span.end)
        .filter(|d| registry::by_code(d.code).is_some())
        .collect()
}

/// `addColumn: Adds one or more columns to an existing table. Table orders. Columns status (varchar(20),
/// NOT NULL).`
pub fn describe_change(c: &Change) -> String {
    let kind = c.kind.value.as_str();
    let mut s = kind.to_string();
    if let Some(d) = descriptions::element_named(kind) {
        s.push_str(": ");
        s.push_str(d);
    }
    let e = &c.element;
    // The objects it acts on, then the column-level details, in that order.
    const NAMES: &[&str] = &[
        "tableName",
        "baseTableName",
        "viewName",
        "sequenceName",
        "indexName",
        "columnName",
        "newColumnName",
        "columnDataType",
        "newDataType",
        "referencedTableName",
    ];
    for attr in NAMES {
        if let Some(v) = e.attr_value(attr) {
            s.push_str(&format!(" {} {v}.", humanize(attr)));
        }
    }
    let columns: Vec<String> = e.children_named("column").map(describe_column).collect();
    if !columns.is_empty() {
        s.push_str(&format!(" Columns {}.", columns.join(", ")));
    }
    if let Some(sql) = e
        .text
        .as_ref()
        .map(|t| t.value.trim())
        .filter(|t| !t.is_empty())
    {
        s.push_str(&format!(" SQL: {}", truncate(sql, 160)));
    }
    for flag in ["runInTransaction"] {
        if let Some(v) = e.attr_value(flag) {
            s.push_str(&format!(" {flag}={v}."));
        }
    }
    s
}

fn describe_column(col: &Element) -> String {
    let mut s = col.attr_value("name").unwrap_or("?").to_string();
    let mut facts = Vec::new();
    if let Some(t) = col.attr_value("type") {
        facts.push(t.to_string());
    }
    if let Some(cons) = col.child("constraints") {
        if cons.attr_value("nullable") == Some("false") {
            facts.push("NOT NULL".into());
        }
        if cons.attr_value("primaryKey") == Some("true") {
            facts.push("primary key".into());
        }
        if cons.attr_value("unique") == Some("true") {
            facts.push("unique".into());
        }
        if cons.attr_value("references").is_some()
            || cons.attr_value("referencedTableName").is_some()
        {
            facts.push("foreign key".into());
        }
    }
    for d in [
        "defaultValue",
        "defaultValueComputed",
        "defaultValueNumeric",
        "defaultValueBoolean",
    ] {
        if let Some(v) = col.attr_value(d) {
            facts.push(format!("default {v}"));
        }
    }
    if !facts.is_empty() {
        s.push_str(&format!(" ({})", facts.join(", ")));
    }
    s
}

/// `s` cut to at most `max` bytes at a character boundary.
fn truncate(s: &str, max: usize) -> String {
    s[..crate::text::floor_char_boundary(s, max)].to_string()
}

/// `baseTableName` -> `base table name`.
fn humanize(attr: &str) -> String {
    let mut out = String::new();
    for ch in attr.chars() {
        if ch.is_uppercase() {
            out.push(' ');
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    #[test]
    fn a_changeset_becomes_change_and_finding_queries() {
        let xml = r#"<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="a">
    <addColumn tableName="orders">
      <column name="status" type="varchar(20)"><constraints nullable="false"/></column>
    </addColumn>
  </changeSet>
</databaseChangeLog>"#;
        let parsed = crate::syntax::parse(xml, Format::Xml);
        let cs = &parsed.changelog.changesets[0];
        let d = Diagnostic::warning(
            "MS201",
            cs.span,
            "Column status is NOT NULL without a default",
        );
        let q = Query::for_changeset(cs, &[&d]);
        assert_eq!(
            q.linked,
            Vec::<String>::new()
                .into_iter()
                .chain(
                    registry::by_code("MS201")
                        .and_then(|r| r.guideline)
                        .map(String::from)
                )
                .collect::<Vec<_>>()
        );
        assert_eq!(q.texts[0], registry::by_code("MS201").unwrap().summary);
        let change = q.texts.iter().find(|t| t.starts_with("addColumn")).unwrap();
        assert!(change.contains("Table name orders."), "{change}");
        assert!(
            change.contains("status (varchar(20), NOT NULL)"),
            "{change}"
        );
        assert_eq!(humanize("baseTableName"), "Base table name");
    }
}
