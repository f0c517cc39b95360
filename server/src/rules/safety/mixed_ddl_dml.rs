//! MS213 mixed-ddl-dml: structure and row changes in one changeset.

use crate::model::{Change, Severity};
use crate::rules::safety::common;
use crate::rules::sql::SqlSource;
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
    guideline: Some("GL-DATA-001"),
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
        // A table created and filled in the same changeset is reported too: on a rerun after a
        // failed insert, the createTable fails.
        if let (Some(d), Some(m)) = (ddl, dml) {
            report(out, m, d);
            continue;
        }
        // One `sql` (or a formatted SQL changeset) holding both kinds of statement.
        for src in cx.sql_of(i) {
            let mut first_ddl = None;
            let mut first_dml = None;
            for st in &src.statements {
                match common::sql_statement_kind(&src.words(st)) {
                    Some("ddl") if first_ddl.is_none() => first_ddl = Some(st),
                    Some("dml") if first_dml.is_none() => first_dml = Some(st),
                    _ => {}
                }
            }
            if let (Some(d), Some(m)) = (first_ddl, first_dml) {
                let span =
                    |st: &crate::rules::sql::Statement| src.doc_span(SqlSource::statement_span(st));
                let word = |st: &crate::rules::sql::Statement| {
                    st.tokens
                        .first()
                        .map(|t| src.token_text(t).to_ascii_uppercase())
                        .unwrap_or_default()
                };
                out.add(
                    span(m),
                    format!(
                        "{} changes rows in the same changeset as {}: split them so a failure does \
                         not leave the changeset half applied",
                        word(m),
                        word(d)
                    ),
                )
                .related(span(d), "the schema change");
                break;
            }
        }
    }
}

fn report(out: &mut Findings, m: &Change, d: &Change) {
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
    fn fires_inside_one_sql() {
        let sql = "--liquibase formatted sql\n--changeset a:1\nALTER TABLE t ADD c int;\nUPDATE t SET c = 0;\n";
        assert_eq!(check(&RULE, sql).spans(), vec!["UPDATE t SET c = 0"]);
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
