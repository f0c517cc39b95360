//! Suppression comments, the same in every syntax:
//!
//! - `lqls-disable-next-line CODE[, CODE...]`: the next line, and the whole change or changeset that
//!   starts on it;
//! - `lqls-disable CODE[, CODE...]`: the changeset the comment is in, or, outside changesets, the next
//!   changeset;
//! - `lqls-disable-file CODE[, CODE...]`: the whole file.
//!
//! The comment is `<!-- ... -->` in XML, `# ...` in YAML and `-- ...` in SQL. Codes may be written as
//! codes (`LB101`), rule names or Liquibase check names. A suppression that hides nothing is reported
//! (`unused-suppression`, with a fix that removes it), so stale ones do not pile up.

use std::sync::LazyLock;

use regex::Regex;

use super::registry;
use crate::diagnostics::codes;
use crate::model::{ChangeLog, Diagnostic, Fix, Format, Span, Tag};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    NextLine,
    ChangeSet,
    File,
}

/// One code in one suppression comment.
#[derive(Debug)]
struct Entry {
    /// The canonical code (rule code or structural code), `None` when unknown.
    code: Option<&'static str>,
    written: Span,
    /// The byte range the suppression covers.
    covers: Span,
    used: bool,
}

/// One comment.
#[derive(Debug)]
struct Comment {
    /// The whole comment line(s) to delete when every code in it is unused.
    line: Span,
    /// The codes list, to rewrite when only some are unused.
    list: Span,
    entries: Vec<Entry>,
}

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"lqls-disable(-next-line|-file)?[ \t]+([A-Za-z0-9_\-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_\-]+)*)",
    )
    .expect("valid regex")
});

/// Whether the text before `at` on its line opens a comment (so that the directive is not part of a
/// value or SQL string that merely mentions it).
fn in_comment(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    ["<!--", "#", "--", "//", "/*"]
        .iter()
        .any(|o| before.contains(o))
}

fn canonical(written: &str) -> Option<&'static str> {
    if let Some(r) = registry::find(written) {
        return Some(r.code);
    }
    codes::ALL
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(written))
        .map(|(c, _)| *c)
}

fn line_span(text: &str, at: usize) -> Span {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    Span::new(start, end)
}

/// The range `lqls-disable-next-line` covers: the line after the comment, extended over a changeset
/// or change that starts on it.
fn next_line_cover(text: &str, changelog: &ChangeLog, comment_end: usize) -> Span {
    let Some(nl) = text[comment_end..].find('\n') else {
        return Span::new(text.len(), text.len());
    };
    let line = line_span(text, comment_end + nl + 1);
    let mut cover = line;
    for cs in &changelog.changesets {
        if line.contains(cs.span.start) || line.contains(cs.header.start) {
            cover = cover.cover(cs.header);
        }
        for ch in &cs.changes {
            if line.contains(ch.element.span.start) {
                cover = cover.cover(ch.element.span);
            }
        }
    }
    cover
}

fn changeset_cover(text: &str, changelog: &ChangeLog, at: usize) -> Span {
    if let Some(cs) = changelog.changesets.iter().find(|cs| cs.span.contains(at)) {
        return cs.span;
    }
    changelog
        .changesets
        .iter()
        .find(|cs| cs.span.start >= at)
        .map_or(Span::new(text.len(), text.len()), |cs| cs.span)
}

fn comments(text: &str, changelog: &ChangeLog) -> Vec<Comment> {
    let mut out = Vec::new();
    if !text.contains("lqls-disable") {
        return out;
    }
    for m in DIRECTIVE.captures_iter(text) {
        let whole = m.get(0).expect("match");
        if !in_comment(text, whole.start()) {
            continue;
        }
        let scope = match m.get(1).map(|g| g.as_str()) {
            Some("-next-line") => Scope::NextLine,
            Some(_) => Scope::File,
            None => Scope::ChangeSet,
        };
        let list = m.get(2).expect("group");
        let comment_end = text[whole.end()..]
            .find("-->")
            .filter(|&i| !text[whole.end()..whole.end() + i].contains('\n'))
            .map_or(whole.end(), |i| whole.end() + i + 3);
        let covers = match scope {
            Scope::NextLine => next_line_cover(text, changelog, comment_end),
            Scope::ChangeSet => changeset_cover(text, changelog, whole.start()),
            Scope::File => Span::new(0, text.len()),
        };
        let mut entries = Vec::new();
        let mut offset = list.start();
        for part in list.as_str().split(',') {
            let lead = part.len() - part.trim_start().len();
            let code = part.trim();
            let start = offset + lead;
            entries.push(Entry {
                code: canonical(code),
                written: Span::new(start, start + code.len()),
                covers,
                used: false,
            });
            offset += part.len() + 1;
        }
        out.push(Comment {
            line: line_span(text, whole.start()),
            list: Span::new(list.start(), list.end()),
            entries,
        });
    }
    out
}

/// Removes suppressed diagnostics and adds one for each unused or unknown suppression. `active`
/// tells whether a code can fire at all (a suppression of a rule switched off is not reported).
pub fn apply(
    text: &str,
    changelog: &ChangeLog,
    diagnostics: &mut Vec<Diagnostic>,
    active: &dyn Fn(&str) -> bool,
) {
    let mut comments = comments(text, changelog);
    if comments.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let mut keep = true;
        for c in comments.iter_mut() {
            for e in c.entries.iter_mut() {
                if e.code == Some(d.code)
                    && e.covers.start <= d.span.start
                    && d.span.start < e.covers.end.max(e.covers.start + 1)
                {
                    e.used = true;
                    keep = false;
                }
            }
        }
        keep
    });
    for c in &comments {
        for e in &c.entries {
            let message = match e.code {
                None => format!(
                    "unknown code `{}` in this suppression (see `lqls rules`)",
                    &text[e.written.start..e.written.end]
                ),
                Some(code) if !e.used && active(code) => {
                    format!("unused suppression: nothing here reports {code}")
                }
                _ => continue,
            };
            let mut d = Diagnostic::warning(codes::UNUSED_SUPPRESSION, e.written, message);
            d.tags.push(Tag::Unnecessary);
            d.fixes.push(removal(text, c, e));
            diagnostics.push(d);
        }
    }
}

/// Removes one code from its comment, or the whole comment line when it is the only code.
fn removal(text: &str, c: &Comment, e: &Entry) -> Fix {
    if c.entries.len() == 1 {
        return Fix::replace("Remove the unused suppression", c.line, "", true);
    }
    let rest: Vec<&str> = c
        .entries
        .iter()
        .filter(|x| x.written != e.written)
        .map(|x| &text[x.written.start..x.written.end])
        .collect();
    Fix::replace(
        format!(
            "Remove `{}` from the suppression",
            &text[e.written.start..e.written.end]
        ),
        c.list,
        rest.join(", "),
        true,
    )
}

/// The "disable this rule here" quick fix: a `lqls-disable-next-line` comment above the line of the
/// finding, indented like it. Inside text content (an SQL body, a block scalar) a comment line would
/// change the SQL, so the comment goes above the change instead, as a changeset-wide `lqls-disable`.
/// JSON has no comments: no fix.
pub fn disable_fix(text: &str, changelog: &ChangeLog, span: Span, code: &str) -> Option<Fix> {
    let (open, close) = match changelog.format {
        Format::Xml => ("<!-- ", " -->"),
        Format::Yaml => ("# ", ""),
        Format::Sql => ("-- ", ""),
        Format::Json => return None,
    };
    let in_text = changelog
        .changesets
        .iter()
        .flat_map(|cs| cs.changes.iter())
        .find(|ch| {
            ch.element
                .text
                .as_ref()
                .is_some_and(|t| t.span.contains(span.start) || t.span.start == span.start)
        });
    if changelog.format == Format::Sql {
        // Formatted SQL: everything after `--changeset` is the changeset's SQL, so the comment goes
        // right below the header line and covers the changeset.
        let cs = changelog
            .changesets
            .iter()
            .find(|cs| cs.span.contains(span.start))?;
        let after = line_span(text, cs.header.start).end;
        return Some(Fix::replace(
            format!("Disable {code} for this changeset"),
            Span::new(after, after),
            format!("-- lqls-disable {code}\n"),
            false,
        ));
    }
    let (at, directive) = match in_text {
        Some(ch) => (ch.element.span.start, "lqls-disable"),
        None => (span.start.min(text.len()), "lqls-disable-next-line"),
    };
    let line = line_span(text, at);
    let indent: String = text[line.start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    Some(Fix::replace(
        format!("Disable {code} here"),
        Span::new(line.start, line.start),
        format!("{indent}{open}{directive} {code}{close}\n"),
        false,
    ))
}
