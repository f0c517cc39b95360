//! Model → protocol types. Byte spans become ranges through the snapshot's line index in the negotiated
//! encoding; nothing else in the server converts positions.

use tower_lsp_server::ls_types::{self as lsp, NumberOrString, Uri};

use super::store::Snapshot;
use crate::model::{Diagnostic, Severity, Span};
use crate::text::{Position, PositionEncoding};

pub fn range(snap: &Snapshot, span: Span, enc: PositionEncoding) -> lsp::Range {
    let r = snap.index.range(&snap.text, span.start, span.end, enc);
    lsp::Range {
        start: position(r.start),
        end: position(r.end),
    }
}

fn position(p: Position) -> lsp::Position {
    lsp::Position {
        line: p.line,
        character: p.character,
    }
}

pub fn from_lsp_position(p: lsp::Position) -> Position {
    Position {
        line: p.line,
        character: p.character,
    }
}

/// The link to a rule's documentation, parsed once per rule (a large file has thousands of findings).
fn code_description(code: &str) -> Option<lsp::CodeDescription> {
    static LINKS: std::sync::LazyLock<std::collections::HashMap<&'static str, Uri>> =
        std::sync::LazyLock::new(|| {
            crate::rules::registry::all()
                .iter()
                .filter_map(|r| Some((r.code, r.doc_url().parse().ok()?)))
                .collect()
        });
    LINKS
        .get(code)
        .map(|href| lsp::CodeDescription { href: href.clone() })
}

pub fn diagnostic(
    uri: &Uri,
    snap: &Snapshot,
    d: &Diagnostic,
    enc: PositionEncoding,
) -> lsp::Diagnostic {
    let mut related = d
        .related
        .iter()
        .map(|r| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range(snap, r.span, enc)),
            message: r.message.clone(),
        })
        .collect::<Vec<_>>();
    // The guideline the rule enforces, at its section in the knowledge base.
    if let Some((id, link)) = super::knowledge::guideline_for_code(d.code) {
        related.push(lsp::DiagnosticRelatedInformation {
            location: link.location,
            message: format!("Guideline {id}: {}", link.title),
        });
    }
    let mut out = protocol_diagnostic(d);
    out.range = range(snap, d.span, enc);
    out.related_information = (!related.is_empty()).then_some(related);
    out
}

/// Everything of a diagnostic but its positions (range and related locations), which the caller
/// converts with the right file's text.
pub fn protocol_diagnostic(d: &Diagnostic) -> lsp::Diagnostic {
    lsp::Diagnostic {
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
            Severity::Hint => lsp::DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: code_description(d.code),
        tags: (!d.tags.is_empty()).then(|| {
            d.tags
                .iter()
                .map(|t| match t {
                    crate::model::Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
                    crate::model::Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
                })
                .collect()
        }),
        source: Some("lqls".to_string()),
        message: d.message.clone(),
        ..Default::default()
    }
}

pub fn diagnostics(uri: &Uri, snap: &Snapshot, enc: PositionEncoding) -> Vec<lsp::Diagnostic> {
    snap.analysis
        .as_ref()
        .map(|a| {
            a.diagnostics
                .iter()
                .map(|d| diagnostic(uri, snap, d, enc))
                .collect()
        })
        .unwrap_or_default()
}
