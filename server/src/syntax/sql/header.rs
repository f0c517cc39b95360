//! The `--changeset author:id attr:value ...` line.
//!
//! Liquibase 4.29 matches it with `\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*` and then
//! insists that the id follows the colon directly; any other line starting with `--changeset` is
//! rejected ("Unexpected formatting at line N"). Attributes are found anywhere on the line with one
//! pattern each (case-insensitive); unknown ones are silently ignored by Liquibase, so lqls warns.

use super::lines::Line;
use super::scan::{self, Lead};
use crate::diagnostics::codes;
use crate::model::{Attr, Diagnostic, Span, Spanned};
use crate::suggest;

/// Header attributes Liquibase 4.29 reads, with whether the value is a boolean.
pub const ATTRIBUTES: &[(&str, bool)] = &[
    ("runOnChange", true),
    ("runAlways", true),
    ("runInTransaction", true),
    ("failOnError", true),
    ("splitStatements", true),
    ("stripComments", true),
    ("rollbackSplitStatements", true),
    ("ignore", true),
    ("context", false),
    ("contextFilter", false),
    ("labels", false),
    ("dbms", false),
    ("logicalFilePath", false),
    ("endDelimiter", false),
    ("rollbackEndDelimiter", false),
    ("runWith", false),
    ("runWithSpoolFile", false),
];

/// `<changeSet>` attributes of the XML format that the formatted-SQL parser does not read.
const XML_ONLY: &[&str] = &[
    "created",
    "onValidationFail",
    "objectQuotingStrategy",
    "runOrder",
    "author",
    "id",
];

/// What a `--changeset` line declares.
#[derive(Debug, Default)]
pub struct Header {
    pub author: Option<Spanned<String>>,
    pub id: Option<Spanned<String>>,
    /// The attributes after `author:id`, names in Liquibase's spelling.
    pub attrs: Vec<Attr>,
}

/// Reads a line that starts a changeset. `None` when the line is not a `--changeset` line at all.
/// A line that starts like one but is malformed yields a header with what could be read, plus an error
/// (Liquibase rejects the whole file there).
pub fn parse(line: &Line, diags: &mut Vec<Diagnostic>) -> Option<Header> {
    let s = line.text;
    let after_kw = scan::directive(s, Lead::IndentedTwoDashes, "changeset")?;
    let whole = line.trimmed_span();
    let unexpected = |what: &str| {
        Diagnostic::error(
            codes::SQL_HEADER,
            whole,
            format!(
                "Liquibase rejects this line ({what}); write `--changeset author:id` followed by optional attr:value pairs"
            ),
        )
    };
    let author_start = scan::skip_ws(s, after_kw);
    if author_start == after_kw || author_start >= s.len() {
        // `--changesetX` or a bare `--changeset`: not a header, but Liquibase still rejects it.
        let msg = if author_start >= s.len() {
            "`--changeset` needs `author:id`"
        } else {
            "`--changeset` must be followed by a space"
        };
        diags.push(unexpected(msg));
        return (author_start >= s.len()).then(Header::default);
    }
    let mut header = Header::default();
    let Some((author, colon)) = read_author(s, author_start) else {
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            line.span(author_start, s.len()),
            "missing `:` between author and id: write `--changeset author:id`",
        ));
        return Some(header);
    };
    if author.0.is_empty() {
        // Liquibase's pattern needs at least one author character: `--changeset :1` is not a header.
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            line.span(colon, colon + 1),
            "missing author before `:`: write `--changeset author:id`",
        ));
    }
    header.author = Some(spanned(line, author));
    let id_start = scan::skip_ws(s, colon + 1);
    if id_start >= s.len() {
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            line.span(colon, colon + 1),
            "missing changeset id after `author:`",
        ));
        return Some(header);
    }
    let (id, id_end) = read_id(s, id_start);
    if id_start > colon + 1 {
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            line.span(colon + 1, id_start),
            "Liquibase rejects a space between `author:` and the id; remove it",
        ));
    }
    if id.0.chars().all(|c| c == ':' || c == ' ') {
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            line.span(id_start, id_end),
            "the changeset id cannot be empty",
        ));
    }
    header.id = Some(spanned(line, id));
    header.attrs = read_attrs(line, id_end, diags);
    Some(header)
}

/// A piece of the line: the value and its byte range (relative to the line).
type Piece = (String, usize, usize);

fn spanned(line: &Line, (value, from, to): Piece) -> Spanned<String> {
    Spanned::new(value, line.span(from, to))
}

/// `"quoted author":` or `author up to the first colon:`; returns the author and the colon's offset.
fn read_author(s: &str, start: usize) -> Option<(Piece, usize)> {
    if let Some((inner, close)) = quoted(s, start) {
        if s.as_bytes().get(close + 1) == Some(&b':') {
            return Some((inner, close + 1));
        }
    }
    let colon = start + s[start..].find(':')?;
    Some(((s[start..colon].to_string(), start, colon), colon))
}

/// `"quoted id"` or everything up to the next whitespace; returns the id and where it ends.
fn read_id(s: &str, start: usize) -> (Piece, usize) {
    if let Some((inner, close)) = quoted(s, start) {
        return (inner, close + 1);
    }
    let end = scan::skip_non_ws(s, start);
    ((s[start..end].to_string(), start, end), end)
}

/// `"x..."` with at least one character inside: the inside and the closing quote's offset.
fn quoted(s: &str, start: usize) -> Option<(Piece, usize)> {
    if s.as_bytes().get(start) != Some(&b'"') {
        return None;
    }
    let close = start + 1 + s[start + 1..].find('"')?;
    (close > start + 1).then(|| ((s[start + 1..close].to_string(), start + 1, close), close))
}

/// The `name:value` pairs after the id. Values of context, contextFilter and labels may be quoted to
/// hold spaces.
fn read_attrs(line: &Line, from: usize, diags: &mut Vec<Diagnostic>) -> Vec<Attr> {
    let s = line.text;
    let mut attrs = Vec::new();
    let mut i = from;
    loop {
        i = scan::skip_ws(s, i);
        if i >= s.len() {
            break;
        }
        let token_end = scan::skip_non_ws(s, i);
        let Some(colon) = s[i..token_end].find(':').map(|c| c + i) else {
            diags.push(Diagnostic::warning(
                codes::SQL_HEADER,
                line.span(i, token_end),
                format!(
                    "`{}` is not an attribute (write name:value); Liquibase ignores it",
                    &s[i..token_end]
                ),
            ));
            i = token_end;
            continue;
        };
        let written = &s[i..colon];
        let (value, end) = match quoted(s, colon + 1) {
            Some((inner, close)) => (inner, close + 1),
            None => (
                (s[colon + 1..token_end].to_string(), colon + 1, token_end),
                token_end,
            ),
        };
        let known = ATTRIBUTES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(written));
        let name = known.map_or(written, |(n, _)| *n);
        match known {
            None => diags.push(unknown_attr(line.span(i, colon), written)),
            Some((_, true)) => check_bool(line, name, &value, diags),
            Some(_) => {}
        }
        attrs.push(Attr {
            name: Spanned::new(name.to_string(), line.span(i, colon)),
            value: spanned(line, value),
            namespace: None,
        });
        i = end;
    }
    attrs
}

fn unknown_attr(span: Span, written: &str) -> Diagnostic {
    let names: Vec<&str> = ATTRIBUTES.iter().map(|(n, _)| *n).collect();
    let msg = if XML_ONLY.iter().any(|n| n.eq_ignore_ascii_case(written)) {
        format!(
            "`{written}` is not read from formatted-SQL changeset headers; Liquibase ignores it"
        )
    } else if let Some(s) = suggest::closest(written, names.iter().copied()) {
        format!(
            "unknown changeset attribute `{written}` (Liquibase ignores it); did you mean `{s}`?"
        )
    } else {
        format!(
            "unknown changeset attribute `{written}` (Liquibase ignores it); known: {}",
            names.join(", ")
        )
    };
    Diagnostic::warning(codes::SQL_HEADER, span, msg)
}

/// Liquibase reads anything but `true` as false, so a typo silently flips the meaning.
fn check_bool(line: &Line, name: &str, value: &Piece, diags: &mut Vec<Diagnostic>) {
    let v = value.0.as_str();
    if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
        return;
    }
    // The header pattern is `name:(\w+)`: a `${property}` never matches it, so Liquibase keeps the
    // default instead of expanding the property.
    let msg = if v.starts_with("${") {
        format!("Liquibase 4.29 does not expand properties in `{name}` of a formatted-SQL header; it keeps the default")
    } else {
        format!("`{name}` must be true or false; Liquibase reads `{v}` as false")
    };
    diags.push(Diagnostic::warning(
        codes::SQL_HEADER,
        line.span(value.1, value.2),
        msg,
    ));
}
