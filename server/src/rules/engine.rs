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

/// Pairs (specific, general): where both report the same span, the general finding is dropped, so
/// one problem is said once, by the rule that says more. The safety rules split Liquibase's
/// RollbackRequired by whether Liquibase could roll back by itself; the type-change and drop rules
/// add what happens to running clients and locks on existing tables; the team's comment convention
/// links its guideline.
const SUPERSEDES: &[(&str, &str)] = &[
    ("MS290", "LB190"),
    ("MS291", "LB190"),
    ("MS209", "LB108"),
    ("MS210", "LB101"),
    ("MS210", "LB102"),
    ("TC307", "LB104"),
];

/// Every enabled rule's diagnostics, each with the rule's code and configured severity. The "disable
/// this rule here" fix is not attached: it is built on request ([`quick_fixes`]), since a large file
/// has thousands of findings and an editor asks for the fixes of a few.
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
            out.push(Diagnostic {
                span: f.span,
                severity: resolved.severity,
                code: rule.code,
                message: f.message,
                related: f.related,
                fixes: f.fixes,
                tags: f.tags,
            });
        }
    }
    drop_superseded(&mut out);
    out
}

fn drop_superseded(out: &mut Vec<Diagnostic>) {
    let specific: std::collections::HashSet<(&str, usize, usize)> = out
        .iter()
        .filter(|d| SUPERSEDES.iter().any(|(s, _)| *s == d.code))
        .flat_map(|d| {
            SUPERSEDES
                .iter()
                .filter(move |(s, _)| *s == d.code)
                .map(move |(_, general)| (*general, d.span.start, d.span.end))
        })
        .collect();
    if !specific.is_empty() {
        out.retain(|d| !specific.contains(&(d.code, d.span.start, d.span.end)));
    }
}

/// Every fix of a diagnostic, with "disable this rule here" last for rule findings.
pub fn quick_fixes(text: &str, changelog: &ChangeLog, d: &Diagnostic) -> Vec<Fix> {
    let mut fixes = d.fixes.clone();
    if registry::by_code(d.code).is_some() {
        fixes.extend(suppress::disable_fix(text, changelog, d.span, d.code));
    }
    fixes
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
    // Accepted edit ranges, by start. They never overlap each other, so their ends rise with their
    // starts, and only the ones just before an edit's end can conflict with it: checking those keeps
    // fixing a file with hundreds of thousands of fixes linear, not quadratic.
    let mut taken: std::collections::BTreeSet<(usize, usize)> = Default::default();
    let mut edits = Vec::new();
    let mut applied = 0;
    let conflicts = |e: &crate::model::TextEdit, (s, t): (usize, usize)| {
        e.span.start < t && s < e.span.end
            || (e.span.start == e.span.end && s <= e.span.start && e.span.start <= t)
            || (s == t && e.span.start <= s && s <= e.span.end)
    };
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            taken
                .range(..=(e.span.end, usize::MAX))
                .rev()
                .take_while(|&&(_, t)| t >= e.span.start)
                .any(|&r| conflicts(e, r))
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
            taken.insert((e.span.start, e.span.end));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::xml;

    fn run_default(text: &str) -> Vec<Diagnostic> {
        let parsed = crate::syntax::parse(text, crate::model::Format::Xml);
        run(&Input {
            changelog: &parsed.changelog,
            text,
            path: None,
            config: &Config::default(),
            project: &super::super::NoProject,
        })
    }

    #[test]
    fn specific_rollback_findings_replace_the_general_one() {
        let text = xml(r#"<changeSet id="1" author="a"><createTable tableName="t"/></changeSet>"#);
        let codes: Vec<&str> = run_default(&text).iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&"MS291") && !codes.contains(&"LB190"),
            "{codes:?}"
        );
        let mut off = Config::default();
        off = off.layered(
            &Config::from_json(&serde_json::json!({"rules": {"MS291": "off"}}))
                .config
                .unwrap(),
        );
        let parsed = crate::syntax::parse(&text, crate::model::Format::Xml);
        let d = run(&Input {
            changelog: &parsed.changelog,
            text: &text,
            path: None,
            config: &off,
            project: &super::super::NoProject,
        });
        assert!(d.iter().any(|d| d.code == "LB190"));
    }

    #[test]
    fn overlapping_fixes_are_skipped_touching_ones_applied() {
        use crate::model::Span;
        let f = |a, b, t: &str| Fix::replace("f", Span::new(a, b), t, true);
        let text = "0123456789";
        let fixes = [
            f(2, 4, "ab"),
            f(3, 5, "X"),  // overlaps the first
            f(4, 6, "cd"), // touches it
            f(6, 6, "+"),  // insertion where an edit ends
            f(8, 8, "^"),
            f(8, 8, "!"), // a second insertion at the same point
            f(9, 10, "Z"),
        ];
        let refs: Vec<&Fix> = fixes.iter().collect();
        assert_eq!(apply_fixes(text, &refs), ("01abcd67^8Z".to_string(), 4));
        // Many disjoint fixes all apply.
        let long = "x".repeat(200_000);
        let many: Vec<Fix> = (0..100_000).map(|i| f(2 * i, 2 * i + 1, "y")).collect();
        let refs: Vec<&Fix> = many.iter().collect();
        let (out, n) = apply_fixes(&long, &refs);
        assert_eq!(n, 100_000);
        assert_eq!(out, "yx".repeat(100_000));
    }

    #[test]
    fn every_rule_finding_can_be_disabled_in_place() {
        let text = xml(r#"    <changeSet id="1" author="a">
        <dropColumn tableName="t" columnName="c"/>
    </changeSet>"#);
        let d = run_default(&text);
        let drop = d.iter().find(|d| d.code == "LB101").expect("LB101");
        let parsed = crate::syntax::parse(&text, crate::model::Format::Xml);
        let fixes = quick_fixes(&text, &parsed.changelog, drop);
        let fix = fixes
            .iter()
            .find(|f| f.title.starts_with("Disable"))
            .expect("fix");
        let (fixed, _) = apply_fixes(&text, &[fix]);
        assert!(
            fixed.contains("        <!-- lqls-disable-next-line LB101 -->\n        <dropColumn"),
            "{fixed}"
        );
        let a = crate::analysis::analyze(&fixed, crate::model::Format::Xml, &Default::default());
        assert!(!a
            .diagnostics
            .iter()
            .any(|d| d.code == "LB101" || d.code == "unused-suppression"));
    }
}
