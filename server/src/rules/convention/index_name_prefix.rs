//! TC303 index-name-prefix: index names start with the index prefix.

use crate::model::Severity;
use crate::rules::convention::naming;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC303",
    name: "index-name-prefix",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Warning,
    enabled: true,
    summary: "An index name does not start with the index prefix",
    doc: RuleDoc {
        what:
            "Reports `createIndex` index names that do not start with `prefix` (`idx_` by default).",
        why: "A prefix tells at a glance, in plans, error messages and catalog listings, that an \
              object is an index and not a constraint or table. The quick fix prepends the prefix; \
              use it only in a changeset that has not run yet (a later `dropIndex` must use the \
              same name).",
        bad: r#"<createIndex tableName="person" indexName="person_email"><column name="email"/></createIndex>"#,
        good: r#"<createIndex tableName="person" indexName="idx_person_email"><column name="email"/></createIndex>"#,
    },
    options: &[OptionSpec {
        name: "prefix",
        default: OptDefault::Str("idx_"),
        description: "The prefix every index name starts with (compared ignoring case).",
    }],
    guideline: Some("GL-NAMING-003"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let prefix = cx.opt_str("prefix");
    if prefix.is_empty() {
        return;
    }
    for (_, _, ch) in cx.changes_of("createIndex") {
        let Some(a) = ch.element.attr("indexName") else {
            continue;
        };
        let v = &a.value.value;
        if naming::is_property(v) || v.to_lowercase().starts_with(&prefix.to_lowercase()) {
            continue;
        }
        naming::report(
            cx,
            out,
            a,
            format!("index name {v} does not start with {prefix}"),
            Some(format!("{prefix}{v}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, check_with, xml, yaml};
    use serde_json::json;

    const XML: &str = r#"<changeSet id="1" author="a">
    <createIndex tableName="t" indexName="my_index"><column name="c"/></createIndex>
    <createIndex tableName="t" indexName="IDX_T_C"><column name="c"/></createIndex>
</changeSet>"#;

    #[test]
    fn fires_and_fixes() {
        assert_eq!(check(&RULE, &xml(XML)).spans(), vec!["my_index"]);
        assert!(assert_fix_removes(&RULE, &xml(XML)).contains(r#"indexName="idx_my_index""#));
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createIndex:\n          tableName: t\n          indexName: t_c\n          columns:\n            - column:\n                name: c\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["t_c"]);
        assert_fix_removes(&RULE, &y);
    }

    #[test]
    fn silent_with_other_prefix() {
        assert_eq!(
            check_with(&RULE, &xml(XML), json!({"prefix": ""})).count(),
            0
        );
    }
}
