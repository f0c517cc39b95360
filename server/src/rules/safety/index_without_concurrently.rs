//! MS203 index-without-concurrently: an index built or dropped on an existing PostgreSQL table while
//! blocking writes.

use crate::model::Severity;
use crate::rules::safety::common;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS203",
    name: "index-without-concurrently",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "An index on an existing PostgreSQL table is created or dropped without CONCURRENTLY",
    doc: RuleDoc {
        what: "On changesets that target PostgreSQL (their `dbms`, else the configured `databases`; \
               with neither, see `when-no-database`), reports `createIndex` and `dropIndex` on a table \
               this file does not create, and `sql` `CREATE INDEX`/`DROP INDEX` without \
               `CONCURRENTLY`.",
        why: "A plain `CREATE INDEX` holds a SHARE lock for the whole build: every INSERT, UPDATE and \
              DELETE on the table waits, for minutes on a large table. `DROP INDEX` takes an ACCESS \
              EXCLUSIVE lock. Liquibase's `createIndex` has no concurrent option, so write the \
              statement as `sql` with `CONCURRENTLY`, in a changeset with `runInTransaction=\"false\"` \
              (PostgreSQL refuses CONCURRENTLY inside a transaction; see MS204). A failed concurrent \
              build leaves an INVALID index to drop before retrying.",
        bad: r#"<changeSet id="9" author="ana">
    <createIndex tableName="person" indexName="idx_person_email">
        <column name="email"/>
    </createIndex>
</changeSet>"#,
        good: r#"<changeSet id="9" author="ana" runInTransaction="false">
    <sql>CREATE INDEX CONCURRENTLY idx_person_email ON person (email)</sql>
</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "when-no-database",
        default: OptDefault::Bool(true),
        description: "Check changesets whose target database is unknown (no `dbms`, no `databases` \
                      configured) as if they ran on PostgreSQL.",
    }],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let assume = cx.opt_bool("when-no-database");
    for (i, cs, ch) in cx.changes() {
        let kind = ch.kind.value.as_str();
        if kind != "createIndex" && kind != "dropIndex" {
            continue;
        }
        let Some(table) = ch.attr_value("tableName") else {
            continue;
        };
        if !cx.table_origin(i, table).is_existing() || !common::targets_postgres(cx, cs, assume) {
            continue;
        }
        let verb = if kind == "createIndex" {
            "built"
        } else {
            "dropped"
        };
        out.add(
            ch.kind.span,
            format!(
                "index on existing table {table} is {verb} without CONCURRENTLY: writes to {table} \
                 block until it finishes; use sql with CONCURRENTLY and runInTransaction=\"false\""
            ),
        );
    }
    for src in cx.sql() {
        let Some(cs) = cx.changelog.changesets.get(src.changeset) else {
            continue;
        };
        if !common::targets_postgres(cx, cs, assume) {
            continue;
        }
        for st in &src.statements {
            let words = src.words(st);
            let Some((create, table)) = common::index_statement(&words) else {
                continue;
            };
            if words.iter().any(|w| w == "CONCURRENTLY") {
                continue;
            }
            if let Some(t) = &table {
                if !cx.table_origin(src.changeset, t).is_existing() {
                    continue;
                }
            }
            let verb = if create { "CREATE INDEX" } else { "DROP INDEX" };
            let span = src.doc_span(crate::rules::sql::SqlSource::statement_span(st));
            out.add(
                span,
                format!("{verb} without CONCURRENTLY blocks writes to the table while it runs"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_full, xml, yaml};
    use crate::rules::Config;
    use serde_json::json;

    #[test]
    fn fires_on_create_and_drop_index() {
        let text = xml(r#"<changeSet id="1" author="a">
    <createIndex tableName="t" indexName="idx_t_c"><column name="c"/></createIndex>
    <dropIndex tableName="t" indexName="idx_old"/>
    <sql>CREATE INDEX idx_x ON t (x)</sql>
</changeSet>"#);
        assert_eq!(
            check(&RULE, &text).spans(),
            vec!["createIndex", "dropIndex", "CREATE INDEX idx_x ON t (x)"]
        );
    }

    #[test]
    fn fires_in_yaml() {
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createIndex:\n          tableName: t\n          indexName: idx_t\n          columns:\n            - column:\n                name: c\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["createIndex"]);
    }

    #[test]
    fn silent_on_concurrently_new_tables_and_other_databases() {
        let text = xml(r#"<changeSet id="1" author="a" runInTransaction="false">
    <sql>CREATE INDEX CONCURRENTLY idx_x ON t (x)</sql>
</changeSet>
<changeSet id="2" author="a">
    <createTable tableName="n"><column name="c" type="int"/></createTable>
    <createIndex tableName="n" indexName="idx_n"><column name="c"/></createIndex>
</changeSet>
<changeSet id="3" author="a" dbms="oracle">
    <createIndex tableName="t" indexName="idx_t"><column name="c"/></createIndex>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
        let unknown = xml(
            r#"<changeSet id="1" author="a"><createIndex tableName="t" indexName="i"><column name="c"/></createIndex></changeSet>"#,
        );
        let mut config = Config::default();
        config.settings.databases = vec!["mysql".into()];
        assert_eq!(check_full(&RULE, &unknown, json!({}), config).count(), 0);
        assert_eq!(
            crate::rules::testing::check_with(&RULE, &unknown, json!({"when-no-database": false}))
                .count(),
            0
        );
    }
}
