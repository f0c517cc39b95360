//! LB127 TableCommentCheck: a created table has `remarks`.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB127",
    name: "table-comment-check",
    liquibase: Some("TableCommentCheck"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: false,
    summary: "A created table has no comment (remarks)",
    doc: RuleDoc {
        what: "Reports a `createTable` without a non-empty `remarks` attribute (or a `setTableRemarks` \
               for the table in the same changeset), at the table name. Off by default, as in Liquibase.",
        why: "Table comments are stored in the database catalog, where data catalogues, BI tools and \
              new team members read what a table is for.",
        bad: r#"<changeSet id="33" author="ana">
    <createTable tableName="invoice"><column name="id" type="int"/></createTable>
</changeSet>"#,
        good: r#"<changeSet id="33" author="ana">
    <createTable tableName="invoice" remarks="Invoices sent to customers, one row per invoice">
        <column name="id" type="int"/>
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
            if ch
                .attr_value("remarks")
                .is_some_and(|r| !r.trim().is_empty())
            {
                continue;
            }
            let table = ch.attr_value("tableName").unwrap_or("");
            let set_later = cs.changes.iter().any(|c| {
                c.kind.value == "setTableRemarks"
                    && c.attr_value("tableName")
                        .is_some_and(|t| t.eq_ignore_ascii_case(table))
            });
            if set_later {
                continue;
            }
            let span = ch
                .element
                .attr("tableName")
                .map_or(ch.kind.span, |a| a.value.span);
            out.add(span, format!("table {table} has no comment: add remarks"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_without_remarks() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"/><createTable tableName="u" remarks=" "/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["t", "u"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createTable:\n          tableName: y\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["y"]);
    }

    #[test]
    fn silent_with_remarks() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t" remarks="x"/><createTable tableName="u"/><setTableRemarks tableName="u" remarks="y"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
