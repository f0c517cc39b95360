//! TC310 reserved-word-name: tables and columns named after SQL reserved words.

use crate::model::Severity;
use crate::rules::convention::naming;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC310",
    name: "reserved-word-name",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Warning,
    enabled: true,
    summary: "A table or column is named after an SQL reserved word",
    doc: RuleDoc {
        what: "Reports table and column names (as `createTable`, `addColumn`, `renameTable` and \
               `renameColumn` define them) that are one of `words`, reserved in standard SQL or in \
               common databases (`user`, `order`, `group`, `select`, ...).",
        why:
            "A reserved word works only when quoted, and every hand-written query, report and tool \
              must remember the quotes (`SELECT * FROM \"user\"`); Liquibase quotes some of them \
              itself only on some databases, so the same changelog can fail on another one. Choose \
              a specific name (`app_user`, `purchase_order`).",
        bad: r#"<createTable tableName="user"><column name="order" type="int"/></createTable>"#,
        good: r#"<createTable tableName="app_user"><column name="sort_order" type="int"/></createTable>"#,
    },
    options: &[OptionSpec {
        name: "words",
        default: OptDefault::List(&[
            "user",
            "order",
            "group",
            "select",
            "table",
            "column",
            "index",
            "key",
            "where",
            "from",
            "to",
            "desc",
            "asc",
            "limit",
            "offset",
            "check",
            "default",
            "references",
            "primary",
            "foreign",
            "unique",
            "all",
            "and",
            "or",
            "not",
            "null",
            "grant",
            "session",
            "level",
            "size",
            "comment",
            "date",
            "time",
            "timestamp",
            "number",
            "value",
            "values",
            "range",
            "rows",
            "row",
            "current_user",
            "end",
            "uid",
        ]),
        description: "Names that count as reserved (compared ignoring case).",
    }],
    guideline: Some("GL-NAMING-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let words = cx.opt_list("words");
    for d in naming::tables(cx).into_iter().chain(naming::columns(cx)) {
        let v = d.attr.value.value.trim();
        if words.iter().any(|w| w.eq_ignore_ascii_case(v)) {
            out.add(
                d.attr.value.span,
                format!(
                    "{} name {v} is reserved in SQL or a common database: where it is, every \
                     query must quote it",
                    d.what
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
    fn fires_on_reserved_words() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="User"><column name="order" type="int"/><column name="ordered" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["User", "order"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - renameColumn:\n          tableName: t\n          oldColumnName: a\n          newColumnName: group\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["group"]);
    }

    #[test]
    fn silent_with_own_list() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="user"><column name="id" type="int"/></createTable></changeSet>"#,
        );
        assert_eq!(
            check_with(&RULE, &text, json!({"words": ["order"]})).count(),
            0
        );
    }
}
