//! LB124 ObjectNameMustMatch: names of created objects match the team's pattern.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

use crate::rules::names::defined_names;

pub static RULE: Rule = Rule {
    code: "LB124",
    name: "object-name-must-match",
    liquibase: Some("ObjectNameMustMatch"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: false,
    summary: "An object name does not match the naming pattern",
    doc: RuleDoc {
        what: "Reports each name a change creates or renames to (tables, columns, indexes, views, \
               sequences, constraints; limited by `object-types`) that does not match the regular \
               expression `pattern`, at the name. Off by default, as in Liquibase: it needs a pattern.",
        why: "Consistent names make schemas predictable for people and tools; checking them in the \
              changelog catches a stray name before it reaches a database.",
        bad: r#"<!-- lqls.toml: [rules.object-name-must-match] pattern = "^[a-z][a-z0-9_]*$" -->
<changeSet id="30" author="ana">
    <createTable tableName="OrderItem"><column name="id" type="int"/></createTable>
</changeSet>"#,
        good: r#"<changeSet id="30" author="ana">
    <createTable tableName="order_item"><column name="id" type="int"/></createTable>
</changeSet>"#,
    },
    options: &[
        OptionSpec {
            name: "pattern",
            default: OptDefault::Regex(""),
            description: "The regular expression every name must match (anchor it with `^...$`).",
        },
        OptionSpec {
            name: "object-types",
            default: OptDefault::List(&["table", "column", "index", "view", "sequence", "constraint"]),
            description: "Which kinds of names are checked.",
        },
    ],
    guideline: None,
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let Some(re) = cx.opt_regex("pattern") else {
        return;
    };
    let kinds = cx.opt_list("object-types");
    for (_, _, ch) in cx.changes() {
        for (kind, a) in defined_names(ch) {
            if !kinds
                .iter()
                .any(|k| k.trim().eq_ignore_ascii_case(kind.as_str()))
            {
                continue;
            }
            if a.value.value.contains("${") || re.is_match(&a.value.value) {
                continue;
            }
            out.add(
                a.value.span,
                format!(
                    "{} name {} does not match {}",
                    kind.as_str(),
                    a.value.value,
                    re.as_str()
                ),
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
    fn fires_on_names_that_do_not_match() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="Person"><column name="Id" type="int"/><column name="name" type="int"/></createTable>
<createIndex tableName="person" indexName="IX1"><column name="name"/></createIndex></changeSet>"#,
        );
        let out = check_with(&RULE, &text, json!({"pattern": "^[a-z_]+$"}));
        assert_eq!(out.spans(), vec!["Person", "Id", "IX1"]);
        let out = check_with(
            &RULE,
            &text,
            json!({"pattern": "^[a-z_]+$", "object-types": ["index"]}),
        );
        assert_eq!(out.spans(), vec!["IX1"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createView:\n          viewName: VPerson\n          selectQuery: select 1\n");
        assert_eq!(
            check_with(&RULE, &text, json!({"pattern": "^v_"})).spans(),
            vec!["VPerson"]
        );
    }

    #[test]
    fn silent_when_matching_or_unset() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="person"><column name="id" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(
            check_with(&RULE, &text, json!({"pattern": "^[a-z_]+$"})).count(),
            0
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
