//! MS204 concurrently-in-transaction: `CONCURRENTLY` index SQL in a changeset that runs in a
//! transaction.

use crate::model::Severity;
use crate::rules::edit as edits;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS204",
    name: "concurrently-in-transaction",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Error,
    enabled: true,
    summary: "CREATE/DROP INDEX CONCURRENTLY in a changeset that runs in a transaction",
    doc: RuleDoc {
        what: "Reports `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY` and `REINDEX ... \
               CONCURRENTLY` in the SQL of a changeset without `runInTransaction=\"false\"`.",
        why: "Liquibase wraps every changeset in a transaction unless told otherwise, and PostgreSQL \
              refuses these statements inside one (`cannot run inside a transaction block`): the \
              deployment stops. The quick fix adds `runInTransaction=\"false\"` to the changeset. \
              Keep such a changeset to the one statement: without a transaction, a failure half-way \
              is not rolled back.",
        bad: r#"<changeSet id="9" author="ana">
    <sql>CREATE INDEX CONCURRENTLY idx_person_email ON person (email)</sql>
</changeSet>"#,
        good: r#"<changeSet id="9" author="ana" runInTransaction="false">
    <sql>CREATE INDEX CONCURRENTLY idx_person_email ON person (email)</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for src in cx.sql() {
        let Some(cs) = cx.changelog.changesets.get(src.changeset) else {
            continue;
        };
        if !cs.run_in_transaction() {
            continue;
        }
        for st in &src.statements {
            let words = src.words(st);
            let index = matches!(
                words.first().map(String::as_str),
                Some("CREATE" | "DROP" | "REINDEX")
            ) && words.iter().any(|w| w == "INDEX");
            let Some(tok) = st.tokens.iter().find(|t| src.is_kw(t, "CONCURRENTLY")) else {
                continue;
            };
            if !index {
                continue;
            }
            out.add(
                src.doc_span(tok.span),
                "CONCURRENTLY cannot run inside a transaction: set runInTransaction=\"false\" on the changeset",
            )
            .related(cs.header, "this changeset runs in a transaction")
            .fix_opt(edits::fix(
                "Add runInTransaction=\"false\" to the changeset",
                edits::set_changeset_attr(cx, cs, "runInTransaction", "false", edits::Value::Literal),
                false,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    const XML: &str = r#"<changeSet id="1" author="a">
    <sql>CREATE INDEX CONCURRENTLY idx_x ON t (x)</sql>
</changeSet>"#;

    #[test]
    fn fires_and_fixes_xml() {
        assert_eq!(check(&RULE, &xml(XML)).spans(), vec!["CONCURRENTLY"]);
        let fixed = assert_fix_removes(&RULE, &xml(XML));
        assert!(
            fixed.contains(r#"<changeSet runInTransaction="false" id="1""#),
            "{fixed}"
        );
    }

    #[test]
    fn fires_and_fixes_yaml() {
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: DROP INDEX CONCURRENTLY idx_x\n");
        assert_eq!(check(&RULE, &text).count(), 1);
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(
            fixed.contains("    runInTransaction: false\n    id: 1"),
            "{fixed}"
        );
    }

    #[test]
    fn fix_replaces_an_explicit_true() {
        let text = xml(r#"<changeSet id="1" author="a" runInTransaction="true">
    <sql>CREATE INDEX CONCURRENTLY idx_x ON t (x)</sql>
</changeSet>"#);
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(
            fixed.contains(r#"author="a" runInTransaction="false">"#),
            "{fixed}"
        );
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    runInTransaction: true\n    changes:\n      - sql:\n          sql: DROP INDEX CONCURRENTLY idx_x\n");
        let fixed = assert_fix_removes(&RULE, &y);
        assert!(
            fixed.contains("    runInTransaction: false\n    changes"),
            "{fixed}"
        );
        let sql = "--liquibase formatted sql\n--changeset ana:1 runInTransaction:true\nCREATE INDEX CONCURRENTLY idx_x ON t (x);\n";
        assert!(
            assert_fix_removes(&RULE, sql).contains("--changeset ana:1 runInTransaction:false\n")
        );
    }

    #[test]
    fn fixes_formatted_sql_and_json() {
        let sql = "--liquibase formatted sql\n\n--changeset ana:1\nCREATE INDEX CONCURRENTLY idx_x ON t (x);\n";
        assert_eq!(check(&RULE, sql).spans(), vec!["CONCURRENTLY"]);
        let fixed = assert_fix_removes(&RULE, sql);
        assert!(
            fixed.contains("--changeset ana:1 runInTransaction:false\n"),
            "{fixed}"
        );
        let json = r#"{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "a", "changes": [{"sql": {"sql": "CREATE INDEX CONCURRENTLY i ON t (x)"}}]}}]}"#;
        assert_eq!(check(&RULE, json).count(), 1);
        let fixed = assert_fix_removes(&RULE, json);
        assert!(
            fixed.contains(r#""runInTransaction": false, "id""#),
            "{fixed}"
        );
    }

    #[test]
    fn silent_outside_transaction_and_without_concurrently() {
        let text = xml(r#"<changeSet id="1" author="a" runInTransaction="false">
    <sql>CREATE INDEX CONCURRENTLY idx_x ON t (x)</sql>
</changeSet>
<changeSet id="2" author="a">
    <sql>REFRESH MATERIALIZED VIEW CONCURRENTLY mv; CREATE INDEX i ON t (concurrently_flag)</sql>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
