//! One changeset while it is being read, and its lowering to the model once its last line is known.

use super::elements::{attr, element};
use super::header::Header;
use super::lines::Line;
use super::rollback::{self, Gathered};
use crate::diagnostics::codes;
use crate::model::{Attr, Change, ChangeSet, Diagnostic, Element, Span, Spanned};

pub struct Pending<'a> {
    pub header_span: Span,
    pub header: Header,
    pub body: Vec<Line<'a>>,
    pub rollback: Gathered,
    pub comment: Option<Spanned<String>>,
    pub checksums: Vec<Spanned<String>>,
    pub preconditions: Option<Element>,
    /// End of the last non-blank line that belongs to the changeset.
    pub end: usize,
}

impl<'a> Pending<'a> {
    pub fn new(line: &Line<'a>, header: Header) -> Self {
        let header_span = line.trimmed_span();
        Pending {
            header_span,
            header,
            body: Vec::new(),
            rollback: Gathered::default(),
            comment: None,
            checksums: Vec::new(),
            preconditions: None,
            end: header_span.end,
        }
    }

    /// Records that `line` belongs to this changeset (for its span).
    pub fn touch(&mut self, line: &Line) {
        if !line.text.trim().is_empty() {
            self.end = self.end.max(line.trimmed_span().end);
        }
    }

    fn header_attr(&self, name: &str) -> Option<&Attr> {
        self.header
            .attrs
            .iter()
            .rev()
            .find(|a| a.name.value == name)
    }

    /// The body SQL, trimmed as Liquibase trims it, with the span of its non-blank part.
    fn body(&self) -> Option<Spanned<String>> {
        let first = self.body.iter().position(|l| !l.text.trim().is_empty())?;
        let last = self.body.iter().rposition(|l| !l.text.trim().is_empty())?;
        let lines = &self.body[first..=last];
        let text = lines.iter().map(|l| l.text).collect::<Vec<_>>().join("\n");
        let span = lines[0]
            .trimmed_span()
            .cover(lines[lines.len() - 1].trimmed_span());
        Some(Spanned::new(text.trim().to_string(), span))
    }

    pub fn finish(self, earlier: &rollback::Earlier, diags: &mut Vec<Diagnostic>) -> ChangeSet {
        let span = Span::new(self.header_span.start, self.end);
        let body = self.body();
        if body.is_none() && self.header.id.is_some() {
            diags.push(Diagnostic::error(
                codes::SQL_HEADER,
                self.header_span,
                "this changeset has no SQL: Liquibase rejects it; write the SQL on the lines after the header",
            ));
        }
        let sql_span = body.as_ref().map_or(self.header_span, |b| b.span);
        let mut sql = element("sql", sql_span, sql_span);
        for name in ["splitStatements", "stripComments", "endDelimiter"] {
            if let Some(a) = self.header_attr(name) {
                sql.attrs.push(a.clone());
            }
        }
        sql.text = body;
        let change = Change {
            kind: Spanned::new("sql".into(), sql_span),
            element: sql.clone(),
        };
        let changes = vec![change];

        let mut attrs = Vec::new();
        if let Some(id) = &self.header.id {
            attrs.push(attr("id", id.span, id.clone()));
        }
        if let Some(author) = &self.header.author {
            attrs.push(attr("author", author.span, author.clone()));
        }
        attrs.extend(self.header.attrs.iter().cloned());

        let opts = rollback::Options {
            split_statements: self.header_attr("rollbackSplitStatements"),
            end_delimiter: self.header_attr("rollbackEndDelimiter"),
        };
        let own = (&self.header.id, &self.header.author, changes.as_slice());
        let rolled = rollback::lower(&self.rollback, opts, own, earlier, diags);

        // Children in the order of Liquibase's XSD: validCheckSum, preConditions, comment, changes, rollback.
        let mut el = element("changeSet", self.header_span, span);
        el.attrs = attrs.clone();
        for c in &self.checksums {
            let mut v = element("validCheckSum", c.span, c.span);
            v.text = Some(c.clone());
            el.children.push(v);
        }
        el.children.extend(self.preconditions.iter().cloned());
        if let Some(c) = &self.comment {
            let mut v = element("comment", c.span, c.span);
            v.text = Some(c.clone());
            el.children.push(v);
        }
        el.children.push(sql);
        let mut rollbacks = Vec::new();
        if let Some((rb, rel)) = rolled {
            el.children.push(rel);
            rollbacks.push(rb);
        }
        ChangeSet {
            id: self.header.id,
            author: self.header.author,
            attrs,
            comment: self.comment,
            changes,
            rollbacks,
            preconditions: self.preconditions,
            valid_checksums: self.checksums,
            span,
            header: self.header_span,
            element: el,
        }
    }
}
