//! Recognising directive lines (`--rollback`, `--comment`, `--preconditions`, ...) the way Liquibase 4.29's
//! formatted-SQL parser does: the same shapes, in the same order of precedence. Each Liquibase pattern
//! has a one-dash (or plural) look-alike that Liquibase rejects with "Unexpected formatting at line N";
//! those come back as [`Directive::Rejected`] so the parser can report them where Liquibase would.
//! Offsets are relative to the line.

use super::scan::{self, keyword, skip_ws, Lead};
use crate::model::IncludeKind;

/// A line that matters outside the body logic: checked on every line, inside a changeset or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Global {
    /// `--property name:x value:y ...`; the pairs start at the offset.
    Property(usize),
    /// `--ignoreLines:<value>` with the value's range.
    IgnoreLines(usize, usize),
    /// `--include file:x` / `--includeAll path:x` (a Liquibase Pro feature); pairs start at the offset.
    Include(IncludeKind, usize),
    /// Starts with `--changeset`: [`super::header`] reads it.
    ChangeSet,
    /// A look-alike Liquibase rejects; the text says what it expects instead.
    Rejected(&'static str),
}

/// A line inside a changeset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `--comment: text`; the text starts at the offset.
    Comment(usize),
    /// `--validCheckSum: value`.
    ValidCheckSum(usize),
    /// `--rollback sql`.
    Rollback(usize),
    /// `/* liquibase rollback`: the following lines up to `*/` are rollback SQL.
    RollbackBlockStart,
    /// `--preconditions onFail:.. onError:..`; the options start at the offset.
    Preconditions(usize),
    /// `--precondition-<name> body`: the name's range and where the body starts.
    Precondition(usize, usize, usize),
    /// `--precondition-<name>` with nothing after it.
    EmptyPrecondition(usize, usize),
    Rejected(&'static str),
    /// Anything else is part of the changeset's SQL.
    Body,
}

/// `--liquibase formatted ...`: the changelog header (also required as the first non-blank line).
pub fn is_changelog_header(s: &str) -> bool {
    scan::directive(s, Lead::IndentedTwoDashes, "liquibase")
        .map(|i| skip_ws(s, i))
        .and_then(|i| keyword(s, i, "formatted"))
        .is_some()
}

/// `--[\s]*comment:? (.*)` at the start of the line: where the comment text starts.
pub fn comment(s: &str) -> Option<usize> {
    after_optional_colon_space(s, scan::directive(s, Lead::TwoDashes, "comment")?)
}

/// After a keyword: `:? ` (an optional colon, then one space); the offset after the space.
fn after_optional_colon_space(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    match (b.get(i), b.get(i + 1)) {
        (Some(b' '), _) => Some(i + 1),
        (Some(b':'), Some(b' ')) => Some(i + 2),
        _ => None,
    }
}

pub fn classify_global(s: &str) -> Option<Global> {
    if let Some(i) = scan::directive(s, Lead::IndentedTwoDashes, "property") {
        if is_property(s, i) {
            return Some(Global::Property(skip_ws(s, i)));
        }
    }
    if one_or_more_dashes_then(s, "property") {
        return Some(Global::Rejected("--property name:<name> value:<value>"));
    }
    if let Some(i) = scan::directive(s, Lead::TwoDashes, "ignoreLines:") {
        let end = scan::skip_word(s, i);
        if end > i && end == s.len() {
            return Some(Global::IgnoreLines(i, end));
        }
    }
    let one_dash_ignore = scan::directive(s, Lead::OneDash, "ignoreLines:")
        .is_some_and(|i| scan::skip_word(s, i) > i);
    let ignore = scan::directive(s, Lead::TwoDashes, "ignore:")
        .is_some_and(|i| scan::skip_word(s, i) > i && scan::skip_word(s, i) == s.len());
    if one_dash_ignore || ignore {
        return Some(Global::Rejected("--ignoreLines:<count|start>"));
    }
    if let Some(i) = scan::directive(s, Lead::IndentedTwoDashes, "includeAll") {
        if s.as_bytes().get(i).is_some_and(|&b| scan::is_ws(b)) {
            return Some(Global::Include(IncludeKind::IncludeAll, skip_ws(s, i)));
        }
    } else if let Some(i) = scan::directive(s, Lead::IndentedTwoDashes, "include") {
        if s.as_bytes().get(i).is_some_and(|&b| scan::is_ws(b)) {
            return Some(Global::Include(IncludeKind::Include, skip_ws(s, i)));
        }
    }
    if scan::directive(s, Lead::IndentedTwoDashes, "changeset").is_some() {
        return Some(Global::ChangeSet);
    }
    if scan::directive(s, Lead::OneDash, "changeset")
        .is_some_and(|i| s.as_bytes().get(i).is_some_and(|&b| scan::is_ws(b)))
    {
        return Some(Global::Rejected("--changeset <author>:<id>"));
    }
    None
}

/// `property\s+(.*:.*)\s+(.*:.*)`: a colon, later whitespace, later another colon.
fn is_property(s: &str, i: usize) -> bool {
    let b = s.as_bytes();
    if !b.get(i).is_some_and(|&c| scan::is_ws(c)) {
        return false;
    }
    let rest = &s[skip_ws(s, i)..];
    let Some(c1) = rest.find(':') else {
        return false;
    };
    let Some(w) = rest[c1..].find(|c: char| c.is_ascii_whitespace()) else {
        return false;
    };
    rest[c1 + w..].contains(':')
}

/// `\s*?[-]+\s*property\s.*`: Liquibase's test for a malformed property line.
fn one_or_more_dashes_then(s: &str, kw: &str) -> bool {
    let i = skip_ws(s, 0);
    let dashes = s[i..].bytes().take_while(|&b| b == b'-').count();
    if dashes == 0 {
        return false;
    }
    keyword(s, skip_ws(s, i + dashes), kw)
        .is_some_and(|e| s.as_bytes().get(e).is_some_and(|&b| scan::is_ws(b)))
}

pub fn classify(s: &str) -> Directive {
    use Directive::*;
    if let Some(i) = comment(s) {
        return Comment(i);
    }
    let plural = scan::directive(s, Lead::TwoDashes, "comments")
        .and_then(|i| after_optional_colon_space(s, i));
    let one_dash =
        scan::directive(s, Lead::OneDash, "comment").and_then(|i| after_optional_colon_space(s, i));
    if plural.is_some() || one_dash.is_some() {
        return Rejected("--comment <comment>");
    }
    if let Some(i) = scan::directive(s, Lead::TwoDashes, "validCheckSum")
        .and_then(|i| after_optional_colon_space(s, i))
    {
        return ValidCheckSum(i);
    }
    if scan::directive(s, Lead::OneDash, "validCheckSum").is_some() {
        return Rejected("--validCheckSum <checksum>");
    }
    if let Some(i) = scan::directive(s, Lead::IndentedTwoDashes, "rollback") {
        if s.as_bytes().get(i) == Some(&b' ') {
            return Rollback(i + 1);
        }
    }
    if followed_by_ws(s, scan::directive(s, Lead::IndentedOneDash, "rollback")) {
        return Rejected("--rollback <rollback SQL>");
    }
    if is_rollback_block_start(s) {
        return RollbackBlockStart;
    }
    if let Some(i) = scan::directive(s, Lead::IndentedTwoDashes, "preconditions") {
        return Preconditions(i);
    }
    if followed_by_ws(
        s,
        scan::directive(s, Lead::IndentedOneDash, "preconditions"),
    ) {
        return Rejected("--preconditions onFail:<action> onError:<action>");
    }
    if let Some(i) = scan::directive(s, Lead::IndentedTwoDashes, "precondition-") {
        let end = i + s[i..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if end > i {
            if s.as_bytes().get(end) == Some(&b' ') {
                return Precondition(i, end, end + 1);
            }
            if end == s.len() {
                return EmptyPrecondition(i, end);
            }
        }
    }
    if scan::directive(s, Lead::IndentedOneDash, "precondition").is_some() {
        return Rejected("--precondition-sql-check expectedResult:<value> <sql>");
    }
    Body
}

fn followed_by_ws(s: &str, at: Option<usize>) -> bool {
    at.is_some_and(|i| s.as_bytes().get(i).is_some_and(|&b| scan::is_ws(b)))
}

/// `/* liquibase rollback` alone on its line.
fn is_rollback_block_start(s: &str) -> bool {
    let i = skip_ws(s, 0);
    keyword(s, i, "/*")
        .and_then(|i| keyword(s, skip_ws(s, i), "liquibase"))
        .and_then(|i| keyword(s, skip_ws(s, i), "rollback"))
        .is_some_and(|i| skip_ws(s, i) == s.len())
}

/// For a line inside a `/* liquibase rollback` block: `Some(end of the SQL before it)` when it closes the
/// block (ends with `*/`).
pub fn rollback_block_end(s: &str) -> Option<usize> {
    let t = s.trim_end_matches(|c: char| c.is_ascii() && scan::is_ws(c as u8));
    t.strip_suffix("*/").map(str::len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Directive::*;

    #[test]
    fn comments() {
        assert_eq!(classify("--comment: hi"), Comment(11));
        assert_eq!(classify("-- comment hi"), Comment(11));
        assert_eq!(classify("  --comment hi"), Body, "no indentation allowed");
        assert_eq!(classify("--comment:hi"), Body, "a space is required");
        assert_eq!(classify("--comments: hi"), Rejected("--comment <comment>"));
        assert_eq!(classify("-comment hi"), Rejected("--comment <comment>"));
    }

    #[test]
    fn rollbacks() {
        assert_eq!(classify("--rollback drop table t;"), Rollback(11));
        assert_eq!(classify("  -- ROLLBACK x"), Rollback(14));
        assert_eq!(classify("--rollback"), Body, "Liquibase needs the space");
        assert_eq!(classify("--rollback\tx"), Body);
        assert_eq!(
            classify("-rollback x"),
            Rejected("--rollback <rollback SQL>")
        );
        assert_eq!(classify(" /* liquibase rollback  "), RollbackBlockStart);
        assert_eq!(classify("/* liquibase rollback x"), Body);
        assert_eq!(rollback_block_end("drop t; */ "), Some(8));
        assert_eq!(rollback_block_end("drop t;"), None);
    }

    #[test]
    fn preconditions_and_checksums() {
        assert_eq!(classify("--preconditions onFail:HALT"), Preconditions(15));
        assert_eq!(
            classify("--precondition-sql-check 0 select 1"),
            Precondition(15, 24, 25)
        );
        assert_eq!(
            classify("--precondition-table-exists"),
            EmptyPrecondition(15, 27)
        );
        assert!(matches!(classify("-precondition-x y"), Rejected(_)));
        assert!(matches!(classify("- preconditions x"), Rejected(_)));
        assert_eq!(classify("--validCheckSum: 9:abc"), ValidCheckSum(17));
        assert!(matches!(classify("-validCheckSum 1"), Rejected(_)));
        assert_eq!(classify("select 1;"), Body);
    }

    #[test]
    fn global_lines() {
        assert_eq!(
            classify_global("--property name:a value:b"),
            Some(Global::Property(11))
        );
        assert!(matches!(
            classify_global("--property x"),
            Some(Global::Rejected(_))
        ));
        assert_eq!(
            classify_global("--ignoreLines:start"),
            Some(Global::IgnoreLines(14, 19))
        );
        assert_eq!(classify_global("--ignoreLines:start x"), None);
        assert!(matches!(
            classify_global("--ignore:lines"),
            Some(Global::Rejected(_))
        ));
        assert_eq!(
            classify_global(" -- changeset a:1"),
            Some(Global::ChangeSet)
        );
        assert_eq!(classify_global("--changesetx"), Some(Global::ChangeSet));
        assert!(matches!(
            classify_global("-changeset a:1"),
            Some(Global::Rejected(_))
        ));
        assert_eq!(
            classify_global("--include file:a.sql"),
            Some(Global::Include(IncludeKind::Include, 10))
        );
        assert_eq!(
            classify_global("--includeAll path:dir/"),
            Some(Global::Include(IncludeKind::IncludeAll, 13))
        );
        assert!(is_changelog_header("-- Liquibase  Formatted SQL"));
        assert!(!is_changelog_header("-- liquibase sql"));
    }
}
