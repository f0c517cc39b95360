//! MS216 fixed-char-type: CHAR(n) columns.

use crate::model::Severity;
use crate::rules::safety::common;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS216",
    name: "fixed-char-type",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Information,
    enabled: true,
    summary: "A column uses the blank-padded CHAR(n) type",
    doc: RuleDoc {
        what: "Reports CHAR, CHARACTER and NCHAR column types (not VARCHAR, not CHARACTER VARYING) in \
               `createTable`, `addColumn` and `modifyDataType`; `CHAR(1)` flags are allowed unless \
               `allow-single-char` is false.",
        why: "CHAR(n) pads values with spaces to n characters: comparisons, string lengths and \
              application code disagree about trailing blanks, and the padding wastes space. It is \
              never faster than VARCHAR on PostgreSQL. The quick fix writes VARCHAR with the same \
              length.",
        bad: r#"<column name="country_code" type="char(3)"/>"#,
        good: r#"<column name="country_code" type="varchar(3)"/>"#,
    },
    options: &[OptionSpec {
        name: "allow-single-char",
        default: OptDefault::Bool(true),
        description: "Accept CHAR(1) (single-character flags and codes).",
    }],
    guideline: Some("GL-TYPES-004"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let allow_one = cx.opt_bool("allow-single-char");
    for c in common::typed_cols(cx) {
        let raw = c.ty.value.value.trim();
        let base = common::base_type(raw);
        if !matches!(base.as_str(), "CHAR" | "CHARACTER" | "NCHAR" | "BPCHAR") {
            continue;
        }
        let size = raw.find('(').map(|p| &raw[p..]).unwrap_or("");
        let digits: String = size
            .chars()
            .filter(|ch| !matches!(ch, '(' | ')' | ' '))
            .collect();
        if allow_one && (digits == "1" || size.is_empty()) {
            continue;
        }
        let var = if base == "NCHAR" {
            "nvarchar"
        } else {
            "varchar"
        };
        let new = format!("{}{size}", common::same_case(raw, var));
        out.add(
            c.ty.value.span,
            format!(
                "{}.{} is {raw}, padded with blanks; use {new}",
                c.table, c.name
            ),
        )
        .fix_opt(common::type_fix(cx, c.ty, &new));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, check_with, xml, yaml};
    use serde_json::json;

    const XML: &str = r#"<changeSet id="1" author="a">
    <createTable tableName="t">
        <column name="code" type="char(3)"/>
        <column name="flag" type="char(1)"/>
        <column name="name" type="varchar(3)"/>
    </createTable>
</changeSet>"#;

    #[test]
    fn fires_and_fixes() {
        assert_eq!(check(&RULE, &xml(XML)).spans(), vec!["char(3)"]);
        assert!(assert_fix_removes(&RULE, &xml(XML)).contains(r#"type="varchar(3)""#));
        assert_eq!(
            check_with(&RULE, &xml(XML), json!({"allow-single-char": false})).count(),
            2
        );
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addColumn:\n          tableName: t\n          columns:\n            - column:\n                name: c\n                type: CHAR(10)\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["CHAR(10)"]);
        assert_fix_removes(&RULE, &y);
    }

    #[test]
    fn silent_on_varchar() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="c" type="character varying(5)"/></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
