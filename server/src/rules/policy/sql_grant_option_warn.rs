//! LB114 SqlGrantOptionWarn: warns on `GRANT ... WITH GRANT OPTION`.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

use super::util::with_option;

pub static RULE: Rule = Rule {
    code: "LB114",
    name: "sql-grant-option-warn",
    liquibase: Some("SqlGrantOptionWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "SQL grants with GRANT OPTION",
    doc: RuleDoc {
        what: "Reports `GRANT` statements that end in `WITH GRANT OPTION`, at those words.",
        why:
            "GRANT OPTION lets the grantee hand the object privilege on to other users, so access \
              spreads beyond what was reviewed.",
        bad: r#"<changeSet id="20" author="ana">
    <sql>GRANT SELECT ON person TO app_user WITH GRANT OPTION</sql>
</changeSet>"#,
        good: r#"<changeSet id="20" author="ana">
    <sql>GRANT SELECT ON person TO app_user</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-SECURITY-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (src, st, _) in cx.statements_starting_with("GRANT") {
        if let Some(span) = with_option(src, st, "GRANT") {
            out.add(
                src.doc_span(span),
                "GRANT WITH GRANT OPTION lets the grantee grant the privilege to others",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_grant_option() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>grant select on t to u with grant option</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["with grant option"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: GRANT SELECT ON t TO u WITH GRANT OPTION\n");
        assert_eq!(check(&RULE, &text).count(), 1);
    }

    #[test]
    fn silent_otherwise() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>grant select on t to u /* with grant option */</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
