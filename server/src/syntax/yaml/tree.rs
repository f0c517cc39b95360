//! A small spanned YAML node tree built from saphyr's events.
//!
//! Built with an explicit stack (no recursion), so a 10,000-deep `[[[[...` costs memory, not stack.
//! Collections nested deeper than [`MAX_DEPTH`] are skipped whole and stand in the tree as
//! [`Kind::Skipped`]. Aliases are expanded (Liquibase's SnakeYAML does) within a node budget, so an
//! alias bomb stays small. On a syntax error every open collection is closed where it stands: what was
//! read before the error stays usable.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::offsets::Offsets;
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Span};
use crate::syntax::MAX_DEPTH;

/// Most nodes alias expansion may copy into the tree in one document. Real changelogs that use
/// anchors copy a few column lists; a bomb (`&b [*a,*a,...]` ten levels deep) would need billions.
const ALIAS_BUDGET: usize = 100_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: Kind,
    /// The whole node: for a quoted scalar including the quotes, for a flow collection its brackets.
    pub span: Span,
    /// Nodes in this subtree (itself included): what copying it by an alias costs.
    pub size: usize,
    /// Nesting levels in this subtree (1 for a scalar).
    pub height: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in document order; keys are nodes too (a non-scalar key is legal YAML, just useless here).
    Map(Vec<(Node, Node)>),
    /// Content deeper than MAX_DEPTH, or an alias that was not expanded.
    Skipped,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The value with escapes and folding resolved.
    pub value: String,
    /// The value text only: inside the quotes, or a block scalar's content lines.
    pub inner: Span,
    pub style: ScalarStyle,
    /// Written with an explicit tag (`!!str 1.10`): its text is taken as written.
    pub tagged: bool,
}

impl Node {
    fn leaf(kind: Kind, span: Span) -> Self {
        Node {
            kind,
            span,
            size: 1,
            height: 1,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar node (keys are almost always scalars).
    pub fn text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.value.as_str())
    }
}

/// What the event stream gave: the first document's root (if any) and the problems met.
pub struct Tree {
    pub root: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
    /// Byte offset of the syntax error that ended the parse, if one did.
    pub error_at: Option<usize>,
}

/// A collection whose end event has not come yet.
struct Open {
    start: usize,
    /// Flow collections (`{...}`, `[...]`) end at their closing bracket; block ones at their last child.
    flow: bool,
    anchor: usize,
    items: Vec<Node>,
    map: bool,
}

struct Builder<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    stack: Vec<Open>,
    root: Option<Node>,
    anchors: HashMap<usize, Node>,
    alias_used: usize,
    /// Depth inside a skipped (too deep) subtree, 0 when not skipping.
    skipping: usize,
    skip_start: usize,
    diagnostics: Vec<Diagnostic>,
    warned_deep: bool,
    warned_alias: bool,
    limit: usize,
}

/// Parses `text` (after any BOM, which starts `base` bytes into the document) into a node tree.
/// `limit`: offsets are clamped to it (a repaired text has closing brackets past the real text).
pub fn build(text: &str, base: usize, limit: Option<usize>) -> Tree {
    let mut b = Builder {
        text,
        offsets: Offsets::new(text, base),
        stack: Vec::new(),
        root: None,
        anchors: HashMap::new(),
        alias_used: 0,
        skipping: 0,
        skip_start: 0,
        diagnostics: Vec::new(),
        warned_deep: false,
        warned_alias: false,
        limit: limit.unwrap_or(usize::MAX),
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    let error = loop {
        match parser.next_event() {
            None | Some(Ok((Event::StreamEnd, _))) => break None,
            Some(Err(e)) => break Some(e),
            Some(Ok((Event::DocumentStart(_), span))) => {
                documents += 1;
                if documents > 1 {
                    let at = b.offsets.byte(span.start.index());
                    b.diagnostics.push(Diagnostic::error(
                        codes::SYNTAX,
                        Span::new(at, at + 3.min(text.len() + base - at)),
                        "a changelog is a single YAML document: remove this second document \
                         (Liquibase rejects files with more than one)",
                    ));
                    break None;
                }
            }
            Some(Ok((ev, span))) => {
                let start = b.offsets.byte(span.start.index()).min(b.limit);
                let end = b.offsets.byte(span.end.index()).min(b.limit);
                b.event(ev, start, end);
            }
        }
    };
    let error_at = error.map(|e| {
        b.syntax_error(&e);
        b.close_all();
        b.offsets.byte(e.marker().index())
    });
    Tree {
        root: b.root,
        diagnostics: b.diagnostics,
        error_at,
    }
}

impl Builder<'_> {
    fn event(&mut self, ev: Event<'_>, start: usize, end: usize) {
        if self.skipping > 0 {
            match ev {
                Event::SequenceStart(..) | Event::MappingStart(..) => self.skipping += 1,
                Event::SequenceEnd | Event::MappingEnd => {
                    self.skipping -= 1;
                    if self.skipping == 0 {
                        let span = Span::new(self.skip_start, end.max(self.skip_start));
                        self.push(Node::leaf(Kind::Skipped, span));
                    }
                }
                _ => {}
            }
            return;
        }
        match ev {
            Event::Scalar(value, style, anchor, tag) => {
                let inner = self.inner_span(style, start, end);
                let node = Node::leaf(
                    Kind::Scalar(Scalar {
                        value: value.into_owned(),
                        inner,
                        style,
                        tagged: tag.is_some(),
                    }),
                    Span::new(start, end.max(inner.end)),
                );
                self.complete(node, anchor);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let map = matches!(ev, Event::MappingStart(..));
                if self.stack.len() >= MAX_DEPTH {
                    self.skipping = 1;
                    self.skip_start = start;
                    if !self.warned_deep {
                        self.warned_deep = true;
                        self.diagnostics.push(Diagnostic::warning(
                            codes::TOO_DEEP,
                            Span::new(start, start + 1),
                            format!("nested deeper than {MAX_DEPTH} levels: the content from here on is not read"),
                        ));
                    }
                    return;
                }
                let flow = matches!(self.byte_at(start), Some(b'[' | b'{'));
                self.stack.push(Open {
                    start,
                    flow,
                    anchor,
                    items: Vec::new(),
                    map,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.stack.pop() {
                    let (node, anchor) = close(open, Some(end));
                    self.complete(node, anchor);
                }
            }
            Event::Alias(id) => self.alias(id, Span::new(start, end)),
            _ => {}
        }
    }

    fn byte_at(&self, offset: usize) -> Option<u8> {
        let base = self.offsets.byte(0);
        self.text.as_bytes().get(offset.checked_sub(base)?).copied()
    }

    /// The value text of a scalar: inside the quotes, or a block scalar's lines without the `|`/`>`
    /// header and the trailing line breaks saphyr counts in.
    fn inner_span(&self, style: ScalarStyle, start: usize, end: usize) -> Span {
        let base = self.offsets.byte(0);
        let local = |o: usize| o.saturating_sub(base).min(self.text.len());
        match style {
            ScalarStyle::Plain => Span::new(start, end),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                if end >= start + 2 {
                    Span::new(start + 1, end - 1)
                } else {
                    Span::new(start, end)
                }
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let slice = self.text.get(local(start)..local(end)).unwrap_or("");
                // the span may start at the `|`/`>` header or at the content, depending on the case
                let body = if slice.starts_with(['|', '>']) {
                    slice.find('\n').map_or(slice.len(), |i| i + 1)
                } else {
                    0
                };
                let body_text = &slice[body..];
                let lead = body_text.len() - body_text.trim_start_matches([' ', '\t']).len();
                let trimmed = slice.trim_end_matches([' ', '\t', '\r', '\n']).len();
                let s = start + (body + lead).min(trimmed);
                Span::new(s, (start + trimmed).max(s))
            }
        }
    }

    fn alias(&mut self, id: usize, span: Span) {
        let depth_left = MAX_DEPTH.saturating_sub(self.stack.len());
        let node = match self.anchors.get(&id) {
            Some(n) if n.height > depth_left => {
                self.warn_alias(
                    span,
                    "this alias nests deeper than lqls reads; it is not expanded",
                );
                Node::leaf(Kind::Skipped, span)
            }
            Some(n) if self.alias_used + n.size <= ALIAS_BUDGET => {
                self.alias_used += n.size;
                let mut copy = n.clone();
                // Point the copy at the alias, so spans of the enclosing nodes stay in place.
                copy.span = span;
                if let Kind::Scalar(s) = &mut copy.kind {
                    s.inner = span;
                }
                copy
            }
            Some(_) => {
                self.warn_alias(
                    span,
                    "aliases expand to too much content (an alias bomb?); the rest are not expanded",
                );
                Node::leaf(Kind::Skipped, span)
            }
            None => {
                self.warn_alias(
                    span,
                    "alias of an anchor that is not complete here; not expanded",
                );
                Node::leaf(Kind::Skipped, span)
            }
        };
        self.push(node);
    }

    fn warn_alias(&mut self, span: Span, msg: &str) {
        if !self.warned_alias {
            self.warned_alias = true;
            self.diagnostics
                .push(Diagnostic::warning(codes::NOT_EXPANDED, span, msg));
        }
    }

    /// A node is finished: remember its anchor and hand it to its parent.
    fn complete(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        self.push(node);
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(open) => open.items.push(node),
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }

    fn syntax_error(&mut self, e: &ScanError) {
        let mut at = self.offsets.byte(e.marker().index());
        let mut end = self.text_end().min(at + 1).max(at);
        if e.info().contains("tab") {
            // saphyr stops after the tabs; the diagnostic covers them
            end = at;
            while at > self.offsets.byte(0) && self.byte_at(at - 1) == Some(b'\t') {
                at -= 1;
            }
        }
        self.diagnostics.push(Diagnostic::error(
            codes::SYNTAX,
            Span::new(at, end),
            super::messages::explain(e.info()),
        ));
    }

    fn text_end(&self) -> usize {
        self.offsets.byte(0) + self.text.len()
    }

    /// After an error: close every open collection where it stands, innermost first.
    fn close_all(&mut self) {
        self.skipping = 0;
        while let Some(open) = self.stack.pop() {
            let (node, anchor) = close(open, None);
            self.complete(node, anchor);
        }
    }
}

/// Turns an open collection into a node. `end` is the end event's end; `None` when closed by an error.
fn close(open: Open, end: Option<usize>) -> (Node, usize) {
    let last_end = open.items.last().map_or(open.start, |n| n.span.end);
    let end = match end {
        Some(e) if open.flow => e.max(last_end),
        _ => last_end,
    };
    let size = 1 + open.items.iter().map(|n| n.size).sum::<usize>();
    let height = 1 + open.items.iter().map(|n| n.height).max().unwrap_or(0);
    let kind = if open.map {
        let mut entries = Vec::with_capacity(open.items.len() / 2);
        let mut items = open.items.into_iter();
        while let Some(key) = items.next() {
            // a key cut off before its value (only after an error) gets an empty value right after it
            let value = items.next().unwrap_or_else(|| {
                let at = key.span.end;
                Node::leaf(
                    Kind::Scalar(Scalar {
                        value: String::new(),
                        inner: Span::new(at, at),
                        style: ScalarStyle::Plain,
                        tagged: false,
                    }),
                    Span::new(at, at),
                )
            });
            entries.push((key, value));
        }
        Kind::Map(entries)
    } else {
        Kind::Seq(open.items)
    };
    (
        Node {
            kind,
            span: Span::new(open.start, end.max(open.start)),
            size,
            height,
        },
        open.anchor,
    )
}
