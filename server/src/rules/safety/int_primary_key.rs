//! MS215 int-primary-key: a 32-bit (or smaller) integer primary key.

use crate::model::Severity;
use crate::rules::safety::common;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS215",
    name: "int-primary-key",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A primary key column is a 32-bit integer",
    doc: RuleDoc {
        what: "Reports a column with `primaryKey=\"true\"` (or named like `id-pattern`) whose type is INT, INTEGER, INT4, \
               MEDIUMINT, SMALLINT, SERIAL or SMALLSERIAL, in `createTable` and `addColumn`.",
        why: "A 32-bit key runs out at about 2.1 billion rows (or ids, with gaps from sequences and \
              rollbacks); widening it later rewrites the table and every referencing foreign key \
              under exclusive locks, usually as an emergency. BIGINT costs four bytes more per row. \
              The quick fix writes BIGINT (BIGSERIAL for SERIAL); apply it only to a changeset that \
              has not run yet.",
        bad: r#"<createTable tableName="orders">
    <column name="id" type="int" autoIncrement="true"><constraints primaryKey="true"/></column>
</createTable>"#,
        good: r#"<createTable tableName="orders">
    <column name="id" type="bigint" autoIncrement="true"><constraints primaryKey="true"/></column>
</createTable>"#,
    },
    options: &[OptionSpec {
        name: "id-pattern",
        default: OptDefault::Regex("^(?i)id$"),
        description: "Column names checked like primary keys even without a primaryKey constraint \
                      (the key is often added later with addPrimaryKey). Empty: only primary keys.",
    }],
    guideline: Some("GL-TYPES-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let id_pattern = cx.opt_regex("id-pattern");
    for c in common::typed_cols(cx) {
        let Some(col) = c.col else {
            continue;
        };
        let pk = col
            .child("constraints")
            .and_then(|k| k.attr_value("primaryKey"))
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let id_like = id_pattern.as_ref().is_some_and(|re| re.is_match(c.name));
        if !pk && !id_like {
            continue;
        }
        let base = common::base_type(&c.ty.value.value);
        let wide = match base.as_str() {
            "INT" | "INTEGER" | "INT4" | "MEDIUMINT" | "SMALLINT" | "INT2" | "TINYINT" => "bigint",
            "SERIAL" | "SERIAL4" | "SMALLSERIAL" => "bigserial",
            _ => continue,
        };
        let new = common::same_case(&c.ty.value.value, wide);
        out.add(
            c.ty.value.span,
            format!(
                "{} {}.{} is {}: it runs out at about 2.1 billion ids; use {new}",
                if pk { "primary key" } else { "id column" },
                c.table,
                c.name,
                c.ty.value.value
            ),
        )
        .fix_opt(common::type_fix(cx, c.ty, &new));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    const XML: &str = r#"<changeSet id="1" author="a">
    <createTable tableName="t">
        <column name="id" type="INT"><constraints primaryKey="true"/></column>
        <column name="n" type="int"/>
    </createTable>
</changeSet>"#;

    #[test]
    fn fires_and_fixes() {
        assert_eq!(check(&RULE, &xml(XML)).spans(), vec!["INT"]);
        assert!(assert_fix_removes(&RULE, &xml(XML)).contains(r#"type="BIGINT""#));
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - createTable:\n          tableName: t\n          columns:\n            - column:\n                name: id\n                type: serial\n                constraints:\n                  primaryKey: true\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["serial"]);
        assert!(assert_fix_removes(&RULE, &y).contains("type: bigserial"));
    }

    #[test]
    fn id_pattern() {
        let text = xml(
            r#"<changeSet id="1" author="a"><addColumn tableName="t"><column name="ID" type="integer"/></addColumn></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["integer"]);
        let o =
            crate::rules::testing::check_with(&RULE, &text, serde_json::json!({"id-pattern": ""}));
        assert_eq!(o.count(), 0);
    }

    #[test]
    fn silent_on_bigint() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="id" type="bigint"><constraints primaryKey="true"/></column></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
