//! YAML and JSON changelogs (JSON is read as YAML, as Liquibase does).
//!
//! Three steps: saphyr's events become a small spanned node tree ([`tree`], with character indices
//! turned into byte offsets by [`offsets`]), which is then lowered into the XML-shaped model
//! ([`lower`]). Syntax errors keep everything read before them: inside flow collections the text is
//! repaired and parsed again ([`repair`]), and in a block list of changesets the items after the
//! damaged one are read too ([`resync`]).

mod lower;
mod messages;
mod offsets;
mod repair;
mod resolve;
mod resync;
mod tree;

#[cfg(test)]
mod tests;

use crate::diagnostics::codes;
use crate::model::{Diagnostic, Format, Parsed, Span};

/// Parses a YAML (`Format::Yaml`) or JSON (`Format::Json`) changelog.
pub fn parse(text: &str, format: Format) -> Parsed {
    // saphyr would take a BOM for content; the model's offsets still count its 3 bytes
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, text.len() - rest.len()),
        None => (text, 0),
    };
    let mut tree = tree::build(body, base, None);
    let scan = tree
        .error_at
        .map(|at| repair::scan(body, at.saturating_sub(base)));
    if let Some(quote) = scan.as_ref().and_then(|s| s.unclosed_quote) {
        point_at_quote(&mut tree.diagnostics, base + quote);
    }
    if let Some(plan) = scan.as_ref().and_then(repair::Scan::plan) {
        recover_flow(body, base, plan, &mut tree);
    }
    read_on(body, base, &mut tree);
    let mut diagnostics = tree.diagnostics;
    if format == Format::Json {
        for d in diagnostics.iter_mut().filter(|d| d.code == codes::SYNTAX) {
            if let Some(rest) = d.message.strip_prefix("YAML syntax error") {
                d.message = format!("JSON syntax error{rest}");
            }
        }
    }
    let had_syntax_error = diagnostics.iter().any(|d| d.code == codes::SYNTAX);
    let changelog = lower::lower(tree.root.as_ref(), format, &mut diagnostics);
    if had_syntax_error {
        // the syntax error already explains a missing root; "not a changelog" would only repeat it
        diagnostics.retain(|d| d.code != codes::NOT_A_CHANGELOG);
    }
    Parsed {
        changelog,
        diagnostics,
    }
}

/// saphyr reports an unclosed string where the text ends; the quote that opens it is the place to fix.
fn point_at_quote(diagnostics: &mut [Diagnostic], quote: usize) {
    if let Some(d) = diagnostics.iter_mut().find(|d| d.code == codes::SYNTAX) {
        if d.message.contains("while scanning a quoted scalar") {
            d.span = Span::new(quote, quote + 1);
            d.message = "this quoted string is never closed: add its closing quote".into();
        }
    }
}

/// Most re-parses after errors in one document: each costs a parse of the whole text.
const MAX_RESYNCS: usize = 16;

/// After a syntax error in a block list of changesets, reads the items after the damaged one too (see
/// [`resync`]).
fn read_on(body: &str, base: usize, tree: &mut tree::Tree) {
    let Some(layout) = tree
        .root
        .as_mut()
        .and_then(resync::items_mut)
        .and_then(|seq| match &seq.kind {
            tree::Kind::Seq(items) => items.first().map(|i| i.span.start),
            _ => None,
        })
        .and_then(|first| resync::item_layout(body, first.saturating_sub(base)))
    else {
        return;
    };
    let (items_from, dash) = layout;
    let mut error = tree.error_at;
    let mut parsed = body.to_string();
    for _ in 0..MAX_RESYNCS {
        let Some(at) = error else { return };
        // inside a flow collection the error may show far below; its opening bracket is the damage
        let local = at.saturating_sub(base);
        let local = repair::scan(&parsed, local)
            .first_open()
            .map_or(local, |o| o.min(local));
        let Some(next) = resync::next_item(body, local, dash).filter(|&n| n > items_from) else {
            return;
        };
        parsed = resync::blank(body, items_from, next);
        let again = tree::build(&parsed, base, None);
        let Some(mut root) = again.root else { return };
        let Some(new_items) = resync::items_mut(&mut root) else {
            return;
        };
        let tree::Kind::Seq(new_items) =
            std::mem::replace(&mut new_items.kind, tree::Kind::Skipped)
        else {
            return;
        };
        if let Some(seq) = tree.root.as_mut().and_then(resync::items_mut) {
            if let tree::Kind::Seq(items) = &mut seq.kind {
                // only what lies past both the damage and everything read so far
                let start = (base + next).max(items.last().map_or(0, |i| i.span.end));
                items.extend(new_items.into_iter().filter(|i| i.span.start >= start));
                if let Some(last) = items.last() {
                    seq.span.end = seq.span.end.max(last.span.end);
                }
            }
        }
        for d in again.diagnostics {
            let new_error = d.code == codes::SYNTAX && d.span.start >= base + next;
            if new_error || !tree.diagnostics.iter().any(|o| o.code == d.code) {
                tree.diagnostics.push(d);
            }
        }
        error = again.error_at.filter(|&e| e > at);
    }
}

/// Most repaired re-parses for one error (a repair that meets another error is repaired again).
const MAX_REPAIRS: usize = 4;

/// After an error inside flow collections: parse the text again cut before the damage with its
/// brackets closed (see [`repair`]), and take that tree.
fn recover_flow(body: &str, base: usize, plan: (usize, String), tree: &mut tree::Tree) {
    let (mut cut, mut closers) = plan;
    for _ in 0..MAX_REPAIRS {
        let fixed = format!("{}{closers}", &body[..cut]);
        let again = tree::build(&fixed, base, Some(base + cut));
        // the scan can mistake a `[` in a block scalar for a flow collection; a repair that reads
        // less than the damaged parse kept is not one
        let size = |t: &Option<tree::Node>| t.as_ref().map_or(0, |n| n.size);
        if size(&again.root) < size(&tree.root) {
            return;
        }
        tree.root = again.root;
        for d in again.diagnostics {
            if d.code != codes::SYNTAX && !tree.diagnostics.iter().any(|o| o.code == d.code) {
                tree.diagnostics.push(d);
            }
        }
        let Some(next) = again
            .error_at
            .and_then(|at| repair::scan(&fixed, at.saturating_sub(base).min(cut)).plan())
            .filter(|(c, _)| *c < cut)
        else {
            return;
        };
        (cut, closers) = next;
    }
}
