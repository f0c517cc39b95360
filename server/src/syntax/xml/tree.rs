//! quick-xml events → the generic element tree, with spans and recovery.
//!
//! End tags are matched here rather than by quick-xml so that a mismatch can be repaired the way an
//! editor user expects: an end tag that closes an element further up closes the ones in between (each
//! reported as unclosed), an end tag that closes nothing is reported and skipped. After a tokenizer
//! error the reader restarts at the next `<`, so one half-typed tag does not hide the rest of the file.

use std::collections::HashMap;

use quick_xml::errors::{Error, IllFormedError, SyntaxError};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::escape::{self, Resolved};
use super::names::{self, Scopes};
use super::tag;
use crate::diagnostics::codes;
use crate::model::{Attr, Diagnostic, Element, Span, Spanned};
use crate::syntax::MAX_DEPTH;

/// Syntax errors reported per file before giving up: past this the file is not XML at all and more
/// messages help nobody.
const MAX_SYNTAX_ERRORS: usize = 100;

const XMLNS_URI: &str = "http://www.w3.org/2000/xmlns/";

pub struct Tree {
    pub root: Option<Element>,
    /// The start tag of every `changeSet`, keyed by the element's start offset.
    pub start_tags: HashMap<usize, Span>,
    pub diagnostics: Vec<Diagnostic>,
}

struct Open {
    el: Element,
    qname: String,
    ns_mark: usize,
    /// Leading whitespace seen before any text: kept only if real text follows.
    pending_ws: Option<Span>,
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Open>,
    scopes: Scopes,
    root: Option<Element>,
    /// Open elements beyond MAX_DEPTH, skipped.
    skipped: usize,
    doctype: bool,
    start_tags: HashMap<usize, Span>,
    diags: Vec<Diagnostic>,
    syntax_errors: usize,
    /// Set when a half-typed tag swallowed the start of the next one: reading restarts there.
    resume_at: Option<usize>,
}

pub fn build(text: &str) -> Tree {
    let mut b = Builder {
        text,
        stack: Vec::new(),
        scopes: Scopes::default(),
        root: None,
        skipped: 0,
        doctype: false,
        start_tags: HashMap::new(),
        diags: Vec::new(),
        syntax_errors: 0,
        resume_at: None,
    };
    // A byte-order mark is not content; spans stay offsets into the text as given.
    let mut base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    'restart: loop {
        let mut reader = Reader::from_str(&text[base..]);
        let cfg = reader.config_mut();
        cfg.check_end_names = false;
        cfg.allow_unmatched_ends = true;
        cfg.check_comments = true;
        loop {
            let before = base + reader.buffer_position() as usize;
            match reader.read_event() {
                Ok(Event::Eof) => break 'restart,
                Ok(ev) => {
                    let after = base + reader.buffer_position() as usize;
                    b.event(ev, before, after);
                    if let Some(at) = b.resume_at.take() {
                        base = at;
                        continue 'restart;
                    }
                }
                Err(e) => {
                    let at = base + reader.error_position() as usize;
                    b.tokenizer_error(&e, at);
                    if b.syntax_errors >= MAX_SYNTAX_ERRORS {
                        break 'restart;
                    }
                    // `at` is at or after `base`, so the restart point always moves forward.
                    match text.get(at + 1..).and_then(|rest| rest.find('<')) {
                        Some(i) => {
                            base = at + 1 + i;
                            continue 'restart;
                        }
                        None => break 'restart,
                    }
                }
            }
        }
    }
    b.finish()
}

impl<'t> Builder<'t> {
    fn event(&mut self, ev: Event<'_>, before: usize, after: usize) {
        match ev {
            Event::Start(_) => self.start(before, after, false),
            Event::Empty(_) => self.start(before, after, true),
            Event::End(_) => self.end(before, after),
            Event::Text(_) => {
                let raw = &self.text[before..after];
                self.push_text(raw, Span::new(before, after));
            }
            Event::CData(_) => {
                let inner = Span::new(before + 9, after.saturating_sub(3).max(before + 9));
                let raw = &self.text[inner.start..inner.end];
                self.push_text(raw, inner);
            }
            Event::GeneralRef(_) => self.reference(before, after),
            Event::DocType(_) => self.doctype = true,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::Eof => {}
        }
    }

    fn syntax(&mut self, span: Span, message: impl Into<String>) {
        self.syntax_errors += 1;
        self.diags
            .push(Diagnostic::error(codes::SYNTAX, span, message.into()));
    }

    fn tokenizer_error(&mut self, e: &Error, at: usize) {
        let message = match e {
            Error::Syntax(SyntaxError::UnclosedTag) => {
                "this tag is never closed: finish it with `>` or `/>`".to_string()
            }
            Error::Syntax(SyntaxError::UnclosedComment) => {
                "this comment is never closed: end it with `-->`".to_string()
            }
            Error::Syntax(SyntaxError::UnclosedCData) => {
                "this CDATA section is never closed: end it with `]]>`".to_string()
            }
            Error::IllFormed(IllFormedError::DoubleHyphenInComment) => {
                "`--` is not allowed inside an XML comment".to_string()
            }
            Error::IllFormed(IllFormedError::UnclosedReference) => {
                "a bare `&` must be written `&amp;`".to_string()
            }
            other => format!("not well-formed XML: {other}"),
        };
        let end = next_boundary(self.text, at);
        self.syntax(Span::new(at.min(self.text.len()), end), message);
    }

    fn start(&mut self, before: usize, after: usize, empty: bool) {
        if self.skipped > 0 || self.stack.len() >= MAX_DEPTH {
            if self.skipped == 0 {
                self.diags.push(Diagnostic::warning(
                    codes::TOO_DEEP,
                    Span::new(before, after),
                    format!("elements nested deeper than {MAX_DEPTH} levels are not checked"),
                ));
            }
            if !empty {
                self.skipped += 1;
            }
            return;
        }
        let content_end = if empty { after - 2 } else { after - 1 };
        let content = &self.text[before + 1..content_end.max(before + 1)];
        let raw = tag::scan(content, before + 1, &mut self.diags);
        self.syntax_errors += usize::from(raw.stray_lt.is_some());
        self.resume_at = raw.stray_lt;
        if local_name(raw.qname) == "changeSet" {
            self.close_open_changeset(raw.qname);
        }
        let ns_mark = self.scopes.mark();
        for a in &raw.attrs {
            if a.qname == "xmlns" {
                self.scopes.bind("", a.raw_value);
            } else if let Some(prefix) = a.qname.strip_prefix("xmlns:") {
                self.scopes.bind(prefix, a.raw_value);
            }
        }
        let (prefix, local) = names::split(raw.qname);
        let namespace = match self.scopes.resolve(prefix.unwrap_or("")) {
            Some(uri) if names::is_liquibase(uri) => None,
            Some(uri) => Some(uri.to_string()),
            None => match prefix {
                None => None,
                Some(p) => {
                    self.syntax(
                        raw.name_span,
                        format!("namespace prefix `{p}` is not declared: add xmlns:{p}=\"...\""),
                    );
                    Some(p.to_string())
                }
            },
        };
        let mut attrs = Vec::with_capacity(raw.attrs.len());
        for a in &raw.attrs {
            if a.qname == "xmlns" || a.qname.starts_with("xmlns:") {
                continue;
            }
            let (prefix, local) = names::split(a.qname);
            let namespace = match prefix {
                None => None,
                Some(p) => Some(match self.scopes.resolve(p) {
                    Some(uri) => uri.to_string(),
                    None if p == "xmlns" => XMLNS_URI.to_string(),
                    None => {
                        self.syntax(
                            a.name_span,
                            format!(
                                "namespace prefix `{p}` is not declared: add xmlns:{p}=\"...\""
                            ),
                        );
                        p.to_string()
                    }
                }),
            };
            let value = escape::attr_value(
                a.raw_value,
                a.value_span.start,
                self.doctype,
                &mut self.diags,
            );
            let local_start = a.name_span.end - local.len();
            attrs.push(Attr {
                name: Spanned::new(local.to_string(), Span::new(local_start, a.name_span.end)),
                value: Spanned::new(value, a.value_span),
                namespace,
            });
        }
        let local_start = raw.name_span.end - local.len();
        let el = Element {
            name: Spanned::new(local.to_string(), Span::new(local_start, raw.name_span.end)),
            namespace,
            attrs,
            children: Vec::new(),
            text: None,
            span: Span::new(before, after),
        };
        if local == "changeSet" {
            self.start_tags.insert(before, Span::new(before, after));
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.pending_ws = None;
        } else if self.root.is_some() {
            self.syntax(
                el.name.span,
                "a changelog has exactly one root element; this one comes after `</databaseChangeLog>`",
            );
        }
        let open = Open {
            el,
            qname: raw.qname.to_string(),
            ns_mark,
            pending_ws: None,
        };
        if empty {
            self.close(open, after);
        } else {
            self.stack.push(open);
        }
    }

    /// A changeset never contains another: a `<changeSet` while one is open means the open one was
    /// left unfinished (typically a half-typed start tag), so it is closed here rather than swallowing
    /// every changeset after it.
    fn close_open_changeset(&mut self, qname: &str) {
        let Some(at) = self.stack.iter().rposition(|o| o.qname == qname) else {
            return;
        };
        while self.stack.len() > at {
            let open = self.stack.pop().expect("stack is longer than at");
            self.syntax(
                open.el.name.span,
                format!(
                    "`<{0}>` is not closed before the next `<changeSet>`: add `</{0}>`",
                    open.qname
                ),
            );
            let end = open.el.span.end.max(
                self.start_tags
                    .get(&open.el.span.start)
                    .map_or(0, |s| s.end),
            );
            self.close(open, end);
        }
    }

    fn end(&mut self, before: usize, after: usize) {
        if self.skipped > 0 {
            self.skipped -= 1;
            return;
        }
        let name = self.text[before + 2..after.saturating_sub(1).max(before + 2)].trim_end();
        let name_span = Span::new(before + 2, before + 2 + name.len());
        let Some(at) = self.stack.iter().rposition(|o| o.qname == name) else {
            self.syntax(
                name_span,
                match self.stack.last() {
                    Some(open) => format!(
                        "`</{name}>` does not close anything: the open element is `<{}>`",
                        open.qname
                    ),
                    None => format!("`</{name}>` does not close anything"),
                },
            );
            return;
        };
        while self.stack.len() > at + 1 {
            let open = self.stack.pop().expect("stack is longer than at + 1");
            self.syntax(
                open.el.name.span,
                format!(
                    "`<{0}>` is not closed before `</{name}>`: add `</{0}>` or write it as `<{0} .../>`",
                    open.qname
                ),
            );
            self.close(open, before);
        }
        let open = self.stack.pop().expect("the matching element is open");
        self.close(open, after);
    }

    fn close(&mut self, mut open: Open, end: usize) {
        open.el.span.end = end;
        if open
            .el
            .text
            .as_ref()
            .is_some_and(|t| t.value.trim().is_empty())
        {
            open.el.text = None;
        }
        self.scopes.reset(open.ns_mark);
        if let Some(parent) = self.stack.last_mut() {
            parent.el.children.push(open.el);
        } else if self.root.is_none() {
            self.root = Some(open.el);
        }
    }

    fn push_text(&mut self, raw: &str, span: Span) {
        let blank = raw.trim().is_empty();
        if self.skipped > 0 {
            return;
        }
        let Some(top) = self.stack.last_mut() else {
            if !blank {
                let lead = raw.len() - raw.trim_start().len();
                let s = Span::new(span.start + lead, span.start + raw.trim_end().len());
                let message = if self.root.is_some() {
                    "text after `</databaseChangeLog>` is not allowed"
                } else {
                    "text before the root element is not allowed"
                };
                self.syntax(s, message);
            }
            return;
        };
        match &mut top.el.text {
            None if blank => {
                top.pending_ws = Some(top.pending_ws.map_or(span, |p| p.cover(span)));
            }
            None => {
                let mut value = String::new();
                let mut start = span.start;
                if let Some(ws) = top.pending_ws.take() {
                    value.push_str(&self.text[ws.start..ws.end]);
                    start = ws.start;
                }
                value.push_str(raw);
                top.el.text = Some(Spanned::new(value, Span::new(start, span.end)));
            }
            Some(t) => {
                t.value.push_str(raw);
                t.span.end = span.end;
            }
        }
    }

    fn reference(&mut self, before: usize, after: usize) {
        let name = &self.text[before + 1..after.saturating_sub(1).max(before + 1)];
        let span = Span::new(before, after);
        match escape::resolve(name) {
            Resolved::Char(c) => {
                let mut buf = [0u8; 4];
                self.push_text(c.encode_utf8(&mut buf), span);
            }
            how => {
                let d = escape::unresolved(name, span, self.doctype, how);
                if d.code == codes::SYNTAX {
                    self.syntax_errors += 1;
                }
                self.diags.push(d);
                let literal = &self.text[before..after];
                self.push_text(literal, span);
            }
        }
    }

    fn finish(mut self) -> Tree {
        while let Some(open) = self.stack.pop() {
            self.syntax(
                open.el.name.span,
                format!("`<{0}>` is never closed: add `</{0}>`", open.qname),
            );
            let end = self.text.len();
            self.close(open, end);
        }
        Tree {
            root: self.root,
            start_tags: self.start_tags,
            diagnostics: self.diags,
        }
    }
}

fn local_name(qname: &str) -> &str {
    names::split(qname).1
}

/// The end of the character at `at` (a one-character span that never splits a UTF-8 sequence).
fn next_boundary(text: &str, at: usize) -> usize {
    let mut end = (at + 1).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    end
}
