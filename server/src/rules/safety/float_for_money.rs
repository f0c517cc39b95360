//! MS214 float-for-money: binary floating point for amounts of money.

use crate::model::Severity;
use crate::rules::safety::common;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS214",
    name: "float-for-money",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A money-like column uses a floating-point type",
    doc: RuleDoc {
        what: "Reports FLOAT, `float(n)`, DOUBLE, DOUBLE PRECISION, REAL (and FLOAT4/FLOAT8, \
               BINARY_FLOAT/BINARY_DOUBLE) columns whose name contains one of `money-words`, in \
               `createTable`, `addColumn` and `modifyDataType`.",
        why: "Binary floating point cannot represent most decimal fractions (0.1 + 0.2 is not 0.3): \
              sums drift by cents and equality comparisons fail. Money belongs in DECIMAL/NUMERIC with \
              an explicit scale. The quick fix uses `replacement` (not applied automatically: it \
              changes the column the application reads).",
        bad: r#"<createTable tableName="invoice">
    <column name="total_amount" type="double"/>
</createTable>"#,
        good: r#"<createTable tableName="invoice">
    <column name="total_amount" type="decimal(19,4)"/>
</createTable>"#,
    },
    options: &[
        OptionSpec {
            name: "money-words",
            default: OptDefault::List(&[
                "price", "amount", "cost", "balance", "total", "fee", "salary", "tax", "money",
                "payment", "charge", "revenue",
            ]),
            description: "Parts of a column name (any case) that mark it as money.",
        },
        OptionSpec {
            name: "replacement",
            default: OptDefault::Str("decimal(19,4)"),
            description: "The type the quick fix writes.",
        },
    ],
    guideline: Some("GL-TYPES-001"),
    check,
};

const FLOATS: &[&str] = &[
    "FLOAT",
    "DOUBLE",
    "DOUBLE PRECISION",
    "REAL",
    "FLOAT4",
    "FLOAT8",
    "BINARY_FLOAT",
    "BINARY_DOUBLE",
];

fn check(cx: &Ctx, out: &mut Findings) {
    let words: Vec<String> = cx
        .opt_list("money-words")
        .iter()
        .map(|w| w.to_lowercase())
        .collect();
    let replacement = cx.opt_str("replacement");
    for c in common::typed_cols(cx) {
        let base = common::base_type(&c.ty.value.value);
        if !FLOATS.contains(&base.as_str()) {
            continue;
        }
        let lname = c.name.to_lowercase();
        let Some(word) = words
            .iter()
            .find(|w| !w.is_empty() && lname.contains(w.as_str()))
        else {
            continue;
        };
        out.add(
            c.ty.value.span,
            format!(
                "{}.{} looks like money ({word}) but {} is binary floating point: rounding errors; use {replacement}",
                c.table, c.name, c.ty.value.value
            ),
        )
        .fix_opt(common::type_fix(cx, c.ty, &replacement));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, check_with, xml, yaml};
    use serde_json::json;

    const XML: &str = r#"<changeSet id="1" author="a">
    <createTable tableName="invoice">
        <column name="TotalAmount" type="double precision"/>
        <column name="ratio" type="float"/>
        <column name="fee" type="decimal(10,2)"/>
    </createTable>
</changeSet>"#;

    #[test]
    fn fires_and_fixes() {
        assert_eq!(check(&RULE, &xml(XML)).spans(), vec!["double precision"]);
        let fixed = assert_fix_removes(&RULE, &xml(XML));
        assert!(fixed.contains(r#"name="TotalAmount" type="decimal(19,4)""#));
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addColumn:\n          tableName: t\n          columns:\n            - column:\n                name: price\n                type: float(8)\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["float(8)"]);
        assert_fix_removes(&RULE, &y);
    }

    #[test]
    fn silent_with_other_words() {
        assert_eq!(
            check_with(&RULE, &xml(XML), json!({"money-words": ["price"]})).count(),
            0
        );
    }
}
