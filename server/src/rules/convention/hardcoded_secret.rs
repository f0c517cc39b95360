//! TC308 hardcoded-secret: passwords, tokens and keys written into a changelog.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Severity;
use crate::rules::convention::walk;
use crate::rules::sql::TokenKind;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC308",
    name: "hardcoded-secret",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Error,
    enabled: true,
    summary: "A password, token or key is written into the changelog",
    doc: RuleDoc {
        what: "Reports literal values given to columns whose name contains one of `secret-words` in \
               `insert`, `update`, `addColumn`/`createTable` defaults; string literals after \
               `IDENTIFIED BY` or `PASSWORD` in SQL; and any value or SQL string that looks like a \
               key (AWS access key ids `AKIA...`, `-----BEGIN ... PRIVATE KEY-----`). `${property}` \
               values are accepted.",
        why: "A changelog lives in version control, in build artifacts and in DATABASECHANGELOG \
              checksums: a secret written there is readable by everyone with repository access, \
              forever, even after the line is removed. Pass it as a property from the deployment \
              (`-Dapp.password=...`, an environment variable or a secret manager) and write \
              `${app.password}`.",
        bad: r#"<insert tableName="app_user">
    <column name="login" value="batch"/>
    <column name="password" value="S3cret!"/>
</insert>"#,
        good: r#"<insert tableName="app_user">
    <column name="login" value="batch"/>
    <column name="password" value="${batch.password}"/>
</insert>"#,
    },
    options: &[OptionSpec {
        name: "secret-words",
        default: OptDefault::List(&[
            "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "private_key",
            "access_key", "credential",
        ]),
        description: "Parts of a column name (any case) that mark its values as secrets.",
    }],
    guideline: Some("GL-SECURITY-001"),
    check,
};

static KEY_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----|\bgh[pousr]_[A-Za-z0-9]{36}\b|\bxox[baprs]-[A-Za-z0-9-]{10,}")
        .expect("valid regex")
});

const VALUE_ATTRS: &[&str] = &[
    "value",
    "valueNumeric",
    "valueBlobFile",
    "valueClobFile",
    "defaultValue",
];

/// Every token `KEY_LIKE` knows is at least this long: shorter values (most of them) skip the regex.
const MIN_KEY_LEN: usize = 14;

fn looks_like_key(v: &str) -> bool {
    v.len() >= MIN_KEY_LEN && KEY_LIKE.is_match(v)
}

fn check(cx: &Ctx, out: &mut Findings) {
    let words: Vec<String> = cx
        .opt_list("secret-words")
        .iter()
        .map(|w| w.to_lowercase())
        .collect();
    for (_, _, ch) in cx.changes() {
        walk::attrs(&ch.element, &mut |el, a| {
            let v = &a.value.value;
            if v.contains("${") || v.trim().is_empty() {
                return;
            }
            if looks_like_key(v) {
                out.add(
                    a.value.span,
                    "this value looks like a private key or access token",
                );
                return;
            }
            if el.name.value == "column" && VALUE_ATTRS.contains(&a.name.value.as_str()) {
                let name = el.attr_value("name").unwrap_or("").to_lowercase();
                if let Some(w) = words
                    .iter()
                    .find(|w| !w.is_empty() && name.contains(w.as_str()))
                {
                    out.add(
                        a.value.span,
                        format!(
                            "column {name} gets a literal {w}: pass it as a ${{property}} instead"
                        ),
                    );
                }
            }
        });
    }
    for src in cx.sql() {
        for st in &src.statements {
            let toks = &st.tokens;
            for (k, t) in toks.iter().enumerate() {
                if t.kind != TokenKind::Str {
                    continue;
                }
                let text = src.token_text(t);
                if text.contains("${") {
                    continue;
                }
                let prev = |n: usize| k.checked_sub(n).and_then(|i| toks.get(i));
                let after_by = prev(1).is_some_and(|p| src.is_kw(p, "BY"))
                    && prev(2).is_some_and(|p| src.is_kw(p, "IDENTIFIED"));
                let after_password = prev(1).is_some_and(|p| src.is_kw(p, "PASSWORD"))
                    || (prev(1).is_some_and(|p| src.token_text(p) == "=")
                        && prev(2).is_some_and(|p| src.is_kw(p, "PASSWORD")));
                if after_by || after_password {
                    out.add(
                        src.doc_span(t.span),
                        "a password is written in the SQL: use a ${property}",
                    );
                } else if looks_like_key(text) {
                    out.add(
                        src.doc_span(t.span),
                        "this string looks like a private key or access token",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_secrets() {
        let text = xml(r#"<changeSet id="1" author="a">
    <insert tableName="u"><column name="login" value="x"/><column name="user_password" value="S3cret"/></insert>
    <sql>CREATE USER app IDENTIFIED BY 'hunter2'; ALTER ROLE r WITH PASSWORD 'p'; INSERT INTO k VALUES ('AKIAABCDEFGHIJKLMNOP')</sql>
</changeSet>"#);
        assert_eq!(
            check(&RULE, &text).spans(),
            vec!["S3cret", "'hunter2'", "'p'", "'AKIAABCDEFGHIJKLMNOP'"]
        );
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - update:\n          tableName: t\n          columns:\n            - column:\n                name: api_key\n                value: abc123\n          where: id = 1\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["abc123"]);
    }

    #[test]
    fn silent_on_properties() {
        let text = xml(r#"<changeSet id="1" author="a">
    <insert tableName="u"><column name="password" value="${pw}"/><column name="name" value="token bucket"/></insert>
    <sql>CREATE USER app IDENTIFIED BY '${db.password}'</sql>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
