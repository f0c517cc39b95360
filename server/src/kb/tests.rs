//! The bundled knowledge base agrees with the rule engine: every guideline a rule links exists, names
//! the rule, and states the convention rules' defaults (prefixes, patterns, placeholder lists) as the
//! rules apply them.

use super::chunk::{Origin, Tier};
use super::source;
use crate::rules::{registry, OptDefault};

fn bundled() -> Vec<super::Chunk> {
    source::load(None, true).chunks
}

#[test]
fn every_linked_guideline_exists_and_names_its_rule() {
    let chunks = bundled();
    for rule in registry::all() {
        let Some(g) = rule.guideline else { continue };
        let section = chunks
            .iter()
            .find(|c| c.guideline_id.as_deref() == Some(g))
            .unwrap_or_else(|| {
                panic!("{} links {g}, which the bundled guidelines lack", rule.code)
            });
        assert!(
            section.text.contains(rule.code),
            "{g} does not name {} ({}), which enforces it",
            rule.code,
            rule.name
        );
    }
}

#[test]
fn convention_defaults_are_what_the_guidelines_say() {
    let chunks = bundled();
    let mut missing = Vec::new();
    for rule in registry::all() {
        let (Some(g), crate::rules::Category::Convention) = (rule.guideline, rule.category) else {
            continue;
        };
        let text = &chunks
            .iter()
            .find(|c| c.guideline_id.as_deref() == Some(g))
            .unwrap()
            .text;
        for opt in rule.options {
            let values: Vec<&str> = match opt.default {
                OptDefault::Str(s) | OptDefault::Regex(s) if !s.is_empty() => vec![s],
                // Short lists of names are conventions to state; long word lists and lists of
                // regular expressions are the rule's implementation, and the guideline gives examples.
                OptDefault::List(l)
                    if l.len() <= 12 && l.iter().all(|v| !v.contains(['\\', '('])) =>
                {
                    l.to_vec()
                }
                _ => continue,
            };
            for v in values.into_iter().filter(|v| !text.contains(v)) {
                missing.push(format!(
                    "{g} does not state {} option {} default `{v}`",
                    rule.code, opt.name
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn bundled_tiers_are_complete() {
    let chunks = bundled();
    let count = |t| chunks.iter().filter(|c| c.tier == t).count();
    assert!(chunks.iter().all(|c| c.origin == Origin::Bundled));
    let guideline_files: std::collections::BTreeSet<_> = chunks
        .iter()
        .filter(|c| c.tier == Tier::Guidelines)
        .map(|c| &c.rel)
        .collect();
    assert!(guideline_files.len() >= 8, "{guideline_files:?}");
    assert!(chunks
        .iter()
        .filter(|c| c.tier == Tier::Guidelines)
        .all(|c| c.guideline_id.is_some()));
    let example_files: std::collections::BTreeSet<_> = chunks
        .iter()
        .filter(|c| c.tier == Tier::Examples)
        .map(|c| &c.rel)
        .collect();
    assert!(example_files.len() >= 20, "{}", example_files.len());
    // One documentation page per change type of the catalog.
    for ct in crate::catalog::change_types() {
        let rel = format!("liquibase-docs/change-types/{ct}.md");
        assert!(chunks.iter().any(|c| c.rel == rel), "no page for {ct}");
    }
    assert!(count(Tier::Docs) > count(Tier::Guidelines));
}
