//! YAML and JSON changelogs (JSON is read as YAML, as Liquibase does).
//!
//! Three steps: saphyr's events become a small spanned node tree ([`tree`], with character indices
//! turned into byte offsets by [`offsets`]), which is then lowered into the XML-shaped model
//! ([`lower`]). Syntax errors keep everything read before them.

mod lower;
mod messages;
mod offsets;
mod repair;
mod tree;

#[cfg(test)]
mod tests;

use crate::diagnostics::codes;
use crate::model::{Format, Parsed};

/// Parses a YAML (`Format::Yaml`) or JSON (`Format::Json`) changelog.
pub fn parse(text: &str, format: Format) -> Parsed {
    // saphyr would take a BOM for content; the model's offsets still count its 3 bytes
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, text.len() - rest.len()),
        None => (text, 0),
    };
    let mut tree = tree::build(body, base, None);
    if let Some((cut, closers)) = tree
        .error_at
        .and_then(|at| repair::plan(body, at.saturating_sub(base)))
    {
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
