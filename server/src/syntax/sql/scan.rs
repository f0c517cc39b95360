//! Tiny matchers for the line shapes Liquibase recognises with Java regular expressions
//! (`\s*--[\s]*keyword...`, case-insensitive). Hand-written so the parser needs no regex engine; every
//! function is linear in the line length and returns byte offsets relative to the line.

/// Java's `\s`: space, tab, newline, vertical tab, form feed, carriage return.
pub fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Java's `\w`: ASCII letters, digits and underscore.
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The first offset at or after `i` that is not whitespace.
pub fn skip_ws(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    i
}

/// The first offset at or after `i` that is whitespace (or the end).
pub fn skip_non_ws(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while i < b.len() && !is_ws(b[i]) {
        i += 1;
    }
    i
}

/// The end of the run of `\w` characters starting at `i`.
pub fn skip_word(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while i < b.len() && is_word(b[i]) {
        i += 1;
    }
    i
}

/// Whether `s[i..]` starts with `kw`, ignoring ASCII case; the offset after it.
pub fn keyword(s: &str, i: usize, kw: &str) -> Option<usize> {
    let end = i.checked_add(kw.len())?;
    let b = s.as_bytes();
    (end <= b.len() && b[i..end].eq_ignore_ascii_case(kw.as_bytes())).then_some(end)
}

/// How a directive line must start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lead {
    /// `--` at the very start of the line (Liquibase's patterns without a leading `\s*`).
    TwoDashes,
    /// Optional whitespace, then `--`.
    IndentedTwoDashes,
    /// `-` at the very start: the one-dash typo Liquibase rejects.
    OneDash,
    /// Optional whitespace, then `-`.
    IndentedOneDash,
}

/// Matches `<lead>[\s]*keyword` and returns the offset after the keyword.
pub fn directive(s: &str, lead: Lead, kw: &str) -> Option<usize> {
    let (indent, dashes) = match lead {
        Lead::TwoDashes => (false, "--"),
        Lead::IndentedTwoDashes => (true, "--"),
        Lead::OneDash => (false, "-"),
        Lead::IndentedOneDash => (true, "-"),
    };
    let i = if indent { skip_ws(s, 0) } else { 0 };
    let i = keyword(s, i, dashes)?;
    keyword(s, skip_ws(s, i), kw)
}

/// The offset just after the last occurrence of `needle` (ASCII case-insensitive), like a greedy
/// `.*needle` in Liquibase's attribute patterns.
pub fn last_ci(s: &str, needle: &str) -> Option<usize> {
    let (h, n) = (s.as_bytes(), needle.as_bytes());
    if n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len())
        .rev()
        .find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
        .map(|i| i + n.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_leads() {
        assert_eq!(
            directive("--rollback x", Lead::TwoDashes, "rollback"),
            Some(10)
        );
        assert_eq!(
            directive("-- ROLLBACK x", Lead::TwoDashes, "rollback"),
            Some(11)
        );
        assert_eq!(directive("  --rollback", Lead::TwoDashes, "rollback"), None);
        assert_eq!(
            directive("  --rollback", Lead::IndentedTwoDashes, "rollback"),
            Some(12)
        );
        assert_eq!(directive("--rollback", Lead::OneDash, "rollback"), None);
        assert_eq!(directive("- rollback", Lead::OneDash, "rollback"), Some(10));
        assert_eq!(directive("--roll", Lead::TwoDashes, "rollback"), None);
    }

    #[test]
    fn last_occurrence_is_case_insensitive() {
        assert_eq!(last_ci("a onFail:x ONFAIL:y", "onfail:"), Some(18));
        assert_eq!(last_ci("ab", "abc"), None);
    }
}
