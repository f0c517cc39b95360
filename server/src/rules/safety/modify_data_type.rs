//! MS209 modify-data-type: changing the type of a column of an existing table.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS209",
    name: "modify-data-type",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "The type of a column of an existing table is changed",
    doc: RuleDoc {
        what: "Reports `modifyDataType` on a table this file does not create, at the new type.",
        why: "Most type changes rewrite the whole table and its indexes under an exclusive lock \
              (PostgreSQL `ALTER COLUMN TYPE`, MySQL `MODIFY`), blocking reads and writes for the \
              duration, and a narrowing change can fail or truncate data half-way. Clients that map \
              the old type may break too. Only a few changes are metadata-only (e.g. widening a \
              VARCHAR on PostgreSQL). Otherwise add a new column, backfill in batches, switch \
              clients, then drop the old column.",
        bad: r#"<changeSet id="17" author="ana">
    <modifyDataType tableName="orders" columnName="total" newDataType="decimal(19,4)"/>
</changeSet>"#,
        good: r#"<changeSet id="17" author="ana">
    <addColumn tableName="orders"><column name="total_exact" type="decimal(19,4)"/></addColumn>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-006"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, ch, table) in cx.changes_on_existing_tables("modifyDataType", "tableName") {
        let table = table.value.value.as_str();
        let col = ch.attr_value("columnName").unwrap_or("?");
        let span = ch
            .element
            .attr("newDataType")
            .map_or(ch.kind.span, |a| a.value.span);
        out.add(
            span,
            format!(
                "changing the type of {table}.{col} usually rewrites the table under an exclusive \
                 lock and can break clients; prefer a new column and a backfill"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_existing() {
        let text = xml(
            r#"<changeSet id="1" author="a"><modifyDataType tableName="t" columnName="c" newDataType="bigint"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["bigint"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - modifyDataType:\n          tableName: t\n          columnName: c\n          newDataType: text\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["text"]);
    }

    #[test]
    fn silent_on_new_table() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="c" type="int"/></createTable><modifyDataType tableName="t" columnName="c" newDataType="bigint"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
