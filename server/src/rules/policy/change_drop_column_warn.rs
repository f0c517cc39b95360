//! LB101 ChangeDropColumnWarn: warns on every `dropColumn`.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB101",
    name: "change-drop-column-warn",
    liquibase: Some("ChangeDropColumnWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset drops a column",
    doc: RuleDoc {
        what: "Reports every `dropColumn` change, at the column it drops (each nested `column` when \
               several are dropped at once).",
        why: "Dropping a column destroys its data for good, and running clients that still read or \
              write it fail as soon as the changeset runs. Liquibase cannot roll it back by itself. \
              Review that the column is unused and backed up, and that the application release that \
              stopped using it is already deployed.",
        bad: r#"<changeSet id="42" author="ana">
    <dropColumn tableName="person" columnName="nickname"/>
</changeSet>"#,
        good: r#"<!-- Reviewed: nickname unused since release 7.3, data archived in person_archive. -->
<changeSet id="42" author="ana">
    <!-- lqls-disable-next-line LB101 -->
    <dropColumn tableName="person" columnName="nickname"/>
    <rollback>
        <addColumn tableName="person"><column name="nickname" type="varchar(100)"/></addColumn>
    </rollback>
</changeSet>"#,
    },
    options: &[],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, _, ch) in cx.changes_of("dropColumn") {
        let table = ch.attr_value("tableName").unwrap_or("?");
        if let Some(col) = ch.element.attr("columnName") {
            out.add(
                col.value.span,
                format!(
                    "column {table}.{} is dropped: its data is lost",
                    col.value.value
                ),
            );
        }
        for col in ch.columns() {
            if let Some(name) = col.attr("name") {
                out.add(
                    name.value.span,
                    format!(
                        "column {table}.{} is dropped: its data is lost",
                        name.value.value
                    ),
                );
            }
        }
        if ch.element.attr("columnName").is_none() && ch.columns().next().is_none() {
            out.add(ch.kind.span, format!("a column of {table} is dropped"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_each_dropped_column() {
        let text = xml(r#"<changeSet id="1" author="a">
    <dropColumn tableName="person" columnName="nickname"/>
    <dropColumn tableName="t"><column name="a"/><column name="b"/></dropColumn>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["nickname", "a", "b"]);
    }

    #[test]
    fn fires_in_yaml() {
        let text = yaml(
            "- changeSet:\n    id: 1\n    author: a\n    changes:\n      - dropColumn:\n          tableName: t\n          columnName: c\n",
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["c"]);
    }

    #[test]
    fn silent_on_other_changes_and_rollbacks() {
        let text = xml(r#"<changeSet id="1" author="a">
    <addColumn tableName="t"><column name="c" type="int"/></addColumn>
    <rollback><dropColumn tableName="t" columnName="c"/></rollback>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
