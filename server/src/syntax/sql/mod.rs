//! Liquibase's formatted-SQL changelogs (`--liquibase formatted sql`), read line by line the way
//! Liquibase 4.29 reads them.
//!
//! Liquibase's parser is line based and knows nothing about SQL: a `--changeset` line inside a string or
//! a block comment still starts a changeset, and every directive is recognised by the shape of its line
//! alone. This parser follows the same rules (see `directives` for the shapes and `header` for the
//! `--changeset` line), keeps going after every error so a half-typed file still yields its complete
//! changesets, and lowers each changeset to the XML shape: `changeSet` with `validCheckSum`,
//! `preConditions`, `comment`, one `sql` change holding the body, and `rollback`.

mod changeset;
mod directives;
mod elements;
mod header;
mod lines;
mod preconditions;
mod rollback;
mod scan;
#[cfg(test)]
mod tests;
mod toplevel;

use std::collections::HashMap;
use std::sync::Arc;

use changeset::Pending;
use directives::{Directive, Global};
use elements::{element, keyed};
use lines::Line;

/// The `--changeset` header attributes Liquibase reads, with whether each is a boolean (completion
/// proposes them).
pub use header::ATTRIBUTES as HEADER_ATTRIBUTES;

use crate::diagnostics::codes;
use crate::model::{ChangeLog, Diagnostic, Element, Format, Parsed, Span, Spanned};

pub fn parse(text: &str) -> Parsed {
    let mut p = Parser {
        log: ChangeLog::empty(Format::Sql),
        root: element(
            "databaseChangeLog",
            Span::default(),
            Span::new(0, text.len()),
        ),
        diags: Vec::new(),
        pending: None,
        warned_outside: false,
        index: HashMap::new(),
    };
    let lines = lines::split(text);
    p.check_first_line(&lines, text);
    let mut i = 0;
    while i < lines.len() {
        i = p.line(&lines, i);
    }
    p.close_changeset();
    p.log.root = Some(p.root);
    Parsed {
        changelog: p.log,
        diagnostics: p.diags,
    }
}

struct Parser<'a> {
    log: ChangeLog,
    root: Element,
    diags: Vec<Diagnostic>,
    pending: Option<Pending<'a>>,
    /// SQL before the first changeset is reported once, not on every line.
    warned_outside: bool,
    /// (id, author) → position in `log.changesets`, for rollback references.
    index: HashMap<(String, String), usize>,
}

impl<'a> Parser<'a> {
    /// Liquibase picks the formatted-SQL parser only when the first non-blank line is the header.
    fn check_first_line(&mut self, lines: &[Line], text: &str) {
        match lines.iter().find(|l| !l.text.trim().is_empty()) {
            Some(l) if directives::is_changelog_header(l.text) => {
                self.root.name.span = l.trimmed_span();
            }
            Some(l) => {
                // A plain SQL file (an sqlFile target, say): one error is enough.
                self.warned_outside = true;
                self.diags.push(Diagnostic::error(
                    codes::NOT_A_CHANGELOG,
                    l.trimmed_span(),
                    "a formatted-SQL changelog must start with `--liquibase formatted sql`",
                ))
            }
            None => self.diags.push(Diagnostic::error(
                codes::NOT_A_CHANGELOG,
                Span::new(0, text.len()),
                "empty file: a formatted-SQL changelog starts with `--liquibase formatted sql`",
            )),
        }
    }

    /// Handles line `i`; returns the index of the next line to read.
    fn line(&mut self, lines: &[Line<'a>], i: usize) -> usize {
        let line = &lines[i];
        let s = line.text;
        match directives::classify_global(s) {
            Some(Global::Property(from)) => {
                let prop = toplevel::property(line, from);
                self.root.children.push(Arc::new(prop.element.clone()));
                self.log.properties.push(prop);
                self.touch(line);
                return i + 1;
            }
            Some(Global::Rejected(expected)) => {
                self.unexpected(line, expected);
                self.touch(line);
                return i + 1;
            }
            Some(Global::IgnoreLines(from, to)) => return self.ignore_lines(lines, i, from, to),
            Some(Global::Include(kind, from)) => {
                self.close_changeset();
                let inc = toplevel::include(line, kind, from, &mut self.diags);
                self.root.children.push(Arc::new(inc.element.clone()));
                self.log.includes.push(inc);
                return i + 1;
            }
            Some(Global::ChangeSet) => {
                if let Some(h) = header::parse(line, &mut self.diags) {
                    self.close_changeset();
                    self.pending = Some(Pending::new(line, h));
                } else {
                    self.touch(line);
                }
                return i + 1;
            }
            None => {}
        }
        if directives::is_changelog_header(s) {
            if let Some(a) = keyed(line, 0, "logicalFilePath:", "logicalFilePath", false) {
                self.log.logical_file_path = Some(a.value.clone());
                self.root
                    .attrs
                    .retain(|x| x.name.value != "logicalFilePath");
                self.root.attrs.push(a);
            }
        }
        if self.pending.is_some() {
            return self.changeset_line(lines, i);
        }
        if directives::comment(s).is_some() {
            self.diags.push(Diagnostic::error(
                codes::SQL_HEADER,
                line.trimmed_span(),
                format!(
                    "Liquibase rejects a `--comment` outside a changeset (line {}); move it below a `--changeset` line or make it a plain `-- ` comment",
                    line.number
                ),
            ));
        } else if !self.warned_outside && looks_like_sql(s) {
            self.warned_outside = true;
            self.diags.push(Diagnostic::warning(
                codes::SQL_HEADER,
                line.trimmed_span(),
                "this SQL is not in a changeset, so Liquibase ignores it; add a `--changeset author:id` line above it",
            ));
        }
        i + 1
    }

    fn changeset_line(&mut self, lines: &[Line<'a>], i: usize) -> usize {
        let line = &lines[i];
        let Some(cs) = self.pending.as_mut() else {
            return i + 1;
        };
        cs.touch(line);
        match directives::classify(line.text) {
            Directive::Comment(from) => {
                cs.comment = Some(Spanned::new(
                    line.text[from..].to_string(),
                    line.span(from, line.text.len()),
                ));
            }
            Directive::ValidCheckSum(from) => cs.checksums.push(Spanned::new(
                line.text[from..].to_string(),
                line.span(from, line.text.len()),
            )),
            Directive::Rollback(from) => cs.rollback.push_line(line, from),
            Directive::RollbackBlockStart => return self.rollback_block(lines, i),
            Directive::Preconditions(from) => {
                preconditions::options(&mut cs.preconditions, line, from, &mut self.diags)
            }
            Directive::Precondition(a, b, body) => preconditions::precondition(
                &mut cs.preconditions,
                line,
                (a, b),
                Some(body),
                &mut self.diags,
            ),
            Directive::EmptyPrecondition(a, b) => preconditions::precondition(
                &mut cs.preconditions,
                line,
                (a, b),
                None,
                &mut self.diags,
            ),
            Directive::Rejected(expected) => self.unexpected(line, expected),
            Directive::Body => {
                cs.body.push(*line);
                if let Some((name, span)) = header_attr_on_own_line(line) {
                    self.diags.push(Diagnostic::warning(
                        codes::SQL_HEADER,
                        span,
                        format!("Liquibase reads `{name}` only on the `--changeset` line; here it is a plain SQL comment. Move it to the header"),
                    ));
                }
            }
        }
        i + 1
    }

    /// `/* liquibase rollback` ... `*/`: Liquibase reads these lines raw, without looking for any other
    /// directive, and joins them without line breaks.
    fn rollback_block(&mut self, lines: &[Line<'a>], start: usize) -> usize {
        let Some(cs) = self.pending.as_mut() else {
            return start + 1;
        };
        cs.rollback.cover(lines[start].trimmed_span());
        for (j, line) in lines.iter().enumerate().skip(start + 1) {
            cs.touch(line);
            if let Some(to) = directives::rollback_block_end(line.text) {
                if !line.text[..to].trim().is_empty() {
                    cs.rollback.push_block_line(line, to);
                } else {
                    cs.rollback.cover(line.trimmed_span());
                }
                return j + 1;
            }
            cs.rollback.push_block_line(line, line.text.len());
        }
        self.diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            lines[start].trimmed_span(),
            "this `/* liquibase rollback` block is not closed: end it with `*/`",
        ));
        lines.len()
    }

    /// `--ignoreLines:start` ... `--ignoreLines:end`, or `--ignoreLines:<count>`.
    fn ignore_lines(&mut self, lines: &[Line<'a>], i: usize, from: usize, to: usize) -> usize {
        let line = &lines[i];
        let value = &line.text[from..to];
        if value == "start" {
            for (j, l) in lines.iter().enumerate().skip(i + 1) {
                match directives::classify_global(l.text) {
                    Some(Global::IgnoreLines(a, b)) if &l.text[a..b] == "end" => return j + 1,
                    Some(Global::Rejected(e)) if e.starts_with("--ignoreLines") => {
                        self.unexpected(l, "--ignoreLines:end")
                    }
                    _ => {}
                }
            }
            self.diags.push(Diagnostic::warning(
                codes::SQL_HEADER,
                line.span(from, to),
                "`--ignoreLines:start` has no `--ignoreLines:end`: Liquibase ignores everything to the end of the file",
            ));
            return lines.len();
        }
        match value.parse::<u64>() {
            Ok(n) => i
                .saturating_add(1)
                .saturating_add(usize::try_from(n).unwrap_or(usize::MAX))
                .min(lines.len()),
            Err(_) => {
                self.diags.push(Diagnostic::error(
                    codes::SQL_HEADER,
                    line.span(from, to),
                    format!("unknown ignoreLines value `{value}`: write `--ignoreLines:<count>` or `--ignoreLines:start` ... `--ignoreLines:end`"),
                ));
                i + 1
            }
        }
    }

    fn unexpected(&mut self, line: &Line, expected: &str) {
        self.diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            line.trimmed_span(),
            format!(
                "Liquibase rejects this line (unexpected formatting at line {}); expected `{expected}`",
                line.number
            ),
        ));
    }

    fn touch(&mut self, line: &Line) {
        if let Some(cs) = self.pending.as_mut() {
            cs.touch(line);
        }
    }

    fn close_changeset(&mut self) {
        if let Some(p) = self.pending.take() {
            let earlier = rollback::Earlier {
                changesets: &self.log.changesets,
                index: &self.index,
            };
            let cs = p.finish(&earlier, &mut self.diags);
            let key = (cs.id_str().to_string(), cs.author_str().to_string());
            self.index.insert(key, self.log.changesets.len());
            self.root.span = self.root.span.cover(cs.span);
            self.root.children.push(Arc::new(cs.element.clone()));
            self.log.changesets.push(cs);
        }
    }
}

/// `--context: dev` (or any other header attribute) on a line of its own: a common mistake, since
/// Liquibase 4.29 has no such directive and keeps the line as SQL.
fn header_attr_on_own_line(line: &Line) -> Option<(&'static str, Span)> {
    let s = line.text;
    let i = scan::skip_ws(s, scan::keyword(s, 0, "--")?);
    header::ATTRIBUTES.iter().find_map(|(name, _)| {
        let end = scan::keyword(s, i, name)?;
        let colon = scan::skip_ws(s, end);
        (s.as_bytes().get(colon) == Some(&b':')).then(|| (*name, line.span(i, end)))
    })
}

/// A non-blank line that is not a comment (lines inside a leading `/* ... */` are treated as comment).
fn looks_like_sql(s: &str) -> bool {
    let t = s.trim();
    !(t.is_empty()
        || t.starts_with("--")
        || t.starts_with("/*")
        || t.starts_with('*')
        || t.ends_with("*/"))
}
