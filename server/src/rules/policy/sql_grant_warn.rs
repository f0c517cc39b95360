//! LB112 SqlGrantWarn: warns on `GRANT` statements in SQL.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB112",
    name: "sql-grant-warn",
    liquibase: Some("SqlGrantWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "SQL grants privileges",
    doc: RuleDoc {
        what: "Reports every `GRANT` statement in `sql` changes, readable `sqlFile`s and formatted SQL, \
               at the `GRANT` keyword. Comments and string literals are never mistaken for statements.",
        why: "Privileges are security decisions; granting them from a migration hides them in a \
              changelog where security reviewers rarely look. Manage them where access is reviewed.",
        bad: r#"<changeSet id="18" author="ana">
    <sql>GRANT SELECT ON person TO reporting</sql>
</changeSet>"#,
        good: r#"<changeSet id="18" author="ana">
    <createView viewName="v_person_public">SELECT id, name FROM person</createView>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-SECURITY-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (src, _, grant) in cx.statements_starting_with("GRANT") {
        out.add(src.doc_span(grant.span), "SQL grants privileges");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_grant() {
        let text = xml(r#"<changeSet id="1" author="a"><sql>create table t (a int);
grant select on t to u</sql></changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["grant"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: GRANT ALL ON t TO u\n");
        assert_eq!(check(&RULE, &text).count(), 1);
        let text = "--liquibase formatted sql\n--changeset a:1\nGRANT SELECT ON t TO u;\n";
        assert_eq!(check(&RULE, text).spans(), vec!["GRANT"]);
    }

    #[test]
    fn silent_in_comments_and_strings() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>-- grant select on t to u
insert into t values ('grant all'); /* grant */</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
