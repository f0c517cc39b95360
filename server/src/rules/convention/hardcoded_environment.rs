//! TC309 hardcoded-environment: host names, URLs, addresses and environment names where a
//! `${property}` belongs.

use crate::model::Severity;
use crate::rules::context::{cached_regex, cached_regex_set};
use crate::rules::convention::walk;
use crate::rules::sql::TokenKind;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC309",
    name: "hardcoded-environment",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Warning,
    enabled: true,
    summary: "An environment-specific value is hard-coded instead of a ${property}",
    doc: RuleDoc {
        what:
            "Reports attribute values and SQL string literals that match one of `patterns` (JDBC \
               URLs, http(s) URLs to local hosts or hosts that name an environment, IPv4 addresses, \
               internal host names), and `schemaName`/\
               `catalogName` values that are one of `environment-names` (`prod`, `staging`, ...). \
               `remarks` and comments are not checked.",
        why: "A changelog runs unchanged against every environment: a production host, address or \
              schema written into it is wrong everywhere else, and sends test runs to production. \
              Define a property per environment (`<property name=\"app.schema\" value=\"prod\" \
              context=\"prod\"/>`, `-Dapp.host=...`) and write `${app.schema}`.",
        bad: r#"<insert tableName="setting">
    <column name="callback_url" value="https://api.prod.example.com/hook"/>
</insert>"#,
        good: r#"<insert tableName="setting">
    <column name="callback_url" value="${callback.url}"/>
</insert>"#,
    },
    options: &[
        OptionSpec {
            name: "patterns",
            default: OptDefault::List(&[
                r"(?i)\bjdbc:[a-z0-9]+:",
                // A URL is environment-bound when its host is local, or names an environment or
                // an internal network (`api.staging.example.com`, `db-prod-1`); a public address
                // such as a standard's namespace is the same everywhere.
                r"(?i)\bhttps?://(?:localhost|[a-z0-9.-]*\b(?:prod|production|staging|stage|qa|uat|dev|test|internal|local|corp|lan)\b[a-z0-9.-]*)",
                r"\b\d{1,3}(?:\.\d{1,3}){3}\b",
                r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.internal\b",
                r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.corp\b",
                r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.lan\b",
            ]),
            description: "Regular expressions for values that depend on the environment.",
        },
        OptionSpec {
            name: "environment-names",
            default: OptDefault::List(&[
                "prod",
                "production",
                "staging",
                "stage",
                "qa",
                "uat",
                "dev",
                "test",
            ]),
            description:
                "Schema or catalog names that name an environment (compared ignoring case).",
        },
    ],
    guideline: Some("GL-CHANGESET-004"),
    check,
};

const SKIPPED: &[&str] = &[
    "remarks",
    "comment",
    "xmlns",
    "schemaLocation",
    "id",
    "author",
];

fn check(cx: &Ctx, out: &mut Findings) {
    // One pass of a regex set over each value finds whether any pattern matches (most values match
    // none); only then the matching pattern runs again for the text to quote.
    let valid: Vec<String> = cx
        .opt_list("patterns")
        .into_iter()
        .filter(|p| cached_regex(p).is_some())
        .collect();
    let patterns: Vec<_> = valid.iter().filter_map(|p| cached_regex(p)).collect();
    let Some(set) = cached_regex_set(&valid) else {
        return;
    };
    let find = |v: &str| {
        let i = set.matches(v).iter().next()?;
        patterns.get(i)?.find(v).map(|m| m.as_str().to_string())
    };
    let envs = cx.opt_list("environment-names");
    for (_, _, ch) in cx.changes() {
        walk::attrs(&ch.element, &mut |_, a| {
            let v = &a.value.value;
            let n = a.name.value.as_str();
            if v.contains("${") || SKIPPED.contains(&n) {
                return;
            }
            if n.ends_with("chemaName") || n.ends_with("atalogName") {
                if envs.iter().any(|e| e.eq_ignore_ascii_case(v.trim())) {
                    out.add(
                        a.value.span,
                        format!(
                            "{n} {v} names an environment: use a ${{property}} set per environment"
                        ),
                    );
                }
                return;
            }
            if let Some(m) = find(v) {
                out.add(
                    a.value.span,
                    format!("{m} is environment-specific: use a ${{property}}"),
                );
            }
        });
    }
    for src in cx.sql() {
        for st in &src.statements {
            for t in st.tokens.iter().filter(|t| t.kind == TokenKind::Str) {
                let text = src.token_text(t);
                if text.contains("${") {
                    continue;
                }
                if let Some(m) = find(text) {
                    out.add(
                        src.doc_span(t.span),
                        format!("{m} is environment-specific: use a ${{property}}"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_with, xml, yaml};
    use serde_json::json;

    #[test]
    fn fires_on_hosts_urls_and_schemas() {
        let text = xml(r#"<changeSet id="1" author="a">
    <insert tableName="s" schemaName="prod"><column name="url" value="jdbc:postgresql://db1:5432/app"/><column name="ip" value="10.0.3.7"/></insert>
    <sql>INSERT INTO s VALUES ('https://api.staging.example.com/x', 'db.corp')</sql>
</changeSet>"#);
        assert_eq!(
            check(&RULE, &text).spans(),
            vec![
                "prod",
                "jdbc:postgresql://db1:5432/app",
                "10.0.3.7",
                "'https://api.staging.example.com/x'",
                "'db.corp'"
            ]
        );
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createTable:\n          schemaName: staging\n          tableName: t\n          columns:\n            - column:\n                name: c\n                type: int\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["staging"]);
    }

    #[test]
    fn silent_on_properties_and_plain_values() {
        let text = xml(r#"<changeSet id="1" author="a">
    <insert tableName="s" schemaName="${schema}"><column name="url" value="${app.url}"/><column name="v" value="1.2.3"/><column name="ns" value="http://www.xbrl.org/2003/instance"/><column name="push" value="https://fcm.googleapis.com"/><column name="d" value="https://devices.example.com"/></insert>
    <createTable tableName="t" remarks="see https://wiki.example.com"><column name="c" type="int"/></createTable>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
        let t = xml(
            r#"<changeSet id="1" author="a"><insert tableName="s"><column name="ip" value="10.0.3.7"/></insert></changeSet>"#,
        );
        assert_eq!(check_with(&RULE, &t, json!({"patterns": []})).count(), 0);
    }
}
