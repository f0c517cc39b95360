//! Helpers for rule tests: run one rule (with optional options) over a snippet and look at what it
//! reported, apply its fixes and re-check.

use serde_json::{Map, Value};

use super::config::Config;
use super::context::{Ctx, FileFacts, Findings, NoProject};
use super::Rule;
use crate::model::{Fix, Format};

/// Wraps changesets in a `databaseChangeLog` (XML).
pub fn xml(changesets: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n{changesets}\n</databaseChangeLog>\n"
    )
}

/// Wraps YAML changeset entries in `databaseChangeLog:`.
pub fn yaml(entries: &str) -> String {
    format!("databaseChangeLog:\n{entries}")
}

/// What one rule reported on `text`: (source text at the span, message), in order.
pub struct Outcome {
    pub text: String,
    pub format: Format,
    pub findings: Findings,
}

impl Outcome {
    /// The source text each finding points at.
    pub fn spans(&self) -> Vec<&str> {
        self.findings
            .items
            .iter()
            .map(|f| &self.text[f.span.start..f.span.end])
            .collect()
    }

    pub fn messages(&self) -> Vec<&str> {
        self.findings
            .items
            .iter()
            .map(|f| f.message.as_str())
            .collect()
    }

    pub fn count(&self) -> usize {
        self.findings.items.len()
    }

    /// The first fix of finding `i`.
    pub fn fix(&self, i: usize) -> &Fix {
        &self.findings.items[i].fixes[0]
    }

    /// Applies the first fix of finding `i`; the result must parse without errors.
    pub fn apply_fix(&self, i: usize) -> String {
        let (fixed, n) = super::engine::apply_fixes(&self.text, &[self.fix(i)]);
        assert_eq!(n, 1, "fix did not apply");
        let parsed = crate::syntax::parse(&fixed, self.format);
        assert!(
            parsed.diagnostics.is_empty(),
            "fixed text does not parse: {:?}\n{fixed}",
            parsed.diagnostics
        );
        fixed
    }
}

/// Runs `rule` with default options.
pub fn check(rule: &'static Rule, text: &str) -> Outcome {
    check_with(rule, text, Value::Object(Map::new()))
}

/// Runs `rule` with options (a JSON object of kebab-case option names) and, for format detection,
/// the text itself.
pub fn check_with(rule: &'static Rule, text: &str, options: Value) -> Outcome {
    check_full(rule, text, options, Config::default())
}

/// Runs `rule` with options and a configuration (for `databases`).
pub fn check_full(rule: &'static Rule, text: &str, options: Value, config: Config) -> Outcome {
    let format = crate::syntax::detect_format(None, text);
    let parsed = crate::syntax::parse(text, format);
    let facts = FileFacts::new(&parsed.changelog, text, None);
    let options = options.as_object().cloned().unwrap_or_default();
    let ctx = Ctx {
        changelog: &parsed.changelog,
        text,
        path: None,
        settings: &config.settings,
        file: &facts,
        project: &NoProject,
        rule,
        options: &options,
    };
    let mut findings = Findings::default();
    (rule.check)(&ctx, &mut findings);
    Outcome {
        text: text.to_string(),
        format,
        findings,
    }
}

/// Runs `rule` on `text`, then on the text with its first finding's first fix applied: the fixed
/// text parses and the rule reports one finding fewer.
pub fn assert_fix_removes(rule: &'static Rule, text: &str) -> String {
    let before = check(rule, text);
    assert!(before.count() > 0, "{} did not fire", rule.code);
    let fixed = before.apply_fix(0);
    let after = check(rule, &fixed);
    assert_eq!(
        after.count(),
        before.count() - 1,
        "fix did not remove the finding:\n{fixed}"
    );
    fixed
}
