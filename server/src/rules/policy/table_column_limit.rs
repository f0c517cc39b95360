//! LB126 TableColumnLimit: a created table has at most `max-columns` columns.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB126",
    name: "table-column-limit",
    liquibase: Some("TableColumnLimit"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: true,
    summary: "A created table has too many columns",
    doc: RuleDoc {
        what: "Reports a `createTable` with more than `max-columns` columns (default 50, as in \
               Liquibase), at the table name.",
        why:
            "Very wide tables are usually several entities in one; they are slow to scan, hard to \
              index and hard to evolve.",
        bad: r#"<!-- lqls.toml: [rules.table-column-limit] max-columns = 2 -->
<changeSet id="32" author="ana">
    <createTable tableName="person">
        <column name="id" type="int"/><column name="name" type="text"/><column name="street" type="text"/>
    </createTable>
</changeSet>"#,
        good: r#"<changeSet id="32" author="ana">
    <createTable tableName="person">
        <column name="id" type="int"/><column name="name" type="text"/>
    </createTable>
</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "max-columns",
        default: OptDefault::Int(50),
        description: "The largest number of columns a created table may have.",
    }],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let max = cx.opt_int("max-columns");
    if max <= 0 {
        return;
    }
    for (_, _, ch) in cx.changes_of("createTable") {
        let n = ch.columns().count();
        if n as i64 > max {
            let table = ch.attr_value("tableName").unwrap_or("?");
            let span = ch
                .element
                .attr("tableName")
                .map_or(ch.kind.span, |a| a.value.span);
            out.add(
                span,
                format!("table {table} has {n} columns, more than {max}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_with, xml, yaml};
    use serde_json::json;

    #[test]
    fn fires_above_limit() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="a" type="int"/><column name="b" type="int"/><column name="c" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(
            check_with(&RULE, &text, json!({"max-columns": 2})).spans(),
            vec!["t"]
        );
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createTable:\n          tableName: y\n          columns:\n            - column:\n                name: a\n                type: int\n            - column:\n                name: b\n                type: int\n");
        assert_eq!(
            check_with(&RULE, &text, json!({"max-columns": 1})).spans(),
            vec!["y"]
        );
    }

    #[test]
    fn silent_within_limit() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="a" type="int"/><column name="b" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
        assert_eq!(
            check_with(&RULE, &text, json!({"max-columns": 2})).count(),
            0
        );
    }
}
