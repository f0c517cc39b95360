//! What raw SQL does to tables, as far as a lexer can tell: the tables a `CREATE TABLE`, `ALTER
//! TABLE`, `DROP TABLE`, `RENAME TABLE` or `CREATE INDEX ... ON` names. The replay cannot model the
//! rest of such SQL, so it marks those tables opaque instead of guessing their columns.

use crate::model::Span;
use crate::rules::sql::{statements, Token, TokenKind};

/// A table name in the SQL, with its local span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlName {
    pub schema: Option<String>,
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SqlEffect {
    Create(SqlName),
    Alter(SqlName),
    Drop(SqlName),
    Rename(SqlName, SqlName),
    /// A statement that may change tables in ways a lexer cannot follow (`DO $$ ... $$`, `EXEC`,
    /// `CALL`, an anonymous block).
    Unknown,
}

/// First words of statements whose effect on tables is either read above or none.
const KNOWN_STATEMENTS: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "MERGE",
    "UPSERT",
    "REPLACE",
    "WITH",
    "CREATE",
    "ALTER",
    "DROP",
    "RENAME",
    "TRUNCATE",
    "COMMENT",
    "GRANT",
    "REVOKE",
    "SET",
    "USE",
    "ANALYZE",
    "VACUUM",
    "REINDEX",
    "REFRESH",
    "LOCK",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "START",
    "SHOW",
    "PRAGMA",
    "VALUES",
    "OPTIMIZE",
    "CLUSTER",
];

/// Modifiers that may sit between `CREATE` and `TABLE`.
const TABLE_MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "GLOBAL",
    "LOCAL",
    "TEMPORARY",
    "TEMP",
    "UNLOGGED",
    "EXTERNAL",
    "TRANSIENT",
    "VOLATILE",
    "CACHED",
    "MEMORY",
    "TEXT",
];

/// Modifiers that may sit between `CREATE` and `INDEX`.
const INDEX_MODIFIERS: &[&str] = &[
    "UNIQUE",
    "CLUSTERED",
    "NONCLUSTERED",
    "BITMAP",
    "FULLTEXT",
    "SPATIAL",
];

pub fn effects(sql: &str) -> Vec<SqlEffect> {
    let mut out = Vec::new();
    for st in statements(sql) {
        let toks = &st.tokens;
        let word = |i: usize| -> String {
            toks.get(i)
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| sql[t.span.start..t.span.end].to_ascii_uppercase())
                .unwrap_or_default()
        };
        match word(0).as_str() {
            "CREATE" => {
                let mut i = 1;
                while TABLE_MODIFIERS.contains(&word(i).as_str())
                    || INDEX_MODIFIERS.contains(&word(i).as_str())
                {
                    i += 1;
                }
                match word(i).as_str() {
                    "TABLE" => {
                        i = skip_if_exists(&word, i + 1);
                        if let Some((n, _)) = name_at(sql, toks, i) {
                            out.push(SqlEffect::Create(n));
                        }
                    }
                    "INDEX" => {
                        // The table follows the first `ON`.
                        if let Some(on) = (i + 1..toks.len()).find(|&j| word(j) == "ON") {
                            let j = if word(on + 1) == "ONLY" {
                                on + 2
                            } else {
                                on + 1
                            };
                            if let Some((n, _)) = name_at(sql, toks, j) {
                                out.push(SqlEffect::Alter(n));
                            }
                        }
                    }
                    _ => {}
                }
            }
            "ALTER" if word(1) == "TABLE" => {
                let mut i = skip_if_exists(&word, 2);
                if word(i) == "ONLY" {
                    i += 1;
                }
                if let Some((n, next)) = name_at(sql, toks, i) {
                    if word(next) == "RENAME" && word(next + 1) == "TO" {
                        if let Some((to, _)) = name_at(sql, toks, next + 2) {
                            out.push(SqlEffect::Rename(n, to));
                            continue;
                        }
                    }
                    out.push(SqlEffect::Alter(n));
                }
            }
            "DROP" if word(1) == "TABLE" => {
                let mut i = skip_if_exists(&word, 2);
                while let Some((n, next)) = name_at(sql, toks, i) {
                    out.push(SqlEffect::Drop(n));
                    if toks
                        .get(next)
                        .is_some_and(|t| &sql[t.span.start..t.span.end] == ",")
                    {
                        i = next + 1;
                    } else {
                        break;
                    }
                }
            }
            "RENAME" if word(1) == "TABLE" => {
                if let Some((from, next)) = name_at(sql, toks, 2) {
                    if word(next) == "TO" {
                        if let Some((to, _)) = name_at(sql, toks, next + 1) {
                            out.push(SqlEffect::Rename(from, to));
                        }
                    }
                }
            }
            first if !first.is_empty() && KNOWN_STATEMENTS.contains(&first) => {}
            _ => {
                if !out.contains(&SqlEffect::Unknown) {
                    out.push(SqlEffect::Unknown);
                }
            }
        }
    }
    out
}

fn skip_if_exists(word: &dyn Fn(usize) -> String, i: usize) -> usize {
    if word(i) == "IF" && word(i + 1) == "NOT" && word(i + 2) == "EXISTS" {
        i + 3
    } else if word(i) == "IF" && word(i + 1) == "EXISTS" {
        i + 2
    } else {
        i
    }
}

/// A possibly qualified name (`a`, `s.a`, `"s"."a"`, `db.s.a`) at token `i`, and the index after it.
fn name_at(sql: &str, toks: &[Token], i: usize) -> Option<(SqlName, usize)> {
    let mut parts: Vec<(String, Span)> = Vec::new();
    let mut j = i;
    loop {
        let t = toks.get(j)?;
        if !matches!(t.kind, TokenKind::Word | TokenKind::QuotedName) {
            return None;
        }
        parts.push((sql[t.span.start..t.span.end].to_string(), t.span));
        j += 1;
        match toks.get(j) {
            Some(d) if &sql[d.span.start..d.span.end] == "." => j += 1,
            _ => break,
        }
    }
    let (name, span) = parts.pop()?;
    if name.contains("${") || name.starts_with('$') {
        return None;
    }
    let schema = parts.pop().map(|(s, _)| s).filter(|s| !s.contains("${"));
    Some((SqlName { schema, name, span }, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sql: &str) -> Vec<String> {
        effects(sql)
            .into_iter()
            .map(|e| match e {
                SqlEffect::Create(n) => format!("create {}", n.name),
                SqlEffect::Alter(n) => format!("alter {}", n.name),
                SqlEffect::Drop(n) => format!("drop {}", n.name),
                SqlEffect::Rename(a, b) => format!("rename {} {}", a.name, b.name),
                SqlEffect::Unknown => "unknown".to_string(),
            })
            .collect()
    }

    #[test]
    fn finds_table_statements() {
        assert_eq!(
            names(
                "create table if not exists app.person (id int); -- drop table x\n\
                 ALTER TABLE ONLY \"Person\" ADD COLUMN y int;\n\
                 create unique index ix on person (y);\n\
                 drop table if exists a, b;\n\
                 alter table a rename to b; rename table c to d; insert into t values (1);\n\
                 DO $$ begin alter table x add y int; end $$; exec sp_rename 'a', 'b'"
            ),
            vec![
                "create person",
                "alter \"Person\"",
                "alter person",
                "drop a",
                "drop b",
                "rename a b",
                "rename c d",
                "unknown"
            ]
        );
    }
}
