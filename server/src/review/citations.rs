//! Guideline citations in a review: `GL-AREA-NNN` ids. A small model invents plausible ids; an id the
//! knowledge base does not have is removed from the text (with the brackets or parentheses around it)
//! so a reader never follows a citation to nothing.

use std::collections::BTreeSet;

use regex::Regex;
use std::sync::LazyLock;

static CITATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bGL-[A-Z]+-\d{1,4}\b").expect("valid regex"));

/// The review text with unknown citations removed, and the ids kept and removed (each once, in
/// order of first appearance).
#[derive(Debug, PartialEq, Eq)]
pub struct Checked {
    pub text: String,
    pub valid: Vec<String>,
    pub removed: Vec<String>,
}

pub fn check(text: &str, known: impl Fn(&str) -> bool) -> Checked {
    let mut valid = Vec::new();
    let mut removed = Vec::new();
    let mut seen = BTreeSet::new();
    for m in CITATION.find_iter(text) {
        let id = m.as_str();
        if seen.insert(id.to_string()) {
            if known(id) {
                valid.push(id.to_string());
            } else {
                removed.push(id.to_string());
            }
        }
    }
    if removed.is_empty() {
        return Checked {
            text: text.to_string(),
            valid,
            removed,
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in CITATION.find_iter(text) {
        if known(m.as_str()) {
            continue;
        }
        let (mut start, mut end) = (m.start(), m.end());
        // `[GL-X-1]`, `(GL-X-1)`, `(see GL-X-1)`: the wrapper goes too.
        let before = &text[last.max(start.saturating_sub(5))..start];
        let after = &text[end..];
        if let Some(open) = before.rfind(['[', '(']) {
            let close = if before.as_bytes()[open] == b'[' {
                ']'
            } else {
                ')'
            };
            if after.starts_with(close) {
                start = start - before.len() + open;
                end += 1;
            }
        }
        // Drop one space before the removed id so "follows GL-X-1." becomes "follows." not "follows ."
        if start > last && text[..start].ends_with(' ') {
            start -= 1;
        }
        out.push_str(&text[last..start.max(last)]);
        last = end;
    }
    out.push_str(&text[last..]);
    Checked {
        text: out,
        valid,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: &str) -> bool {
        id == "GL-LIVE-001"
    }

    #[test]
    fn keeps_known_and_removes_unknown_with_brackets() {
        let c = check(
            "Add a default [GL-LIVE-001]. Never drop [GL-LIVE-999] columns (GL-FOO-12). See GL-LIVE-001.",
            known,
        );
        assert_eq!(
            c.text,
            "Add a default [GL-LIVE-001]. Never drop columns. See GL-LIVE-001."
        );
        assert_eq!(c.valid, vec!["GL-LIVE-001"]);
        assert_eq!(c.removed, vec!["GL-LIVE-999", "GL-FOO-12"]);
    }

    #[test]
    fn nothing_to_remove_is_unchanged() {
        let c = check("No citations here.", known);
        assert_eq!(c.text, "No citations here.");
        assert!(c.valid.is_empty() && c.removed.is_empty());
    }
}
