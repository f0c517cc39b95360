//! MS210 drop-breaks-clients: dropping a column or table in the same release that stops using it.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS210",
    name: "drop-breaks-clients",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Information,
    enabled: false,
    summary: "A column or table of an existing table is dropped while clients may still use it",
    doc: RuleDoc {
        what: "Reports `dropColumn` and `dropTable` on tables this file does not create. Off by \
               default: Liquibase's policy checks LB101 (dropColumn) and the dropTable check already \
               warn about the data loss; this rule is the expand/contract reminder for teams that \
               deploy with rolling updates.",
        why: "During a rolling deployment old application instances keep running against the \
              migrated schema. If they still select or insert the dropped column (ORMs list every \
              mapped column), they fail until replaced. Contract in two releases: first ship code \
              that no longer uses the column (ignored in the ORM mapping), then drop it.",
        bad: r#"<changeSet id="18" author="ana">
    <dropColumn tableName="person" columnName="nickname"/>
</changeSet>"#,
        good: r#"<!-- Release 8.1: no client maps person.nickname since 8.0 -->
<changeSet id="18" author="ana">
    <!-- lqls-disable-next-line MS210 -->
    <dropColumn tableName="person" columnName="nickname"/>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-005"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (i, _, ch) in cx.changes() {
        let kind = ch.kind.value.as_str();
        if kind != "dropColumn" && kind != "dropTable" {
            continue;
        }
        let Some(t) = ch.element.attr("tableName") else {
            continue;
        };
        if !cx.table_origin(i, &t.value.value).is_existing() {
            continue;
        }
        let what = if kind == "dropTable" {
            format!("table {}", t.value.value)
        } else {
            let col = ch
                .attr_value("columnName")
                .map(str::to_string)
                .unwrap_or_else(|| {
                    ch.columns()
                        .filter_map(|c| c.attr_value("name"))
                        .collect::<Vec<_>>()
                        .join(", ")
                });
            format!("{}.{col}", t.value.value)
        };
        out.add(
            ch.kind.span,
            format!(
                "running clients that still use {what} fail once it is gone: ship the code that \
                 stops using it in an earlier release"
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
            r#"<changeSet id="1" author="a"><dropColumn tableName="t" columnName="c"/><dropTable tableName="u"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["dropColumn", "dropTable"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - dropTable:\n          tableName: t\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }

    #[test]
    fn silent_on_new_table() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="c" type="int"/></createTable><dropTable tableName="t"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
