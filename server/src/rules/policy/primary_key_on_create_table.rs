//! LB110 PrimaryKeyOnCreateTable: a new table declares a primary key.

use crate::model::access::parse_bool;
use crate::model::{Severity, Span};
use crate::rules::sql::{SqlSource, TokenKind};
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB110",
    name: "primary-key-on-create-table",
    liquibase: Some("PrimaryKeyOnCreateTable"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "A created table has no primary key",
    doc: RuleDoc {
        what: "Reports a `createTable` none of whose columns has `primaryKey=\"true\"` in its \
               constraints, unless an `addPrimaryKey` for the table follows in the same changeset. \
               In SQL, reports `CREATE TABLE name (...)` statements without `PRIMARY KEY`, unless an \
               `ALTER TABLE name ... PRIMARY KEY` follows in the same SQL; temporary tables and \
               `CREATE TABLE ... AS` / `LIKE` are left out.",
        why:
            "Without a primary key rows cannot be addressed reliably: replication, ORMs and later \
              updates and deletes suffer, and duplicates creep in.",
        bad: r#"<changeSet id="16" author="ana">
    <createTable tableName="tag"><column name="name" type="varchar(50)"/></createTable>
</changeSet>"#,
        good: r#"<changeSet id="16" author="ana">
    <createTable tableName="tag">
        <column name="id" type="bigint"><constraints primaryKey="true"/></column>
        <column name="name" type="varchar(50)"/>
    </createTable>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-TYPES-005"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for cs in &cx.changelog.changesets {
        for ch in cs.changes.iter().filter(|c| c.kind.value == "createTable") {
            let has_pk = ch.columns().any(|col| {
                col.child("constraints")
                    .and_then(|c| c.attr_value("primaryKey"))
                    .and_then(parse_bool)
                    .unwrap_or(false)
            });
            if has_pk {
                continue;
            }
            let table = ch.attr_value("tableName").unwrap_or("");
            let added_later = cs.changes.iter().any(|c| {
                c.kind.value == "addPrimaryKey"
                    && c.attr_value("tableName")
                        .is_some_and(|t| t.eq_ignore_ascii_case(table))
            });
            if added_later {
                continue;
            }
            let span = ch
                .element
                .attr("tableName")
                .map_or(ch.kind.span, |a| a.value.span);
            out.add(
                span,
                format!("table {table} is created without a primary key"),
            );
        }
    }
    for src in cx.sql() {
        for (span, table) in sql_tables_without_pk(src) {
            out.add(
                src.doc_span(span),
                format!("table {table} is created without a primary key"),
            );
        }
    }
}

/// `CREATE TABLE` statements of a SQL text that declare no primary key and get none from a later
/// `ALTER TABLE` in the same text: the span of `CREATE ... TABLE` and the table name.
fn sql_tables_without_pk(src: &SqlSource) -> Vec<(Span, String)> {
    let mut created: Vec<(Span, String)> = Vec::new();
    let mut altered: Vec<String> = Vec::new();
    for st in &src.statements {
        let t = &st.tokens;
        let words = src.words(st);
        let has_pk = words.windows(2).any(|w| w[0] == "PRIMARY" && w[1] == "KEY");
        let Some(first) = t.first() else { continue };
        if words.first().map(String::as_str) == Some("ALTER")
            && words.get(1).map(String::as_str) == Some("TABLE")
        {
            if has_pk {
                let mut k = 2;
                while words.get(k + 1).map(String::as_str) == Some(".") {
                    k += 2;
                }
                altered.extend(words.get(k).cloned());
            }
            continue;
        }
        if words.first().map(String::as_str) != Some("CREATE") || has_pk {
            continue;
        }
        let Some(table_at) = t.iter().position(|k| src.is_kw(k, "TABLE")) else {
            continue;
        };
        // Only plain tables: `CREATE [OR REPLACE] [UNLOGGED] TABLE`; temporary ones hold no
        // lasting data.
        let plain = words.get(1..table_at).is_some_and(|mods| {
            mods.iter()
                .all(|m| matches!(m.as_str(), "OR" | "REPLACE" | "UNLOGGED"))
        });
        if !plain {
            continue;
        }
        let mut i = table_at + 1;
        if words.get(i).map(String::as_str) == Some("IF") {
            i += 3;
        }
        if t.get(i).is_none_or(|n| n.kind == TokenKind::Punct) {
            continue;
        }
        // Qualified names: the table is the last part.
        let mut j = i + 1;
        while words.get(j).map(String::as_str) == Some(".") {
            j += 2;
        }
        // A column list must follow; `AS SELECT`, `LIKE` and `PARTITION OF` copy structure.
        if words.get(j).map(String::as_str) != Some("(") {
            continue;
        }
        let (Some(name), Some(table_kw)) = (words.get(j - 1), t.get(table_at)) else {
            continue;
        };
        created.push((first.span.cover(table_kw.span), name.clone()));
    }
    created
        .into_iter()
        .filter(|(_, name)| !altered.iter().any(|a| a.eq_ignore_ascii_case(name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_without_primary_key() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="a" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["t"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createTable:\n          tableName: y\n          columns:\n            - column:\n                name: a\n                type: int\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["y"]);
    }

    #[test]
    fn silent_with_primary_key() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="a" type="int"><constraints primaryKey="true"/></column></createTable></changeSet>
<changeSet id="2" author="a"><createTable tableName="u"><column name="a" type="int"/></createTable><addPrimaryKey tableName="U" columnNames="a"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createTable:\n          tableName: y\n          columns:\n            - column:\n                name: a\n                type: int\n                constraints:\n                  primaryKey: true\n");
        assert_eq!(check(&RULE, &text).count(), 0);
    }

    #[test]
    fn fires_on_sql_create_table() {
        let text = xml(r#"<changeSet id="1" author="a"><sql>create table t (a int);
create table if not exists s.u (a int primary key);
create table s.v (a int); alter table s.v add constraint pk_v primary key (a);
create temporary table w (a int); create table x as select 1 as a;
-- create table y (a int)
</sql></changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["create table"]);
        let text = "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE person (id int, name text);\n";
        assert_eq!(check(&RULE, text).spans(), vec!["CREATE TABLE"]);
    }
}
