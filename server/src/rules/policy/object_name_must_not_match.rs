//! LB125 ObjectNameMustNotMatch: names of created objects avoid a forbidden pattern.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

use crate::rules::names::defined_names;

pub static RULE: Rule = Rule {
    code: "LB125",
    name: "object-name-must-not-match",
    liquibase: Some("ObjectNameMustNotMatch"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: false,
    summary: "An object name matches a forbidden pattern",
    doc: RuleDoc {
        what: "Reports each name a change creates or renames to (tables, columns, indexes, views, \
               sequences, constraints; limited by `object-types`) that matches the regular \
               expression `pattern`, at the name. Off by default, as in Liquibase: it needs a pattern.",
        why: "Some names are forbidden by convention: temporary prefixes, spaces, vendor prefixes \
              such as `sys_` that collide with system objects.",
        bad: r#"<!-- lqls.toml: [rules.object-name-must-not-match] pattern = "^(tmp|temp)_" -->
<changeSet id="31" author="ana">
    <createTable tableName="tmp_import"><column name="id" type="int"/></createTable>
</changeSet>"#,
        good: r#"<changeSet id="31" author="ana">
    <createTable tableName="import_batch"><column name="id" type="int"/></createTable>
</changeSet>"#,
    },
    options: &[
        OptionSpec {
            name: "pattern",
            default: OptDefault::Regex(""),
            description: "The regular expression no name may match.",
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
            if re.is_match(&a.value.value) {
                out.add(
                    a.value.span,
                    format!(
                        "{} name {} matches the forbidden pattern {}",
                        kind.as_str(),
                        a.value.value,
                        re.as_str()
                    ),
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
    fn fires_on_matching_names() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="tmp_x"><column name="tmp_c" type="int"><constraints primaryKey="true" primaryKeyName="tmp_pk"/></column></createTable></changeSet>"#,
        );
        let out = check_with(&RULE, &text, json!({"pattern": "^tmp_"}));
        assert_eq!(out.spans(), vec!["tmp_x", "tmp_c", "tmp_pk"]);
        let out = check_with(
            &RULE,
            &text,
            json!({"pattern": "^tmp_", "object-types": "constraint"}),
        );
        assert_eq!(out.spans(), vec!["tmp_pk"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - renameTable:\n          oldTableName: a\n          newTableName: tmp_a\n");
        assert_eq!(
            check_with(&RULE, &text, json!({"pattern": "^tmp_"})).spans(),
            vec!["tmp_a"]
        );
    }

    #[test]
    fn silent_otherwise() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="person"/><dropTable tableName="tmp_x"/></changeSet>"#,
        );
        assert_eq!(
            check_with(&RULE, &text, json!({"pattern": "^tmp_"})).count(),
            0
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
