//! LB118 SqlUserDefinedPatternCheck: reports SQL matching the team's regular expression.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

use super::util::flatten;

pub static RULE: Rule = Rule {
    code: "LB118",
    name: "sql-user-defined-pattern-check",
    liquibase: Some("SqlUserDefinedPatternCheck"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: false,
    summary: "SQL matches a forbidden pattern",
    doc: RuleDoc {
        what: "Reports SQL matching the regular expression `pattern`, at the matched words. The SQL \
               is matched with comments removed, tokens separated by one space, statements by `; ` \
               and string literals as `''`, so comments and strings never match. Off by default, as \
               in Liquibase: it needs a pattern.",
        why: "Teams forbid constructs Liquibase has no dedicated check for (touching the tracking \
              tables, `NOLOCK` hints, ...).",
        bad: r#"<!-- lqls.toml: [rules.sql-user-defined-pattern-check] pattern = "(?i)databasechangelog" -->
<changeSet id="24" author="ana">
    <sql>DELETE FROM DATABASECHANGELOG WHERE id = '7'</sql>
</changeSet>"#,
        good: r#"<changeSet id="24" author="ana">
    <sql>DELETE FROM person_staging</sql>
</changeSet>"#,
    },
    options: &[
        OptionSpec {
            name: "pattern",
            default: OptDefault::Regex(""),
            description: "The regular expression to report (use `(?i)` for any case).",
        },
        OptionSpec {
            name: "message",
            default: OptDefault::Str(""),
            description: "The message to show instead of the default one.",
        },
    ],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let Some(re) = cx.opt_regex("pattern") else {
        return;
    };
    let custom = cx.opt_str("message");
    for src in cx.sql() {
        let flat = flatten(src, &src.statements);
        for (s, e) in flat.matches(&re) {
            if let Some(span) = flat.span_of(s, e) {
                let msg = if custom.is_empty() {
                    format!("SQL matches the forbidden pattern {}", re.as_str())
                } else {
                    custom.clone()
                };
                out.add(src.doc_span(span), msg);
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
    fn fires_on_match() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>delete from  DATABASECHANGELOG where id = 'x'</sql></changeSet>"#,
        );
        let out = check_with(
            &RULE,
            &text,
            json!({"pattern": "(?i)delete from databasechangelog", "message": "no"}),
        );
        assert_eq!(out.spans(), vec!["delete from  DATABASECHANGELOG"]);
        assert_eq!(out.messages(), vec!["no"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: select x from t with (nolock)\n");
        assert_eq!(
            check_with(&RULE, &text, json!({"pattern": "(?i)nolock"})).count(),
            1
        );
    }

    #[test]
    fn silent_in_comments_strings_and_unset() {
        let text = xml(r#"<changeSet id="1" author="a"><sql>-- nolock
select 'nolock' from t</sql></changeSet>"#);
        assert_eq!(
            check_with(&RULE, &text, json!({"pattern": "(?i)nolock"})).count(),
            0
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
