//! Small helpers shared by the policy rules: SQL statements flattened for regular expressions, the
//! pattern checks, `WITH ... OPTION` and `DROP`/`TRUNCATE TABLE` detection.

use regex::Regex;

use crate::model::Span;
use crate::rules::sql::{SqlSource, Statement, Token, TokenKind};

/// A statement as one line of text (tokens separated by single spaces, string literals as `''`), and
/// for each token its offset in that line, to map a regular-expression match back to tokens.
pub struct Flat<'a> {
    pub text: String,
    pub starts: Vec<(usize, &'a Token)>,
}

pub fn flatten<'a>(src: &SqlSource, statements: &'a [Statement]) -> Flat<'a> {
    let mut text = String::new();
    let mut starts = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        for (j, t) in st.tokens.iter().enumerate() {
            if j > 0 {
                text.push(' ');
            }
            starts.push((text.len(), t));
            if t.kind == TokenKind::Str {
                text.push_str("''");
            } else {
                text.push_str(src.token_text(t));
            }
        }
    }
    Flat { text, starts }
}

impl Flat<'_> {
    /// The source span (local to the SQL text) of the tokens a match `[start, end)` touches.
    pub fn span_of(&self, start: usize, end: usize) -> Option<Span> {
        let first = self.starts.iter().rposition(|(s, _)| *s <= start)?;
        let last = self
            .starts
            .iter()
            .rposition(|(s, _)| *s < end.max(start + 1))?;
        let a = self.starts.get(first)?.1.span;
        let b = self.starts.get(last.max(first))?.1.span;
        Some(a.cover(b))
    }

    /// Matches of `re`, as (flat start, flat end).
    pub fn matches(&self, re: &Regex) -> Vec<(usize, usize)> {
        re.find_iter(&self.text)
            .filter(|m| !m.as_str().is_empty())
            .map(|m| (m.start(), m.end()))
            .collect()
    }
}

/// Where `WITH <word> OPTION` occurs in a statement (the span of the three words), if it does.
pub fn with_option(src: &SqlSource, st: &Statement, word: &str) -> Option<Span> {
    let t = &st.tokens;
    (0..t.len()).find_map(|i| {
        let (a, b, c) = (t.get(i)?, t.get(i + 1)?, t.get(i + 2)?);
        (src.is_kw(a, "WITH") && src.is_kw(b, word) && src.is_kw(c, "OPTION"))
            .then(|| a.span.cover(c.span))
    })
}

/// How pattern B must relate to pattern A in the four pattern checks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PatternMode {
    After,
    NotAfter,
    Before,
    NotBefore,
}

/// The pattern checks: each match of `pattern-a` in a SQL text is reported when `pattern-b` is (or
/// is not) found after (or before) it in the same text.
pub fn pattern_check(cx: &crate::rules::Ctx, out: &mut crate::rules::Findings, mode: PatternMode) {
    let (Some(a), Some(b)) = (cx.opt_regex("pattern-a"), cx.opt_regex("pattern-b")) else {
        return;
    };
    for src in cx.sql() {
        let flat = flatten(src, &src.statements);
        let bs = flat.matches(&b);
        for (s, e) in flat.matches(&a) {
            let after = bs.iter().any(|&(bs, _)| bs >= e);
            let before = bs.iter().any(|&(_, be)| be <= s);
            let (hit, what) = match mode {
                PatternMode::After => (after, "is followed by"),
                PatternMode::NotAfter => (!after, "is not followed by"),
                PatternMode::Before => (before, "is preceded by"),
                PatternMode::NotBefore => (!before, "is not preceded by"),
            };
            if hit {
                if let Some(span) = flat.span_of(s, e) {
                    out.add(
                        src.doc_span(span),
                        format!("{} {what} {}", a.as_str(), b.as_str()),
                    );
                }
            }
        }
    }
}

/// The two options of the pattern checks.
pub const PATTERN_OPTIONS: &[crate::rules::OptionSpec] = &[
    crate::rules::OptionSpec {
        name: "pattern-a",
        default: crate::rules::OptDefault::Regex(""),
        description: "The regular expression whose matches are reported.",
    },
    crate::rules::OptionSpec {
        name: "pattern-b",
        default: crate::rules::OptDefault::Regex(""),
        description: "The regular expression looked for before or after each match of pattern A.",
    },
];

/// `DROP TABLE [IF EXISTS] name` / `TRUNCATE [TABLE] name` at the start of a statement: the span of
/// the leading keywords (local to the SQL text) and the table name as written. SQL Server temporary
/// tables (`#name`) are left out: they hold no lasting data.
pub fn sql_table_verb(src: &SqlSource, st: &Statement, verb: &str) -> Option<(Span, String)> {
    let t = &st.tokens;
    let first = t.first().filter(|f| src.is_kw(f, verb))?;
    let mut i = 1;
    let mut last = first.span;
    match t.get(1) {
        Some(k) if src.is_kw(k, "TABLE") => {
            last = k.span;
            i = 2;
        }
        _ if verb.eq_ignore_ascii_case("TRUNCATE") => {}
        _ => return None,
    }
    if t.get(i).is_some_and(|k| src.is_kw(k, "IF"))
        && t.get(i + 1).is_some_and(|k| src.is_kw(k, "EXISTS"))
    {
        i += 2;
    }
    let name_tok = t.get(i)?;
    if name_tok.kind == TokenKind::Punct {
        return None;
    }
    // Qualified names: `schema.table`.
    let mut name = src.token_text(name_tok).to_string();
    let mut j = i + 1;
    while let (Some(dot), Some(part)) = (t.get(j), t.get(j + 1)) {
        if src.token_text(dot) != "." || part.kind == TokenKind::Punct {
            break;
        }
        name.push('.');
        name.push_str(src.token_text(part));
        j += 2;
    }
    Some((first.span.cover(last), name))
}
