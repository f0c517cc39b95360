//! MS220 volatile-default: a column added to an existing table with a default computed per row.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS220",
    name: "volatile-default",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A column with a per-row computed default is added to an existing table",
    doc: RuleDoc {
        what: "Reports `addColumn` columns on a table this file does not create whose \
               `defaultValueComputed` calls one of `volatile-functions` (random values, UUIDs, \
               clock time).",
        why: "A constant default (or `now()`, evaluated once) is stored as metadata on PostgreSQL 11+ \
              and MySQL 8 instant ADD COLUMN: no rewrite. A volatile default must be computed for \
              every existing row, so the database rewrites the whole table under an exclusive lock. \
              Add the column without the default, set the default for new rows in a second change, \
              and backfill existing rows in batches.",
        bad: r#"<changeSet id="28" author="ana">
    <addColumn tableName="orders">
        <column name="public_id" type="uuid" defaultValueComputed="gen_random_uuid()"/>
    </addColumn>
</changeSet>"#,
        good: r#"<changeSet id="28" author="ana">
    <addColumn tableName="orders"><column name="public_id" type="uuid"/></addColumn>
    <addDefaultValue tableName="orders" columnName="public_id" defaultValueComputed="gen_random_uuid()"/>
</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "volatile-functions",
        default: OptDefault::List(&[
            "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v4", "uuid",
            "newid", "newsequentialid", "sys_guid", "clock_timestamp", "timeofday", "rand",
            "nextval",
        ]),
        description: "Function names (any case) whose value differs per row.",
    }],
    guideline: Some("GL-LIVE-007"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let funcs: Vec<String> = cx
        .opt_list("volatile-functions")
        .iter()
        .map(|f| f.to_ascii_lowercase())
        .collect();
    for (i, _, ch) in cx.changes_of("addColumn") {
        let Some(table) = ch.attr_value("tableName") else {
            continue;
        };
        if !cx.table_origin(i, table).is_existing() {
            continue;
        }
        for col in ch.columns() {
            let Some(d) = col.attr("defaultValueComputed") else {
                continue;
            };
            let expr = d.value.value.to_ascii_lowercase();
            let called = funcs.iter().find(|f| {
                expr.match_indices(f.as_str()).any(|(at, _)| {
                    let before = expr[..at].chars().next_back();
                    let after = expr[at + f.len()..].trim_start().chars().next();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after == Some('(')
                })
            });
            if let Some(f) = called {
                let name = col.attr_value("name").unwrap_or("?");
                out.add(
                    d.value.span,
                    format!(
                        "{f}() gives every existing row of {table} its own value for {name}: the \
                         table is rewritten under an exclusive lock; add the column, then the default"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_volatile_defaults() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addColumn tableName="t">
        <column name="u" type="uuid" defaultValueComputed="gen_random_uuid()"/>
        <column name="c" type="timestamp" defaultValueComputed="now()"/>
        <column name="r" type="int" defaultValueComputed="my_random()"/>
    </addColumn>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["gen_random_uuid()"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addColumn:\n          tableName: t\n          columns:\n            - column:\n                name: id\n                type: uuid\n                defaultValueComputed: NEWID ()\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }

    #[test]
    fn silent_on_new_tables() {
        let text = xml(r#"<changeSet id="1" author="a">
    <createTable tableName="t"><column name="id" type="int"/></createTable>
    <addColumn tableName="t"><column name="u" type="uuid" defaultValueComputed="gen_random_uuid()"/></addColumn>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
