//! A changeset's rollback, gathered from `--rollback` lines and `/* liquibase rollback */` blocks.
//!
//! Liquibase joins the pieces and then decides what they mean: text starting with `not required` or
//! `empty` is an empty rollback; text mentioning `changesetId` refers to another changeset (whose changes
//! are rolled back); anything else is raw SQL.

use std::collections::HashMap;
use std::sync::Arc;

use super::elements::{element, keyed};
use super::lines::Line;
use crate::diagnostics::codes;
use crate::model::{
    Attr, Change, ChangeSet, ChangeSetRef, Diagnostic, Element, Rollback, Span, Spanned,
};

/// The rollback text of one changeset, with where each piece came from.
#[derive(Debug, Default)]
pub struct Gathered {
    /// (piece text, its span); `--rollback` pieces end with a line break, block lines do not (as in
    /// Liquibase, which concatenates block lines as they are).
    pieces: Vec<(String, Span)>,
    /// Every line that contributed, for the rollback's span.
    span: Option<Span>,
}

impl Gathered {
    pub fn push_line(&mut self, line: &Line, from: usize) {
        self.pieces.push((
            format!("{}\n", &line.text[from..]),
            line.span(from, line.text.len()),
        ));
        self.cover(line.trimmed_span());
    }

    /// A line of a `/* liquibase rollback` block, up to `to`.
    pub fn push_block_line(&mut self, line: &Line, to: usize) {
        self.pieces
            .push((line.text[..to].to_string(), line.span(0, to)));
        self.cover(line.trimmed_span());
    }

    pub fn cover(&mut self, span: Span) {
        self.span = Some(self.span.map_or(span, |s| s.cover(span)));
    }

    fn text(&self) -> String {
        self.pieces.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// Span of the non-blank content.
    fn content_span(&self) -> Span {
        let mut spans = self.pieces.iter().filter(|(t, _)| !t.trim().is_empty());
        let first = spans.next().map(|(_, s)| *s);
        let last = self
            .pieces
            .iter()
            .rev()
            .find(|(t, _)| !t.trim().is_empty())
            .map(|(_, s)| *s);
        match (first, last) {
            (Some(a), Some(b)) => a.cover(b),
            _ => self.span.unwrap_or_default(),
        }
    }
}

/// The changesets before the current one in this file, indexed by (id, author) so that looking up a
/// rollback reference stays cheap in files with many of them.
pub struct Earlier<'a> {
    pub changesets: &'a [ChangeSet],
    pub index: &'a HashMap<(String, String), usize>,
}

impl Earlier<'_> {
    fn find(&self, id: &str, author: &str) -> Option<&ChangeSet> {
        let i = *self.index.get(&(id.to_string(), author.to_string()))?;
        self.changesets.get(i)
    }
}

/// Options from the changeset header that apply to rollback SQL.
pub struct Options<'a> {
    pub split_statements: Option<&'a Attr>,
    pub end_delimiter: Option<&'a Attr>,
}

/// The changeset being read: its id, author and changes.
type Own<'a> = (
    &'a Option<Spanned<String>>,
    &'a Option<Spanned<String>>,
    &'a [Change],
);

/// Builds the rollback, if any text was gathered. `earlier` are the changesets before this one in the
/// file (a `changesetId` reference is looked up there, and in this changeset itself via `own`).
pub fn lower(
    g: &Gathered,
    opts: Options,
    own: Own,
    earlier: &Earlier,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Rollback, Element)> {
    let span = g.span?;
    let text = g.text();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let lower = trimmed.to_ascii_lowercase();
    let mut el = element("rollback", span, span);
    let mut rb = Rollback {
        span,
        ..Rollback::default()
    };
    if lower.starts_with("not required") || lower.starts_with("empty") {
        let empty = element("empty", g.content_span(), g.content_span());
        rb.empty = true;
        rb.changes.push(Change {
            kind: Spanned::new("empty".into(), empty.span),
            element: empty,
        });
    } else if lower.contains("changesetid") {
        reference(g, &mut rb, &mut el, own, earlier, diags);
    } else {
        let cs = g.content_span();
        let value = Spanned::new(trimmed.to_string(), cs);
        let mut sql = element("sql", cs, cs);
        for (a, name) in [
            (opts.split_statements, "splitStatements"),
            (opts.end_delimiter, "endDelimiter"),
        ] {
            if let Some(a) = a {
                sql.attrs
                    .push(super::elements::attr(name, a.name.span, a.value.clone()));
            }
        }
        sql.text = Some(value.clone());
        rb.sql = Some(value);
        rb.changes.push(Change {
            kind: Spanned::new("sql".into(), cs),
            element: sql.clone(),
        });
        el.children.push(Arc::new(sql));
    }
    Some((rb, el))
}

/// `changesetId:x changesetAuthor:y [changesetPath:z]`, read from the joined pieces like Liquibase does
/// (last occurrence of each key, case-insensitive). The keys are read piece by piece for exact spans.
fn reference(
    g: &Gathered,
    rb: &mut Rollback,
    el: &mut Element,
    own: Own,
    earlier: &Earlier,
    diags: &mut Vec<Diagnostic>,
) {
    // Liquibase removes the line breaks and reads the keys from one string, so a value at the end of
    // one line runs into the next line's text. Do the same, then map offsets back to the document.
    let mut joined = String::new();
    let mut starts = Vec::new(); // (offset in joined, document offset)
    for (t, span) in &g.pieces {
        starts.push((joined.len(), span.start));
        joined.push_str(t.trim_end_matches('\n'));
    }
    let to_doc = |off: usize, is_end: bool| {
        let k = starts.partition_point(|&(j, _)| if is_end { j < off } else { j <= off });
        starts
            .get(k.saturating_sub(1))
            .map_or(off, |&(j, d)| d + (off - j))
    };
    let piece_of = |off: usize| starts.partition_point(|&(j, _)| j <= off);
    let whole = Line {
        text: &joined,
        start: 0,
        number: 0,
    };
    let mut glued = None;
    let mut find = |key: &str, name: &str| {
        let mut a = keyed(&whole, 0, key, name, false)?;
        let (vs, ve) = (a.value.span.start, a.value.span.end);
        if piece_of(vs) != piece_of(ve.saturating_sub(1)) {
            glued.get_or_insert((a.value.value.clone(), to_doc(vs, false), to_doc(ve, true)));
        }
        a.name.span = Span::new(
            to_doc(a.name.span.start, false),
            to_doc(a.name.span.end, true),
        );
        a.value.span = Span::new(to_doc(vs, false), to_doc(ve, true));
        Some(a)
    };
    let id = find("changesetId:", "changeSetId");
    let author = find("changesetAuthor:", "changeSetAuthor");
    let path = find("changesetPath:", "changeSetPath");
    if let Some((value, from, to)) = glued {
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            Span::new(from, to),
            format!("Liquibase joins rollback lines without a separator, so this value reads as `{value}`; write the whole reference on one line"),
        ));
        return;
    }
    for (a, key) in [(&id, "changesetId"), (&author, "changesetAuthor")] {
        if a.is_none() {
            diags.push(Diagnostic::error(
                codes::SQL_HEADER,
                g.content_span(),
                format!("`{key}` is not set in this rollback reference: write `--rollback changesetId:<id> changesetAuthor:<author>`"),
            ));
        }
    }
    rb.changeset_ref = Some(ChangeSetRef {
        id: id.as_ref().map(|a| a.value.clone()),
        author: author.as_ref().map(|a| a.value.clone()),
        path: path.as_ref().map(|a| a.value.clone()),
    });
    el.attrs.extend(
        [id.clone(), author.clone(), path.clone()]
            .into_iter()
            .flatten(),
    );
    let (Some(id), Some(author)) = (id, author) else {
        return;
    };
    if path.is_some() {
        return; // another file: cannot be checked from here
    }
    let same = |i: &Option<Spanned<String>>, a: &Option<Spanned<String>>| {
        i.as_ref().is_some_and(|i| i.value == id.value.value)
            && a.as_ref().is_some_and(|a| a.value == author.value.value)
    };
    if same(own.0, own.1) {
        rb.changes.extend(own.2.iter().cloned());
    } else if let Some(target) = earlier.find(&id.value.value, &author.value.value) {
        rb.changes.extend(target.changes.iter().cloned());
    } else {
        diags.push(Diagnostic::warning(
            codes::SQL_HEADER,
            id.value.span,
            format!(
                "no changeset {}:{} before this one in this file; Liquibase rejects the file unless a changelog that includes it defines it",
                author.value.value, id.value.value
            ),
        ));
    }
}
