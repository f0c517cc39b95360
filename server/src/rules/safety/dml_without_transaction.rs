//! MS212 dml-without-transaction: row changes in a changeset with `runInTransaction="false"`.

use crate::model::Severity;
use crate::rules::safety::common;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS212",
    name: "dml-without-transaction",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "Rows are changed in a changeset that runs without a transaction",
    doc: RuleDoc {
        what: "Reports `insert`, `update`, `delete`, `loadData`, `loadUpdateData` and `sql` with \
               INSERT/UPDATE/DELETE/MERGE in a changeset with `runInTransaction=\"false\"`.",
        why: "Without a transaction each statement commits on its own: if the changeset fails half-way \
              the rows written so far stay, Liquibase does not mark the changeset as run, and the \
              next run applies the first statements again (duplicate inserts, double updates). Keep \
              `runInTransaction=\"false\"` for the statements that need it (CONCURRENTLY, some \
              `ALTER TYPE`) in a changeset of their own.",
        bad: r#"<changeSet id="20" author="ana" runInTransaction="false">
    <sql>CREATE INDEX CONCURRENTLY idx_person_email ON person (email)</sql>
    <insert tableName="setting"><column name="key" value="email.index"/></insert>
</changeSet>"#,
        good: r#"<changeSet id="20" author="ana" runInTransaction="false">
    <sql>CREATE INDEX CONCURRENTLY idx_person_email ON person (email)</sql>
</changeSet>
<changeSet id="21" author="ana">
    <insert tableName="setting"><column name="key" value="email.index"/></insert>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-DATA-004"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (i, cs) in cx.changelog.changesets.iter().enumerate() {
        if cs.run_in_transaction() {
            continue;
        }
        let attr = cs.attrs.iter().find(|a| a.name.value == "runInTransaction");
        for (j, ch) in cs.changes.iter().enumerate() {
            if common::change_is_dml(cx, i, j, &ch.kind.value) != Some(true) {
                continue;
            }
            let f = out.add(
                ch.kind.span,
                format!(
                    "{} changes rows without a transaction: a failure leaves part of it applied and a \
                     rerun repeats it",
                    ch.kind.value
                ),
            );
            if let Some(a) = attr {
                f.related(a.value.span, "the changeset runs without a transaction");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_dml() {
        let text = xml(r#"<changeSet id="1" author="a" runInTransaction="false">
    <sql>CREATE INDEX CONCURRENTLY i ON t (c)</sql>
    <insert tableName="t"><column name="c" value="1"/></insert>
    <sql>UPDATE t SET c = 2 WHERE c = 1</sql>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["insert", "sql"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    runInTransaction: false\n    changes:\n      - delete:\n          tableName: t\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }

    #[test]
    fn silent_in_transaction() {
        let text = xml(r#"<changeSet id="1" author="a">
    <insert tableName="t"><column name="c" value="1"/></insert>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
