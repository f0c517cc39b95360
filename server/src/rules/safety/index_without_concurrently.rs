//! MS203 index-without-concurrently: an index built or dropped on an existing PostgreSQL table while
//! blocking writes.

use crate::model::{Change, ChangeSet, Fix, Format, Severity, TextEdit};
use crate::rules::edit as edits;
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
              build leaves an INVALID index to drop before retrying. When the index change is alone in its \
              changeset, the quick fix rewrites it that way (with a `DROP INDEX CONCURRENTLY` \
              rollback for a created index, since `sql` has no automatic one).",
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
    guideline: Some("GL-LIVE-002"),
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
        // Rewritten only when the change is alone: runInTransaction="false" applies to the whole
        // changeset.
        let fix = if cs.changes.len() == 1 {
            concurrent_fix(cx, cs, ch)
        } else {
            None
        };
        out.add(
            ch.kind.span,
            format!(
                "index on existing table {table} is {verb} without CONCURRENTLY: writes to {table} \
                 block until it finishes; use sql with CONCURRENTLY and runInTransaction=\"false\""
            ),
        )
        .fix_opt(fix);
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

/// The change as `CREATE INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY` SQL.
fn concurrent_sql(ch: &Change) -> Option<String> {
    let index = ch.attr_value("indexName")?;
    let plain = |s: &str| !s.is_empty() && !s.contains(['\'', '<', '&', '"', '\n', '#', ':']);
    let schema = ch
        .attr_value("schemaName")
        .map(|s| format!("{s}."))
        .unwrap_or_default();
    if !plain(index) || !schema.is_empty() && !plain(&schema) {
        return None;
    }
    if ch.kind.value == "dropIndex" {
        return Some(format!("DROP INDEX CONCURRENTLY {schema}{index}"));
    }
    let table = ch.attr_value("tableName").filter(|t| plain(t))?;
    let mut cols = Vec::new();
    for c in ch.columns() {
        let name = c.attr_value("name").filter(|n| plain(n))?;
        let desc = c
            .attr_value("descending")
            .is_some_and(|d| d.trim().eq_ignore_ascii_case("true"));
        cols.push(if desc {
            format!("{name} DESC")
        } else {
            name.to_string()
        });
    }
    if cols.is_empty() {
        return None;
    }
    let unique = ch
        .attr_value("unique")
        .is_some_and(|u| u.trim().eq_ignore_ascii_case("true"));
    Some(format!(
        "CREATE {}INDEX CONCURRENTLY {index} ON {schema}{table} ({})",
        if unique { "UNIQUE " } else { "" },
        cols.join(", ")
    ))
}

/// Rewrites a changeset's only change as concurrent SQL outside a transaction, with the matching
/// rollback for a `createIndex` (a `sql` change has no automatic one).
fn concurrent_fix(cx: &Ctx, cs: &ChangeSet, ch: &Change) -> Option<Fix> {
    let sql = concurrent_sql(ch)?;
    let rollback = (ch.kind.value == "createIndex" && cs.rollbacks.is_empty())
        .then(|| ch.attr_value("indexName"))
        .flatten()
        .map(|index| {
            let schema = ch
                .attr_value("schemaName")
                .map(|s| format!("{s}."))
                .unwrap_or_default();
            format!("DROP INDEX CONCURRENTLY {schema}{index}")
        });
    let mut edits_out = vec![edits::set_changeset_attr(
        cx,
        cs,
        "runInTransaction",
        "false",
        edits::Value::Literal,
    )?];
    let new_change = match cx.changelog.format {
        Format::Xml => {
            let ind = edits::line_indent(cx.text, ch.element.span.start);
            match &rollback {
                Some(r) => format!("<sql>{sql}</sql>\n{ind}<rollback>{r}</rollback>"),
                None => format!("<sql>{sql}</sql>"),
            }
        }
        Format::Yaml => {
            let key = ch.kind.span.start;
            let col = key - cx.text.get(..key)?.rfind('\n').map_or(0, |i| i + 1);
            if let Some(r) = &rollback {
                edits_out.push(edits::set_changeset_attr(
                    cx,
                    cs,
                    "rollback",
                    r,
                    edits::Value::Text,
                )?);
            }
            // Nested keys at the indentation the change's own keys use.
            let inner = ch
                .element
                .attrs
                .first()
                .map(|a| edits::line_indent(cx.text, a.name.span.start).len())
                .filter(|&n| n > col)
                .unwrap_or(col + 2);
            format!("sql:\n{}sql: {sql}", " ".repeat(inner))
        }
        _ => return None,
    };
    let span = match cx.changelog.format {
        Format::Yaml => crate::model::Span::new(ch.kind.span.start, ch.element.span.end),
        _ => ch.element.span,
    };
    edits_out.push(TextEdit {
        span,
        new_text: new_change,
    });
    Some(Fix::new(
        "Rewrite as CONCURRENTLY SQL outside a transaction",
        edits_out,
        false,
    ))
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
    fn fix_rewrites_as_concurrent_sql() {
        let text = xml(r#"<changeSet id="1" author="a">
    <createIndex tableName="t" indexName="idx_t_c" unique="true"><column name="c"/><column name="d" descending="true"/></createIndex>
</changeSet>"#);
        let fixed = crate::rules::testing::assert_fix_removes(&RULE, &text);
        assert!(
            fixed.contains("<changeSet runInTransaction=\"false\" id=\"1\""),
            "{fixed}"
        );
        assert!(fixed.contains("<sql>CREATE UNIQUE INDEX CONCURRENTLY idx_t_c ON t (c, d DESC)</sql>\n    <rollback>DROP INDEX CONCURRENTLY idx_t_c</rollback>"), "{fixed}");
        assert_eq!(
            check(&super::super::concurrently_in_transaction::RULE, &fixed).count(),
            0
        );
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - dropIndex:\n          tableName: t\n          indexName: idx_t\n");
        let fixed = crate::rules::testing::assert_fix_removes(&RULE, &y);
        assert!(
            fixed.contains("      - sql:\n          sql: DROP INDEX CONCURRENTLY idx_t\n"),
            "{fixed}"
        );
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createIndex:\n          tableName: t\n          indexName: idx_t\n          columns:\n            - column:\n                name: c\n");
        let fixed = crate::rules::testing::assert_fix_removes(&RULE, &y);
        assert!(
            fixed.contains("rollback: \"DROP INDEX CONCURRENTLY idx_t\""),
            "{fixed}"
        );
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
