//! Runs the enabled rules over one file and turns their findings into diagnostics.

use std::path::Path;

use super::config::Config;
use super::context::{Ctx, FileFacts, Findings, ProjectFacts};
use super::registry;
use super::suppress;
use crate::model::{ChangeLog, Diagnostic, Fix};

/// What the engine needs for one file.
pub struct Input<'a> {
    pub changelog: &'a ChangeLog,
    pub text: &'a str,
    pub path: Option<&'a Path>,
    pub config: &'a Config,
    pub project: &'a dyn ProjectFacts,
}

/// Every enabled rule's diagnostics, each with the rule's code and configured severity, and a quick
/// fix that disables the rule at that place.
pub fn run(input: &Input) -> Vec<Diagnostic> {
    let facts = FileFacts::new(input.changelog, input.text, input.path);
    let mut out = Vec::new();
    for &rule in registry::all() {
        let Some(resolved) = input.config.resolve(rule) else {
            continue;
        };
        let ctx = Ctx {
            changelog: input.changelog,
            text: input.text,
            path: input.path,
            settings: &input.config.settings,
            file: &facts,
            project: input.project,
            rule,
            options: resolved.options,
        };
        let mut findings = Findings::default();
        (rule.check)(&ctx, &mut findings);
        for f in findings.items {
            let mut fixes = f.fixes;
            fixes.extend(suppress::disable_fix(
                input.text,
                input.changelog,
                f.span,
                rule.code,
            ));
            out.push(Diagnostic {
                span: f.span,
                severity: resolved.severity,
                code: rule.code,
                message: f.message,
                related: f.related,
                fixes,
                tags: f.tags,
            });
        }
    }
    out
}

/// Applies every fix marked safe, first wins where two overlap; returns the new text and how many
/// fixes were applied.
pub fn apply_safe_fixes(text: &str, diagnostics: &[Diagnostic]) -> (String, usize) {
    let fixes: Vec<&Fix> = diagnostics
        .iter()
        .flat_map(|d| d.fixes.iter().filter(|f| f.safe).take(1))
        .collect();
    apply_fixes(text, &fixes)
}

/// Applies fixes whose edits do not overlap an earlier fix's edits.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut edits = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            taken.iter().any(|&(s, t)| {
                e.span.start < t && s < e.span.end
                    || (e.span.start == e.span.end && s <= e.span.start && e.span.start <= t)
                    || (s == t && e.span.start <= s && s <= e.span.end)
            })
        });
        let in_bounds = fix.edits.iter().all(|e| {
            e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        if overlaps || !in_bounds {
            continue;
        }
        for e in &fix.edits {
            taken.push((e.span.start, e.span.end));
            edits.push(e);
        }
        applied += 1;
    }
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.new_text);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}
