//! LB115 SqlGrantSpecificPrivsWarn: warns when SQL grants one of the listed privileges.

use crate::model::Severity;
use crate::rules::sql::TokenKind;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB115",
    name: "sql-grant-specific-privs-warn",
    liquibase: Some("SqlGrantSpecificPrivsWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: false,
    summary: "SQL grants a privilege the team restricts",
    doc: RuleDoc {
        what: "Reports, in `GRANT` statements, each privilege listed in `privileges` (default: `ALL`, \
               `DELETE`, `DROP`, `ALTER`, `TRUNCATE`), at the privilege. Off by default, as it needs \
               the team's own list; Liquibase also ships it disabled until customised.",
        why: "Some privileges (destructive or schema-changing ones) should only be granted through \
              the security review process, never from a migration.",
        bad: r#"<changeSet id="21" author="ana">
    <sql>GRANT SELECT, DELETE ON person TO app_user</sql>
</changeSet>"#,
        good: r#"<changeSet id="21" author="ana">
    <sql>GRANT SELECT ON person TO app_user</sql>
</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "privileges",
        default: OptDefault::List(&["ALL", "DELETE", "DROP", "ALTER", "TRUNCATE"]),
        description: "Privileges to report (any case; `ALL` also matches `ALL PRIVILEGES`).",
    }],
    guideline: Some("GL-SECURITY-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let privs: Vec<String> = cx
        .opt_list("privileges")
        .iter()
        .map(|p| p.trim().to_ascii_uppercase())
        .collect();
    for src in cx.sql() {
        for st in &src.statements {
            if !st.tokens.first().is_some_and(|t| src.is_kw(t, "GRANT")) {
                continue;
            }
            // The privilege list runs up to ON (object privileges) or TO (roles, system privileges).
            for t in st.tokens.iter().skip(1) {
                if src.is_kw(t, "ON") || src.is_kw(t, "TO") {
                    break;
                }
                if t.kind != TokenKind::Word {
                    continue;
                }
                let word = src.token_text(t).to_ascii_uppercase();
                if privs.contains(&word) {
                    out.add(
                        src.doc_span(t.span),
                        format!("SQL grants the {word} privilege"),
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
    fn fires_on_listed_privileges() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>grant select, delete on t to u; grant all privileges on t to drop_user</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["delete", "all"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: GRANT SELECT, INSERT ON t TO u\n");
        assert_eq!(
            check_with(&RULE, &text, json!({"privileges": ["insert"]})).spans(),
            vec!["INSERT"]
        );
    }

    #[test]
    fn silent_on_other_privileges() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>grant select on t to u; delete from t</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
