//! What a rule's check sees, and what it reports.
//!
//! Facts that depend on order (is this table created earlier in this file?) are computed once per run
//! in [`FileFacts`]; facts that need the whole project come through [`ProjectFacts`], which the include
//! graph implements later. A rule asks [`Ctx::table_origin`] and never cares which of the two answered.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use regex::{Regex, RegexSet};

use serde_json::Value;

use super::config::Settings;
use super::sql::SqlSource;
use super::{OptDefault, Rule};
use crate::model::{Change, ChangeLog, ChangeSet, Fix, Related, Span, Tag};

/// Facts about the project around this file (tables created by changelogs that run before it, ...).
/// The default answers "unknown", which rules treat as "an existing table in production".
pub trait ProjectFacts: Sync {
    /// Whether `table` is created by a changeset of the project that runs before this file and is not
    /// yet released (so it is still empty when this file runs).
    fn table_created_unreleased(&self, _table: &str) -> bool {
        false
    }
}

/// No project knowledge: every table not created in this file is assumed to exist with data.
pub struct NoProject;

impl ProjectFacts for NoProject {}

/// Where a table comes from, seen from a changeset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Created by an earlier change in this file: still empty and unused when this change runs.
    NewInFile(Span),
    /// Created by an earlier, unreleased changelog of the project.
    NewInProject,
    /// Not created by anything lqls can see: assumed to be a live table with rows and clients.
    Existing,
}

impl Origin {
    pub fn is_existing(self) -> bool {
        self == Origin::Existing
    }
}

/// Ordering facts of one file, computed once per run.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// Lower-cased table name → (changeset index, span of the createTable) of its first creation.
    created: HashMap<String, (usize, Span)>,
    /// Every readable SQL text, tokenised once for all SQL rules.
    pub sql: Vec<SqlSource>,
}

impl FileFacts {
    pub fn new(changelog: &ChangeLog, text: &str, path: Option<&Path>) -> Self {
        let mut created = HashMap::new();
        for (i, cs) in changelog.changesets.iter().enumerate() {
            for ch in &cs.changes {
                if ch.kind.value == "createTable" {
                    if let Some(t) = ch.attr_value("tableName") {
                        created
                            .entry(t.to_ascii_lowercase())
                            .or_insert((i, ch.kind.span));
                    }
                }
            }
        }
        FileFacts {
            created,
            sql: super::sql::sources(changelog, text, path),
        }
    }
}

/// A rule's view of one file.
pub struct Ctx<'a> {
    pub changelog: &'a ChangeLog,
    pub text: &'a str,
    /// The file on disk, when known (to read `sqlFile` contents relative to it).
    pub path: Option<&'a Path>,
    pub settings: &'a Settings,
    pub file: &'a FileFacts,
    pub project: &'a dyn ProjectFacts,
    pub rule: &'static Rule,
    /// This rule's configured options (kebab-case keys); missing ones take the rule's defaults.
    pub options: &'a serde_json::Map<String, Value>,
}

impl<'a> Ctx<'a> {
    /// Every forward change with its changeset and the changeset's index, in file order.
    pub fn changes(&self) -> impl Iterator<Item = (usize, &'a ChangeSet, &'a Change)> + 'a {
        self.changelog
            .changesets
            .iter()
            .enumerate()
            .flat_map(|(i, cs)| cs.changes.iter().map(move |c| (i, cs, c)))
    }

    /// Changes of one type, with their changeset and its index.
    pub fn changes_of(
        &self,
        kind: &'static str,
    ) -> impl Iterator<Item = (usize, &'a ChangeSet, &'a Change)> + 'a {
        self.changes().filter(move |(_, _, c)| c.kind.value == kind)
    }

    /// Every readable SQL text (`sql` changes, `sqlFile` contents, formatted SQL), tokenised, in
    /// document order.
    pub fn sql(&self) -> &'a [SqlSource] {
        &self.file.sql
    }

    /// The SQL texts of one changeset (found by binary search: sources are in changeset order, and a
    /// large file has as many as it has changesets).
    pub fn sql_of(&self, cs_index: usize) -> &'a [SqlSource] {
        let all = &self.file.sql;
        let start = all.partition_point(|s| s.changeset < cs_index);
        let end = all.partition_point(|s| s.changeset <= cs_index);
        &all[start..end]
    }

    /// The SQL text of one change, when it has a readable one.
    pub fn sql_of_change(&self, cs_index: usize, change_index: usize) -> Option<&'a SqlSource> {
        self.sql_of(cs_index)
            .iter()
            .find(|s| s.change == change_index)
    }

    /// Changes of one type whose table (named by `table_attr`) already exists when they run (see
    /// [`Ctx::table_origin`]), with their changeset index and that attribute.
    pub fn changes_on_existing_tables(
        &self,
        kind: &'static str,
        table_attr: &'static str,
    ) -> impl Iterator<Item = (usize, &'a Change, &'a crate::model::Attr)> + '_ {
        self.changes_of(kind).filter_map(move |(i, _, ch)| {
            let t = ch.element.attr(table_attr)?;
            self.table_origin(i, &t.value.value)
                .is_existing()
                .then_some((i, ch, t))
        })
    }

    /// Every SQL statement whose first word is `keyword`, with its source and that first token.
    pub fn statements_starting_with(
        &self,
        keyword: &'static str,
    ) -> impl Iterator<Item = (&'a SqlSource, &'a super::sql::Statement, super::sql::Token)> + 'a
    {
        self.file.sql.iter().flat_map(move |src| {
            src.statements.iter().filter_map(move |st| {
                st.tokens
                    .first()
                    .filter(|t| src.is_kw(t, keyword))
                    .map(|t| (src, st, *t))
            })
        })
    }

    /// Where `table` comes from when changeset `cs_index` runs. A creation in the same changeset
    /// counts as new too (Liquibase runs the changeset's changes in order).
    pub fn table_origin(&self, cs_index: usize, table: &str) -> Origin {
        if let Some(&(at, span)) = self.file.created.get(&table.to_ascii_lowercase()) {
            if at <= cs_index {
                return Origin::NewInFile(span);
            }
        }
        if self.project.table_created_unreleased(table) {
            return Origin::NewInProject;
        }
        Origin::Existing
    }

    /// The databases a changeset targets: its `dbms` list, else the configured `databases`. Lower case.
    /// `!h2`-style exclusions are dropped from the explicit list.
    pub fn databases(&self, cs: &ChangeSet) -> Vec<String> {
        let own: Vec<String> = cs
            .dbms()
            .into_iter()
            .filter(|d| !d.starts_with('!') && d != "all")
            .map(|d| d.to_ascii_lowercase())
            .collect();
        if own.is_empty() {
            self.settings.databases.clone()
        } else {
            own
        }
    }

    fn raw_option(&self, name: &str) -> (Option<&'a Value>, OptDefault) {
        let spec = self.rule.option(name);
        debug_assert!(spec.is_some(), "{} has no option {name}", self.rule.code);
        let default = spec.map_or(OptDefault::Str(""), |s| s.default);
        (self.options.get(name), default)
    }

    /// A string option (configured, else its default).
    pub fn opt_str(&self, name: &str) -> String {
        match self.raw_option(name) {
            (Some(Value::String(s)), _) => s.clone(),
            (_, OptDefault::Str(s) | OptDefault::Regex(s)) => s.to_string(),
            _ => String::new(),
        }
    }

    pub fn opt_int(&self, name: &str) -> i64 {
        match self.raw_option(name) {
            (Some(v), _) if v.as_i64().is_some() => v.as_i64().unwrap_or_default(),
            (_, OptDefault::Int(i)) => i,
            _ => 0,
        }
    }

    pub fn opt_bool(&self, name: &str) -> bool {
        match self.raw_option(name) {
            (Some(Value::Bool(b)), _) => *b,
            (_, OptDefault::Bool(b)) => b,
            _ => false,
        }
    }

    pub fn opt_list(&self, name: &str) -> Vec<String> {
        match self.raw_option(name) {
            (Some(Value::Array(items)), _) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            (Some(Value::String(s)), _) => crate::model::access::split_list(s),
            (_, OptDefault::List(l)) => l.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    /// A regular-expression option. An empty pattern is `None` (the rule has nothing to check); an
    /// invalid one was already reported on the configuration file and also reads as `None`.
    pub fn opt_regex(&self, name: &str) -> Option<Arc<Regex>> {
        let pattern = self.opt_str(name);
        if pattern.is_empty() {
            return None;
        }
        cached_regex(&pattern)
    }

    /// Where a finding about a changeset as a whole goes: its `id` value, else its header.
    pub fn anchor(&self, cs: &ChangeSet) -> Span {
        cs.id.as_ref().map_or(cs.header, |id| id.span)
    }

    /// The source text of a span.
    pub fn source(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// Compiled regular expressions by pattern, shared by every run: rules read their patterns from the
/// configuration on every keystroke, and compiling one costs more than most rules' whole check.
static REGEXES: Cache<String, Regex> = LazyLock::new(Default::default);

/// Compiled patterns by source; `None` remembers an invalid one.
type Cache<K, V> = LazyLock<Mutex<HashMap<K, Option<Arc<V>>>>>;

/// Patterns kept at most; the cache starts over when full (patterns come from configuration, so
/// this is only reached when someone keeps editing them).
const MAX_REGEXES: usize = 512;

/// `pattern` compiled, from the cache; `None` when it is not a valid regular expression.
pub fn cached_regex(pattern: &str) -> Option<Arc<Regex>> {
    let mut cache = REGEXES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(re) = cache.get(pattern) {
        return re.clone();
    }
    if cache.len() >= MAX_REGEXES {
        cache.clear();
    }
    let re = Regex::new(pattern).ok().map(Arc::new);
    cache.insert(pattern.to_string(), re.clone());
    re
}

static REGEX_SETS: Cache<Vec<String>, RegexSet> = LazyLock::new(Default::default);

/// Several patterns compiled into one set (a single pass over the text tells which match), from the
/// cache; `None` when one is not a valid regular expression.
pub fn cached_regex_set(patterns: &[String]) -> Option<Arc<RegexSet>> {
    let mut cache = REGEX_SETS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(set) = cache.get(patterns) {
        return set.clone();
    }
    if cache.len() >= MAX_REGEXES {
        cache.clear();
    }
    let set = RegexSet::new(patterns).ok().map(Arc::new);
    cache.insert(patterns.to_vec(), set.clone());
    set
}

/// One violation, before the engine stamps the rule's code and severity on it.
#[derive(Clone, Debug)]
pub struct Finding {
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
    pub tags: Vec<Tag>,
}

impl Finding {
    pub fn related(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fixes.push(fix);
        self
    }

    pub fn fix_opt(&mut self, fix: Option<Fix>) -> &mut Self {
        self.fixes.extend(fix);
        self
    }

    pub fn tag(&mut self, tag: Tag) -> &mut Self {
        self.tags.push(tag);
        self
    }
}

/// What a check reports into.
#[derive(Debug, Default)]
pub struct Findings {
    pub items: Vec<Finding>,
}

impl Findings {
    /// Reports a violation at `span` (the attribute or element at fault, not the whole changeset).
    pub fn add(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.items.push(Finding {
            span,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
            tags: Vec::new(),
        });
        self.items.last_mut().expect("just pushed")
    }
}
