//! LB108 ModifyDataTypeWarn: warns on every `modifyDataType`.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB108",
    name: "modify-data-type-warn",
    liquibase: Some("ModifyDataTypeWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset changes a column's data type",
    doc: RuleDoc {
        what: "Reports every `modifyDataType` change, at the new data type.",
        why: "Changing a type can truncate or reject existing values, rewrite the whole table under a \
              lock, and break clients that expect the old type. Liquibase cannot roll it back by itself.",
        bad: r#"<changeSet id="13" author="ana">
    <modifyDataType tableName="person" columnName="zip" newDataType="int"/>
</changeSet>"#,
        good: r#"<changeSet id="13" author="ana">
    <addColumn tableName="person"><column name="zip_code" type="varchar(10)"/></addColumn>
</changeSet>"#,
    },
    options: &[],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, _, ch) in cx.changes_of("modifyDataType") {
        let table = ch.attr_value("tableName").unwrap_or("?");
        let column = ch.attr_value("columnName").unwrap_or("?");
        match ch.element.attr("newDataType") {
            Some(t) => out.add(
                t.value.span,
                format!(
                    "column {table}.{column} changes type to {}: existing data may not convert",
                    t.value.value
                ),
            ),
            None => out.add(
                ch.kind.span,
                format!("column {table}.{column} changes type"),
            ),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_modify_data_type() {
        let text = xml(
            r#"<changeSet id="1" author="a"><modifyDataType tableName="t" columnName="c" newDataType="bigint"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["bigint"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - modifyDataType:\n          tableName: t\n          columnName: c\n          newDataType: text\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["text"]);
    }

    #[test]
    fn silent_otherwise() {
        let text = xml(
            r#"<changeSet id="1" author="a"><renameColumn tableName="t" oldColumnName="a" newColumnName="b"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
