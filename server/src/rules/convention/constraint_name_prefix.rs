//! TC304 constraint-name-prefix: primary key, foreign key, unique and check constraint names start
//! with their prefix.

use crate::model::Severity;
use crate::rules::convention::naming;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC304",
    name: "constraint-name-prefix",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Warning,
    enabled: true,
    summary: "A constraint name does not start with the prefix of its kind",
    doc: RuleDoc {
        what: "Reports constraint names that do not start with the prefix of their kind: \
               `constraintName` of `addPrimaryKey` (`pk-prefix`), `addForeignKeyConstraint` \
               (`fk-prefix`), `addUniqueConstraint` (`uq-prefix`), `addCheckConstraint` \
               (`ck-prefix`), and `primaryKeyName`, `foreignKeyName`, `uniqueConstraintName`, \
               `checkConstraintName` of column constraints. An empty prefix turns that kind off.",
        why: "Constraint violations reach users and logs by name: `fk_orders_person` says what broke, \
              `SYS_C0012345` or `orders_ibfk_1` does not. Prefixes also keep constraint and index \
              names from colliding. The quick fix prepends the prefix; use it only in a changeset \
              that has not run yet.",
        bad: r#"<addForeignKeyConstraint constraintName="orders_person" baseTableName="orders" baseColumnNames="person_id" referencedTableName="person" referencedColumnNames="id"/>"#,
        good: r#"<addForeignKeyConstraint constraintName="fk_orders_person" baseTableName="orders" baseColumnNames="person_id" referencedTableName="person" referencedColumnNames="id"/>"#,
    },
    options: &[
        OptionSpec { name: "pk-prefix", default: OptDefault::Str("pk_"), description: "Primary keys." },
        OptionSpec { name: "fk-prefix", default: OptDefault::Str("fk_"), description: "Foreign keys." },
        OptionSpec { name: "uq-prefix", default: OptDefault::Str("uq_"), description: "Unique constraints." },
        OptionSpec { name: "ck-prefix", default: OptDefault::Str("ck_"), description: "Check constraints." },
    ],
    guideline: Some("GL-NAMING-004"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (kind, a) in naming::constraints(cx) {
        let prefix = cx.opt_str(&format!("{kind}-prefix"));
        let v = &a.value.value;
        if prefix.is_empty()
            || naming::is_property(v)
            || v.to_lowercase().starts_with(&prefix.to_lowercase())
        {
            continue;
        }
        let what = match kind {
            "pk" => "primary key",
            "fk" => "foreign key",
            "uq" => "unique constraint",
            _ => "check constraint",
        };
        naming::report(
            cx,
            out,
            a,
            format!("{what} name {v} does not start with {prefix}"),
            Some(format!("{prefix}{v}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    const XML: &str = r#"<changeSet id="1" author="a">
    <createTable tableName="t"><column name="id" type="int"><constraints primaryKey="true" primaryKeyName="t_pkey"/></column></createTable>
    <addForeignKeyConstraint constraintName="orders_person" baseTableName="o" baseColumnNames="p" referencedTableName="person" referencedColumnNames="id"/>
    <addUniqueConstraint tableName="t" columnNames="c" constraintName="uq_t_c"/>
</changeSet>"#;

    #[test]
    fn fires_and_fixes() {
        assert_eq!(
            check(&RULE, &xml(XML)).spans(),
            vec!["t_pkey", "orders_person"]
        );
        assert!(assert_fix_removes(&RULE, &xml(XML)).contains(r#"primaryKeyName="pk_t_pkey""#));
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addCheckConstraint:\n          tableName: t\n          constraintName: positive_amount\n          constraintBody: amount > 0\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["positive_amount"]);
        assert!(assert_fix_removes(&RULE, &y).contains("constraintName: ck_positive_amount"));
    }

    #[test]
    fn silent_with_prefixes() {
        let t = xml(
            r#"<changeSet id="1" author="a"><addPrimaryKey tableName="t" columnNames="id" constraintName="PK_T"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &t).count(), 0);
    }
}
