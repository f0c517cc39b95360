//! YAML and JSON changelogs (JSON is read as YAML, as Liquibase does).
//!
//! Three steps: saphyr's events become a small spanned node tree ([`tree`], with character indices
//! turned into byte offsets by [`offsets`]), which is then lowered into the XML-shaped model
//! ([`lower`]). Syntax errors keep everything read before them.

mod lower;
mod messages;
mod offsets;
mod repair;
mod resolve;
mod tree;

#[cfg(test)]
mod tests;

use crate::diagnostics::codes;
use crate::model::{Format, Parsed, Span};

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
        // saphyr reports an unclosed string where the text ends; the quote that opens it is the place
        // to fix
        if let Some(d) = tree
            .diagnostics
            .iter_mut()
            .find(|d| d.code == codes::SYNTAX)
        {
            if d.message.contains("quoted scalar") {
                d.span = Span::new(base + quote, base + quote + 1);
                d.message = "this quoted string is never closed: add its closing quote".into();
            }
        }
    }
    if let Some((cut, closers)) = scan.as_ref().and_then(repair::Scan::plan) {
        let fixed = format!("{}{closers}", &body[..cut]);
        let again = tree::build(&fixed, base, Some(base + cut));
        tree.root = again.root;
        for d in again.diagnostics {
            if d.code != codes::SYNTAX && !tree.diagnostics.iter().any(|o| o.code == d.code) {
                tree.diagnostics.push(d);
            }
        }
    }
    let mut diagnostics = tree.diagnostics;
    if format == Format::Json {
        for d in diagnostics.iter_mut().filter(|d| d.code == codes::SYNTAX) {
            if let Some(rest) = d.message.strip_prefix("YAML syntax error") {
                d.message = format!("JSON syntax error{rest}");
            }
        }
    }
    let had_error = !diagnostics.is_empty();
    let changelog = lower::lower(tree.root.as_ref(), format, &mut diagnostics);
    if had_error {
        // a syntax error already explains a missing root; "not a changelog" would only repeat it
        let first_syntax = diagnostics.iter().any(|d| d.code == codes::SYNTAX);
        if first_syntax {
            diagnostics.retain(|d| d.code != codes::NOT_A_CHANGELOG);
        }
    }
    Parsed {
        changelog,
        diagnostics,
    }
}
