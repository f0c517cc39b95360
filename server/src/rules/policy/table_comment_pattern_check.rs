//! LB128 TableCommentPatternCheck: table remarks match the team's pattern.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB128",
    name: "table-comment-pattern-check",
    liquibase: Some("TableCommentPatternCheck"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: false,
    summary: "A table comment does not match the required pattern",
    doc: RuleDoc {
        what: "Reports `remarks` of `createTable` and `setTableRemarks` that do not match the regular \
               expression `pattern`, at the remarks (or the table name when there are none). Off by \
               default, as in Liquibase: it needs a pattern.",
        why: "Teams put owners, ticket numbers or data classifications in table comments; a pattern \
              keeps them machine-readable.",
        bad: r#"<!-- lqls.toml: [rules.table-comment-pattern-check] pattern = "^Owner: " -->
<changeSet id="34" author="ana">
    <createTable tableName="invoice" remarks="invoices"><column name="id" type="int"/></createTable>
</changeSet>"#,
        good: r#"<changeSet id="34" author="ana">
    <createTable tableName="invoice" remarks="Owner: billing. Invoices sent to customers">
        <column name="id" type="int"/>
    </createTable>
</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "pattern",
        default: OptDefault::Regex(""),
        description: "The regular expression table remarks must match.",
    }],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let Some(re) = cx.opt_regex("pattern") else {
        return;
    };
    for (_, _, ch) in cx.changes() {
        if !matches!(ch.kind.value.as_str(), "createTable" | "setTableRemarks") {
            continue;
        }
        let table = ch.attr_value("tableName").unwrap_or("?");
        match ch.element.attr("remarks") {
            Some(r) if re.is_match(&r.value.value) || r.value.value.contains("${") => {}
            Some(r) => {
                out.add(
                    r.value.span,
                    format!(
                        "the comment of table {table} does not match {}",
                        re.as_str()
                    ),
                );
            }
            None => {
                let span = ch
                    .element
                    .attr("tableName")
                    .map_or(ch.kind.span, |a| a.value.span);
                out.add(
                    span,
                    format!("table {table} has no comment matching {}", re.as_str()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_with, xml, yaml};
    use serde_json::json;

    #[test]
    fn fires_on_non_matching_remarks() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t" remarks="bad"/><createTable tableName="u"/><setTableRemarks tableName="t" remarks="nope"/></changeSet>"#,
        );
        let out = check_with(&RULE, &text, json!({"pattern": "^Owner: "}));
        assert_eq!(out.spans(), vec!["bad", "u", "nope"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createTable:\n          tableName: y\n          remarks: whatever\n");
        assert_eq!(
            check_with(&RULE, &text, json!({"pattern": "^Owner: "})).spans(),
            vec!["whatever"]
        );
    }

    #[test]
    fn silent_when_matching_or_unset() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t" remarks="Owner: me"/></changeSet>"#,
        );
        assert_eq!(
            check_with(&RULE, &text, json!({"pattern": "^Owner: "})).count(),
            0
        );
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t" remarks="x"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
