//! LB110 PrimaryKeyOnCreateTable: a new table declares a primary key.

use crate::model::access::parse_bool;
use crate::model::Severity;
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
               constraints, unless an `addPrimaryKey` for the table follows in the same changeset.",
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
    guideline: None,
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
}
