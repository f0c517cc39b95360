//! LB113 SqlGrantAdminWarn: warns on `GRANT ... WITH ADMIN OPTION`.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

use super::util::with_option;

pub static RULE: Rule = Rule {
    code: "LB113",
    name: "sql-grant-admin-warn",
    liquibase: Some("SqlGrantAdminWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "SQL grants with ADMIN OPTION",
    doc: RuleDoc {
        what: "Reports `GRANT` statements that end in `WITH ADMIN OPTION`, at those words.",
        why: "ADMIN OPTION lets the grantee pass the role or system privilege on to anyone, so access \
              spreads beyond what was reviewed.",
        bad: r#"<changeSet id="19" author="ana">
    <sql>GRANT dba_role TO app_user WITH ADMIN OPTION</sql>
</changeSet>"#,
        good: r#"<changeSet id="19" author="ana">
    <sql>GRANT app_read TO app_user</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-SECURITY-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (src, st, _) in cx.statements_starting_with("GRANT") {
        if let Some(span) = with_option(src, st, "ADMIN") {
            out.add(
                src.doc_span(span),
                "GRANT WITH ADMIN OPTION lets the grantee grant the privilege to others",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_admin_option() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>grant r to u with admin option</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["with admin option"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: GRANT r TO u WITH ADMIN OPTION\n");
        assert_eq!(check(&RULE, &text).count(), 1);
    }

    #[test]
    fn silent_otherwise() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>grant r to u; -- with admin option
select 'with admin option'</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
