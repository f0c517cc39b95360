//! LB119 WarnOnUseDatabase: warns on `USE database` statements.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB119",
    name: "warn-on-use-database",
    liquibase: Some("WarnOnUseDatabase"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "SQL switches the database with USE",
    doc: RuleDoc {
        what: "Reports every `USE` statement in SQL (`USE sales`, `USE DATABASE sales`, `USE SCHEMA \
               s`), at `USE`. Snowflake's `USE ROLE`, `USE WAREHOUSE` and `USE SECONDARY ROLES` are \
               not reported.",
        why: "Liquibase records the changeset in the tracking tables of the connection's database. \
              A `USE` moves the rest of the deployment to another database, so later changesets run \
              in the wrong place and the history no longer matches reality.",
        bad: r#"<changeSet id="25" author="ana">
    <sql>USE sales; CREATE TABLE t (id int)</sql>
</changeSet>"#,
        good: r#"<changeSet id="25" author="ana">
    <createTable schemaName="sales" tableName="t"><column name="id" type="int"/></createTable>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-REVIEW-005"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (src, st, use_kw) in cx.statements_starting_with("USE") {
        // Snowflake's USE ROLE / USE WAREHOUSE / USE SECONDARY ROLES change the session's
        // privileges or compute, not where objects are created.
        let what = st.tokens.get(1);
        let other = what.is_some_and(|w| {
            ["ROLE", "WAREHOUSE", "SECONDARY"]
                .iter()
                .any(|k| src.is_kw(w, k))
        });
        if what.is_some() && !other {
            out.add(
                src.doc_span(use_kw.span),
                "USE switches the database mid-deployment",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_use() {
        let text = xml(r#"<changeSet id="1" author="a"><sql>use sales;
create table t (a int)</sql></changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["use"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: USE DATABASE mydb\n");
        assert_eq!(check(&RULE, &text).count(), 1);
    }

    #[test]
    fn silent_otherwise() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>use role admin; use warehouse w; select use from t; -- use other
update t set x = 'use db'</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
