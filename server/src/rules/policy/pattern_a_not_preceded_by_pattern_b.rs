//! LB123 PatternANotPrecededByPatternB: pattern A not preceded by pattern B in SQL.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

use super::util::{pattern_check, PatternMode, PATTERN_OPTIONS};

pub static RULE: Rule = Rule {
    code: "LB123",
    name: "pattern-a-not-preceded-by-pattern-b",
    liquibase: Some("PatternANotPrecededByPatternB"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: false,
    summary: "SQL: pattern A not preceded by pattern B",
    doc: RuleDoc {
        what: "Reports each match of the regular expression `pattern-a` in a SQL text when \
               `pattern-b` is not found before it in the same text. SQL is matched without \
               comments, tokens separated by one space, string literals as `''`. Off by default, \
               as in Liquibase: it needs both patterns.",
        why:
            "Some statements need a prerequisite earlier in the same changeset (a `SET` option, a \
              schema switch, ...).",
        bad: r#"<!-- pattern-a = "(?i)create table", pattern-b = "(?i)grant" -->
<changeSet id="29" author="ana">
    <sql>CREATE TABLE t (id int)</sql>
</changeSet>"#,
        good: r#"<changeSet id="29" author="ana">
    <sql>GRANT SELECT ON s TO app; CREATE TABLE t (id int)</sql>
</changeSet>"#,
    },
    options: PATTERN_OPTIONS,
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    pattern_check(cx, out, PatternMode::NotBefore);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_with, xml, yaml};
    use serde_json::json;

    fn opts() -> serde_json::Value {
        json!({"pattern-a": "(?i)create table", "pattern-b": "(?i)grant"})
    }

    #[test]
    fn fires() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>create table t (a int); grant select on t to u</sql></changeSet>"#,
        );
        assert_eq!(
            check_with(&RULE, &text, opts()).spans(),
            vec!["create table"]
        );
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: create table t (a int); grant select on t to u\n");
        assert_eq!(check_with(&RULE, &text, opts()).count(), 1);
    }

    #[test]
    fn silent() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>grant select on t to u; create table t (a int)</sql></changeSet>"#,
        );
        assert_eq!(check_with(&RULE, &text, opts()).count(), 0);
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>create table t (a int); grant select on t to u</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
