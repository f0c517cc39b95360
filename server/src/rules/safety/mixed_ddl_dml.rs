//! MS213 mixed-ddl-dml: structure and row changes in one changeset.

use crate::model::Severity;
use crate::rules::safety::common;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS213",
    name: "mixed-ddl-dml",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset mixes schema changes (DDL) with row changes (DML)",
    doc: RuleDoc {
        what: "Reports the first row change (`insert`, `update`, `delete`, `loadData`, \
               `loadUpdateData`, DML `sql`) of a changeset that also changes structure (any other \
               change type, or DDL `sql`).",
        why: "On databases where DDL is not transactional (MySQL, MariaDB, Oracle) each DDL statement \
              commits on its own: if the DML after it fails, the structure change stays, the \
              changeset is not marked as run, and the rerun fails on the object that already exists. \
              Even on PostgreSQL a long data change holds the DDL's exclusive lock until the end. One \
              concern per changeset keeps failures restartable.",
        bad: r#"<changeSet id="22" author="ana">
    <addColumn tableName="person"><column name="status" type="varchar(20)"/></addColumn>
    <update tableName="person"><column name="status" value="active"/><where>status IS NULL</where></update>
</changeSet>"#,
        good: r#"<changeSet id="22" author="ana">
    <addColumn tableName="person"><column name="status" type="varchar(20)"/></addColumn>
</changeSet>
<changeSet id="23" author="ana">
    <update tableName="person"><column name="status" value="active"/><where>status IS NULL</where></update>
</changeSet>"#,
    },
    options: &[],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (i, cs) in cx.changelog.changesets.iter().enumerate() {
        let mut ddl = None;
        let mut dml = None;
        for (j, ch) in cs.changes.iter().enumerate() {
            match common::change_is_dml(cx, i, j, &ch.kind.value) {
                Some(true) if dml.is_none() => dml = Some(ch),
                Some(false) if ddl.is_none() => ddl = Some(ch),
                _ => {}
            }
        }
        // A table created and filled in the same changeset is a common, harmless seed pattern only
        // when the rerun is safe; it is still reported (the createTable fails on rerun).
        if let (Some(d), Some(m)) = (ddl, dml) {
            out.add(
                m.kind.span,
                format!(
                    "{} changes rows in a changeset that also runs {}: split them so a failure does \
                     not leave the changeset half applied",
                    m.kind.value, d.kind.value
                ),
            )
            .related(d.kind.span, "the schema change");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_mix() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addColumn tableName="t"><column name="c" type="int"/></addColumn>
    <sql>UPDATE t SET c = 1</sql>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["sql"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: ALTER TABLE t ADD c int\n      - insert:\n          tableName: t\n          columns:\n            - column:\n                name: c\n                value: 1\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["insert"]);
    }

    #[test]
    fn silent_when_split() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addColumn tableName="t"><column name="c" type="int"/></addColumn>
    <tagDatabase tag="v1"/>
</changeSet>
<changeSet id="2" author="a">
    <update tableName="t"><column name="c" value="1"/><where>1 = 1</where></update>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
