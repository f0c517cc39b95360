//! The guard for committed changesets: a changeset that a database may already have run must not
//! change, or Liquibase stops every later update there with "Validation Failed: 1 changesets check
//! sum". Each changeset of the file is compared with the changeset of the same id and author in the
//! file's committed versions (HEAD, and the merge-base with the default branch: what is released),
//! and an edit is reported with two quick fixes: put the committed changeset back, or put it back and
//! carry the edit in a new changeset after it.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use super::git::{Committed, Git, Rev};
use crate::diagnostics::codes;
use crate::model::{ChangeLog, ChangeSet, Diagnostic, Element, Fix, Format, Span, TextEdit};
use crate::rules::edit::{line_start, xml_escape};
use crate::syntax;

/// The edited changesets of `text` (the current content of `path`, parsed as `changelog`).
pub fn check(path: &Path, text: &str, changelog: &ChangeLog, git: &Git) -> Vec<Diagnostic> {
    if changelog.changesets.is_empty() {
        return Vec::new();
    }
    let versions = git.committed(path);
    if versions.is_empty() {
        return Vec::new();
    }
    let parsed: Vec<(&Committed, Arc<Baseline>)> = versions
        .iter()
        .map(|v| (v, git.derived(v, changelog.format, Baseline::new)))
        .collect();
    // The merge-base first: it is what was released, so reverting to it is what keeps databases
    // valid; HEAD catches edits to a changeset committed on this branch (already run by a colleague
    // or a test database).
    let order: Vec<usize> = (0..parsed.len()).rev().collect();
    let mut out = Vec::new();
    for cs in &changelog.changesets {
        if cs.id.is_none() || exempt(cs) {
            continue;
        }
        let key = (cs.id_str().to_string(), cs.author_str().to_string());
        let mut now = None;
        let found = order.iter().find_map(|&i| {
            let (index, sum) = parsed[i].1.sums.get(&key)?;
            let now = now.get_or_insert_with(|| checksum_input(cs));
            (sum != now).then_some((i, &parsed[i].1.log.changesets[*index]))
        });
        let Some((i, old)) = found else { continue };
        let (version, old_log) = (&parsed[i].0, &parsed[i].1.log);
        let mut d = Diagnostic::warning(
            codes::EDITED_COMMITTED,
            cs.header,
            message(cs, &version.rev),
        );
        let old_src = version.text.get(old.span.start..old.span.end);
        if let Some(old_src) = old_src.filter(|s| !s.trim().is_empty()) {
            d.fixes.push(revert_fix(text, cs, old_src));
            d.fixes
                .extend(move_fix(text, changelog, cs, old, old_src, old_log));
        }
        out.push(d);
    }
    out
}

/// A committed version as the comparison needs it, computed once per commit.
struct Baseline {
    log: ChangeLog,
    /// (id, author) → (index of the first changeset with it, its checksum input).
    sums: HashMap<(String, String), (usize, String)>,
}

impl Baseline {
    fn new(text: &str, format: Format) -> Self {
        let parsed = syntax::parse(text, format);
        let log = parsed.changelog;
        let mut sums = HashMap::new();
        if parsed.diagnostics.iter().any(|d| d.code == codes::SYNTAX) {
            // A commit whose file did not parse: its changesets may be cut short anywhere, and
            // comparing with them would report edits nobody made.
            return Baseline { log, sums };
        }
        for (i, cs) in log.changesets.iter().enumerate() {
            let key = (cs.id_str().to_string(), cs.author_str().to_string());
            sums.entry(key).or_insert_with(|| (i, checksum_input(cs)));
        }
        Baseline { log, sums }
    }
}

/// The (id, author) of every changeset in the released version of `path` (the merge-base with the
/// default branch, else HEAD). `None` without a repository or git; empty when the file is not in that
/// commit.
pub fn released(path: &Path, git: &Git) -> Option<HashSet<(String, String)>> {
    let version = git.released(path)?;
    let Some(version) = version else {
        return Some(HashSet::new());
    };
    let format = syntax::detect_format(Some(path), &version.text);
    let base = git.derived(&version, format, Baseline::new);
    Some(
        base.log
            .changesets
            .iter()
            .filter(|cs| cs.id.is_some())
            .map(|cs| (cs.id_str().to_string(), cs.author_str().to_string()))
            .collect(),
    )
}

/// Changesets whose author said that they change: `runOnChange` reruns them instead of failing, and a
/// `validCheckSum` (`ANY` or a listed sum) tells Liquibase which checksums to accept.
fn exempt(cs: &ChangeSet) -> bool {
    cs.run_on_change() || !cs.valid_checksums.is_empty()
}

fn message(cs: &ChangeSet, rev: &Rev) -> String {
    format!(
        "changeset '{}' by '{}' differs from its committed version ({} {}): its checksum changes, \
         and Liquibase refuses to update any database that already ran it (\"Validation Failed: 1 \
         changesets check sum\"); revert the edit or move it into a new changeset",
        cs.id_str(),
        cs.author_str(),
        rev.which,
        rev.short()
    )
}

/// What Liquibase's checksum is computed from, as one comparable string.
///
/// Liquibase hashes each change's serialized fields and the `modifySql` visitors, nothing else: the
/// changeset's `comment`, preconditions, contexts, labels, dbms and other attributes, rollback blocks
/// and XML/YAML comments can all change without changing the checksum. SQL and other element text is
/// normalised the way Liquibase normalises SQL before hashing (leading and trailing whitespace, line
/// endings and runs of whitespace do not count). Attribute order does not count either: the fields
/// are serialized by name.
pub fn checksum_input(cs: &ChangeSet) -> String {
    let mut out = String::new();
    for c in &cs.changes {
        canon(&c.element, &mut out, 0);
    }
    for m in cs.element.children_named("modifySql") {
        canon(m, &mut out, 0);
    }
    out
}

fn canon(el: &Element, out: &mut String, depth: usize) {
    // The model is already depth-limited; this only keeps a corrupt tree from recursing forever.
    if depth > syntax::MAX_DEPTH {
        return;
    }
    out.push('(');
    if let Some(ns) = &el.namespace {
        let _ = write!(out, "{ns:?}:");
    }
    let _ = write!(out, "{:?}", el.name.value);
    // The SQL of a change is one field whether it is written as text (XML, `sql: select 1` in YAML)
    // or as a key (`sql: {sql: select 1}`), so both read as text here.
    let mut attrs: Vec<(&Option<String>, &str, &str)> = el
        .attrs
        .iter()
        .filter(|a| !(a.namespace.is_none() && is_sql_attr(&a.name.value)))
        .map(|a| (&a.namespace, a.name.value.as_str(), a.value.value.as_str()))
        .collect();
    attrs.sort();
    for (ns, name, value) in attrs {
        let _ = write!(out, " {ns:?}{name:?}={value:?}");
    }
    let texts = el.text.iter().map(|t| &t.value).chain(
        el.attrs
            .iter()
            .filter(|a| a.namespace.is_none() && is_sql_attr(&a.name.value))
            .map(|a| &a.value.value),
    );
    for t in texts {
        let t = normalise(t);
        if !t.is_empty() {
            let _ = write!(out, " text={t:?}");
        }
    }
    for c in &el.children {
        canon(c, out, depth + 1);
    }
    out.push(')');
}

/// Attributes holding SQL (YAML/JSON write a change's SQL as a key rather than as text).
fn is_sql_attr(name: &str) -> bool {
    matches!(
        name,
        "sql" | "selectQuery" | "procedureText" | "procedureBody"
    )
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The trailing whitespace of `s`.
fn tail(s: &str) -> &str {
    &s[s.trim_end().len()..]
}

fn revert_fix(text: &str, cs: &ChangeSet, old_src: &str) -> Fix {
    let region = text.get(cs.span.start..cs.span.end).unwrap_or("");
    Fix::replace(
        format!(
            "Revert changeset '{}' to the committed version",
            cs.id_str()
        ),
        cs.span,
        format!("{}{}", eol_like(old_src.trim_end(), text), tail(region)),
        false,
    )
}

/// Reverts the changeset and adds a new one after it, with a new id, holding the changes that differ
/// from the committed ones (all of them in JSON, where removing list items would need the commas
/// around them rewritten). Rollbacks and preconditions are left out of the new changeset: they were
/// written for the old changes.
fn move_fix(
    text: &str,
    changelog: &ChangeLog,
    cs: &ChangeSet,
    old: &ChangeSet,
    old_src: &str,
    old_log: &ChangeLog,
) -> Option<Fix> {
    let region = text.get(cs.span.start..cs.span.end)?;
    let id = cs.id.as_ref()?;
    if text.get(id.span.start..id.span.end)? != id.value || id.span.is_empty() {
        // Escapes or entities in the id: replacing it in place could break the file.
        return None;
    }
    let new_id = unique_id(&id.value, changelog, old_log);
    let written_id = match changelog.format {
        Format::Xml => xml_escape(&new_id),
        _ => new_id.clone(),
    };
    if changelog.format != Format::Xml && written_id.contains([' ', '\t', '\n', '"', '\\']) {
        return None;
    }
    let mut edits: Vec<(Span, String)> = vec![(id.span, written_id)];
    if changelog.format != Format::Json {
        let mut committed: Vec<String> = old
            .changes
            .iter()
            .map(|c| {
                let mut s = String::new();
                canon(&c.element, &mut s, 0);
                s
            })
            .collect();
        let unchanged: Vec<Span> = cs
            .changes
            .iter()
            .filter(|c| {
                let mut s = String::new();
                canon(&c.element, &mut s, 0);
                match committed.iter().position(|o| *o == s) {
                    Some(i) => {
                        committed.remove(i);
                        true
                    }
                    None => false,
                }
            })
            .map(|c| c.element.span)
            .collect();
        if unchanged.len() < cs.changes.len() {
            edits.extend(unchanged.into_iter().filter_map(|s| whole_lines(text, s)));
        }
        for r in &cs.rollbacks {
            edits.extend(whole_lines(text, r.span));
        }
        if let Some(p) = &cs.preconditions {
            edits.extend(whole_lines(text, p.span));
        }
    }
    edits.sort_by_key(|(s, _)| s.start);
    let mut new_src = String::new();
    let mut at = cs.span.start;
    for (span, replacement) in edits {
        // A removal may reach past the changeset's end to the end of its last line.
        let span = Span::new(span.start, span.end.min(cs.span.end));
        if span.start < at || span.start > span.end {
            continue;
        }
        new_src.push_str(text.get(at..span.start)?);
        new_src.push_str(&replacement);
        at = span.end;
    }
    new_src.push_str(text.get(at..cs.span.end)?);
    let prefix = text.get(line_start(text, cs.span.start)..cs.span.start)?;
    let sep = match changelog.format {
        Format::Json => format!(",\n{}", indentation(prefix)?),
        // YAML repeats the `- ` that introduces the list item.
        Format::Yaml => format!("\n\n{}", yaml_item_prefix(prefix)?),
        Format::Xml | Format::Sql => format!("\n\n{}", indentation(prefix)?),
    };
    let replacement = format!(
        "{}{}{}",
        eol_like(&format!("{}{sep}", old_src.trim_end()), text),
        new_src.trim_end(),
        tail(region)
    );
    Some(Fix::new(
        "Move this edit into a new changeset",
        vec![TextEdit {
            span: cs.span,
            new_text: replacement,
        }],
        false,
    ))
}

/// `src` with the line endings of `text`: git may store LF where the work tree has CRLF
/// (`core.autocrlf`), and a fix must not mix the two in one file.
fn eol_like(src: &str, text: &str) -> String {
    let crlf = text.find('\n').is_some_and(|i| text[..i].ends_with('\r'));
    let plain = src.replace("\r\n", "\n");
    if crlf {
        plain.replace('\n', "\r\n")
    } else {
        plain
    }
}

/// `prefix` when it is only indentation.
fn indentation(prefix: &str) -> Option<&str> {
    prefix
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(prefix)
}

/// `prefix` when it is indentation and a list dash (`  - `).
fn yaml_item_prefix(prefix: &str) -> Option<&str> {
    let rest = prefix.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('-')?;
    rest.bytes().all(|b| b == b' ').then_some(prefix)
}

/// The removal of `span` with the lines it stands on, when nothing else is on them (a YAML list dash
/// before it counts as part of it).
fn whole_lines(text: &str, span: Span) -> Option<(Span, String)> {
    let start = line_start(text, span.start);
    let before = text.get(start..span.start)?;
    if !before
        .trim_start_matches([' ', '\t'])
        .trim_start_matches('-')
        .trim_start_matches([' ', '\t'])
        .is_empty()
    {
        return None;
    }
    let after = text.get(span.end..)?;
    let eol = after.find('\n').map_or(after.len(), |i| i + 1);
    if !after[..eol].trim().is_empty() {
        return None;
    }
    Some((Span::new(start, span.end + eol), String::new()))
}

/// `ID-2`, `ID-3`, ...: the first not used by any changeset of the file, now or in the committed
/// version.
fn unique_id(id: &str, now: &ChangeLog, old: &ChangeLog) -> String {
    let used: HashSet<&str> = now
        .changesets
        .iter()
        .chain(&old.changesets)
        .map(|c| c.id_str())
        .collect();
    (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| !used.contains(c.as_str()))
        .unwrap_or_else(|| format!("{id}-new"))
}
