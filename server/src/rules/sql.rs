//! A small SQL lexer for rules that read SQL: `sql` changes, readable `sqlFile` contents and formatted
//! SQL changesets. It only has to find words, quoted names, strings and statement ends reliably
//! (comments and string contents must never look like keywords); it does not parse SQL.

use std::path::Path;

use crate::model::{ChangeLog, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A keyword or unquoted identifier.
    Word,
    /// `"name"`, `[name]` or `` `name` ``.
    QuotedName,
    /// `'text'` (also `N'..'`, `E'..'`: the prefix is a separate word).
    Str,
    Number,
    /// Any other single character (`(`, `,`, `*`, `.`, `=`, ...).
    Punct,
}

/// A token; `span` is relative to the SQL text it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// The tokens of one statement (up to `;`, a `GO` line or a `/` line).
#[derive(Clone, Debug, Default)]
pub struct Statement {
    pub tokens: Vec<Token>,
}

/// One piece of SQL in the changelog, tokenised once per run and shared by every SQL rule.
#[derive(Clone, Debug)]
pub struct SqlSource {
    /// Changeset index and change index within it.
    pub changeset: usize,
    pub change: usize,
    pub text: String,
    /// Where `text` starts in the document when it is there verbatim (offsets map one to one); `None`
    /// for a `sqlFile` or text with resolved entities, whose findings go to `anchor`.
    pub base: Option<usize>,
    /// The element to report at when a position inside the text cannot be mapped.
    pub anchor: Span,
    pub statements: Vec<Statement>,
}

impl SqlSource {
    /// The document span of a token range.
    pub fn doc_span(&self, local: Span) -> Span {
        match self.base {
            Some(b) => Span::new(b + local.start, b + local.end),
            None => self.anchor,
        }
    }

    pub fn token_text(&self, t: &Token) -> &str {
        &self.text[t.span.start..t.span.end]
    }

    /// Whether token `t` is the keyword `kw` (ASCII, any case).
    pub fn is_kw(&self, t: &Token, kw: &str) -> bool {
        t.kind == TokenKind::Word && self.token_text(t).eq_ignore_ascii_case(kw)
    }

    /// The normalised words of a statement (upper-case keywords, unquoted names), for phrase matching.
    pub fn words(&self, st: &Statement) -> Vec<String> {
        st.tokens
            .iter()
            .map(|t| match t.kind {
                TokenKind::Word => self.token_text(t).to_ascii_uppercase(),
                TokenKind::QuotedName => {
                    let s = self.token_text(t);
                    s.get(1..s.len().saturating_sub(1))
                        .unwrap_or("")
                        .to_string()
                }
                _ => self.token_text(t).to_string(),
            })
            .collect()
    }

    /// The span of a statement in the source text.
    pub fn statement_span(st: &Statement) -> Span {
        match (st.tokens.first(), st.tokens.last()) {
            (Some(a), Some(b)) => a.span.cover(b.span),
            _ => Span::default(),
        }
    }
}

/// Every readable SQL text of a changelog, in order. `sqlFile` paths are read relative to the
/// changelog's folder (or the working directory) when the file exists; unreadable ones are skipped.
pub fn sources(changelog: &ChangeLog, text: &str, path: Option<&Path>) -> Vec<SqlSource> {
    let mut out = Vec::new();
    for (i, cs) in changelog.changesets.iter().enumerate() {
        for (j, ch) in cs.changes.iter().enumerate() {
            let (sql, base) = match ch.kind.value.as_str() {
                "sql" => match ch.sql_text() {
                    Some(t) => {
                        let verbatim = text.get(t.span.start..t.span.end) == Some(t.value.as_str());
                        (t.value.clone(), verbatim.then_some(t.span.start))
                    }
                    None => continue,
                },
                "sqlFile" => match read_sql_file(ch.attr_value("path"), path) {
                    Some(s) => (s, None),
                    None => continue,
                },
                _ => continue,
            };
            let anchor = ch
                .element
                .attr("path")
                .map_or(ch.kind.span, |a| a.value.span);
            let statements = statements(&sql);
            out.push(SqlSource {
                changeset: i,
                change: j,
                text: sql,
                base,
                anchor,
                statements,
            });
        }
    }
    out
}

/// Largest `sqlFile` read: bigger files are data dumps, not migrations to review.
const MAX_SQL_FILE: u64 = 4 << 20;

fn read_sql_file(rel: Option<&str>, changelog: Option<&Path>) -> Option<String> {
    let rel = rel?;
    if rel.contains("${") {
        return None;
    }
    let candidates = changelog
        .and_then(Path::parent)
        .map(|d| d.join(rel))
        .into_iter()
        .chain(std::iter::once(Path::new(rel).to_path_buf()));
    for p in candidates {
        if let Ok(meta) = std::fs::metadata(&p) {
            if meta.is_file() && meta.len() <= MAX_SQL_FILE {
                return std::fs::read(&p)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
            }
        }
    }
    None
}

/// Splits SQL into statements of tokens. Comments and whitespace are dropped.
pub fn statements(sql: &str) -> Vec<Statement> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut cur = Statement::default();
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let at_line_start = std::mem::replace(&mut line_start, false);
        // `GO` (SQL Server) and `/` (Oracle) alone on a line end a statement.
        if at_line_start {
            let end = sql[i..].find('\n').map_or(b.len(), |n| i + n);
            let line = sql[i..end].trim();
            if line.eq_ignore_ascii_case("go") || line == "/" {
                push(&mut out, &mut cur);
                i = end;
                continue;
            }
        }
        let start = i;
        let kind = match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                continue;
            }
            b';' => {
                push(&mut out, &mut cur);
                i += 1;
                continue;
            }
            b'\'' => {
                i = quoted_end(b, i, b'\'');
                TokenKind::Str
            }
            b'"' | b'`' => {
                i = quoted_end(b, i, c);
                TokenKind::QuotedName
            }
            b'[' => {
                i = sql[i..].find(']').map_or(b.len(), |n| i + n + 1);
                TokenKind::QuotedName
            }
            b'$' if dollar_tag(b, i).is_some() => {
                // PostgreSQL dollar quoting: `$$ ... $$` or `$tag$ ... $tag$`.
                let tag_end = dollar_tag(b, i).expect("checked");
                let tag = &sql[i..tag_end];
                i = sql[tag_end..]
                    .find(tag)
                    .map_or(b.len(), |n| tag_end + n + tag.len());
                TokenKind::Str
            }
            c if c.is_ascii_digit() => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
                TokenKind::Number
            }
            c if is_word_byte(c) => {
                while i < b.len()
                    && (is_word_byte(b[i]) || b[i].is_ascii_digit() || b[i] == b'$' || b[i] == b'#')
                {
                    i += 1;
                }
                TokenKind::Word
            }
            _ => {
                i += sql[i..].chars().next().map_or(1, char::len_utf8);
                TokenKind::Punct
            }
        };
        cur.tokens.push(Token {
            kind,
            span: Span::new(start, i),
        });
    }
    push(&mut out, &mut cur);
    out
}

fn push(out: &mut Vec<Statement>, cur: &mut Statement) {
    if !cur.tokens.is_empty() {
        out.push(std::mem::take(cur));
    }
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

/// End of a quoted token starting at `i`; a doubled quote is an escaped quote.
fn quoted_end(b: &[u8], i: usize, q: u8) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        if b[j] == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// `$$` or `$tag$` at `i`: the end of the opening tag.
fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    (b.get(j) == Some(&b'$') && !b.get(i + 1).is_some_and(u8::is_ascii_digit)).then_some(j + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(sql: &str) -> Vec<Vec<String>> {
        statements(sql)
            .iter()
            .map(|st| {
                st.tokens
                    .iter()
                    .map(|t| sql[t.span.start..t.span.end].to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn comments_and_strings_are_not_words() {
        let w =
            words("select 'grant; x' -- grant all\n/* revoke */ from t; grant select on t to u");
        assert_eq!(
            w,
            vec![
                vec!["select", "'grant; x'", "from", "t"],
                vec!["grant", "select", "on", "t", "to", "u"]
            ]
        );
    }

    #[test]
    fn batch_separators_and_quoting() {
        let w = words("create table [a b] (x int)\nGO\nselect \"q\"\"x\" from `t`\n/\n$$ ; $$");
        assert_eq!(w.len(), 3);
        assert_eq!(w[0][2], "[a b]");
        assert_eq!(w[1][1], "\"q\"\"x\"");
        assert_eq!(w[2], vec!["$$ ; $$"]);
    }

    /// The document text at the span of the first token of the first statement of each source.
    fn first_tokens(text: &str) -> Vec<String> {
        let format = crate::syntax::detect_format(None, text);
        let parsed = crate::syntax::parse(text, format);
        sources(&parsed.changelog, text, None)
            .iter()
            .map(|s| {
                let t = s.statements[0].tokens[0];
                let span = s.doc_span(t.span);
                text[span.start..span.end].to_string()
            })
            .collect()
    }

    #[test]
    fn sources_map_back_to_the_document() {
        let xml = crate::rules::testing::xml(
            r#"<changeSet id="1" author="a"><sql>grant all on t to u</sql></changeSet>
<changeSet id="2" author="a"><sql><![CDATA[revoke x]]></sql></changeSet>
<changeSet id="3" author="a"><sql>select 1 &lt; 2</sql></changeSet>"#,
        );
        // Entities change the offsets: that source reports at the change instead.
        assert_eq!(first_tokens(&xml), vec!["grant", "revoke", "sql"]);
        let sql = "--liquibase formatted sql
--changeset a:1
  use db1;
--changeset a:2
select 1;
";
        assert_eq!(first_tokens(sql), vec!["use", "select"]);
        let yaml = crate::rules::testing::yaml(
            "- changeSet:
    id: 1
    author: a
    changes:
      - sql:
          sql: grant x to y
",
        );
        assert_eq!(first_tokens(&yaml), vec!["grant"]);
    }

    #[test]
    fn unterminated_input_never_panics() {
        for s in ["'abc", "\"x", "[x", "/* x", "$tag$ x", "-- x", "é'", "$1"] {
            let _ = statements(s);
        }
    }
}
