//! LB116 SqlRevokeWarn: warns on `REVOKE` statements in SQL.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB116",
    name: "sql-revoke-warn",
    liquibase: Some("SqlRevokeWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "SQL revokes privileges",
    doc: RuleDoc {
        what: "Reports every `REVOKE` statement in SQL, at the `REVOKE` keyword.",
        why: "Revoking privileges from a migration can lock an application or a team out of the \
              database the moment the changeset runs; access changes belong to the access review.",
        bad: r#"<changeSet id="22" author="ana">
    <sql>REVOKE SELECT ON person FROM reporting</sql>
</changeSet>"#,
        good: r#"<changeSet id="22" author="ana">
    <comment>Access for reporting is managed by the DBA team (ticket SEC-12)</comment>
    <dropView viewName="v_person_report"/>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-SECURITY-003"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (src, _, revoke) in cx.statements_starting_with("REVOKE") {
        out.add(src.doc_span(revoke.span), "SQL revokes privileges");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_revoke() {
        let text =
            xml(r#"<changeSet id="1" author="a"><sql>revoke select on t from u</sql></changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["revoke"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: REVOKE ALL ON t FROM u\n");
        assert_eq!(check(&RULE, &text).count(), 1);
    }

    #[test]
    fn silent_in_comments() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>-- revoke select on t from u
select 'revoke' from t</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
