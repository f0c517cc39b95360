//! MS218 identifier-too-long: names longer than a target database accepts.

use crate::model::Severity;
use crate::rules::names::defined_names;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS218",
    name: "identifier-too-long",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Error,
    enabled: true,
    summary: "A table, column, index, constraint, sequence or view name is too long for the database",
    doc: RuleDoc {
        what: "Reports names that changes create (tables, columns, indexes, constraints, sequences, \
               views, and the new names of renames) longer than the shortest limit among the \
               databases the changeset targets: PostgreSQL 63, Oracle `oracle-max-length` (30 before \
               12.2, 128 after), MySQL/MariaDB 64, SQL Server, DB2 and Snowflake 128, H2 256, SQLite \
               unlimited. With no target database, `default-max-length` applies.",
        why: "Oracle and MySQL refuse the statement, so the deployment stops; PostgreSQL silently \
              truncates the name to 63 bytes, so the object gets a name the changelog never wrote, \
              later changes that refer to the full name fail, and two long names can collide.",
        bad: r#"<createIndex tableName="customer_subscription" indexName="idx_customer_subscription_billing_period_start_and_end_dates_in_utc">
    <column name="billing_start"/>
</createIndex>"#,
        good: r#"<createIndex tableName="customer_subscription" indexName="idx_cust_sub_billing_period">
    <column name="billing_start"/>
</createIndex>"#,
    },
    options: &[
        OptionSpec {
            name: "default-max-length",
            default: OptDefault::Int(63),
            description: "The limit when no target database is known.",
        },
        OptionSpec {
            name: "oracle-max-length",
            default: OptDefault::Int(30),
            description: "Oracle's limit: 30 before 12.2, 128 from 12.2 (with COMPATIBLE >= 12.2).",
        },
    ],
    guideline: Some("GL-NAMING-005"),
    check,
};

/// Attributes that name a new object, per change type.
fn limit(cx: &Ctx, db: &str) -> Option<(usize, &'static str)> {
    let n = |i: i64| usize::try_from(i).unwrap_or(usize::MAX);
    Some(match db {
        "postgresql" | "postgres" | "cockroachdb" | "edb" => (63, "PostgreSQL"),
        "oracle" => (n(cx.opt_int("oracle-max-length")), "Oracle"),
        "mysql" => (64, "MySQL"),
        "mariadb" => (64, "MariaDB"),
        "mssql" => (128, "SQL Server"),
        "db2" | "db2z" => (128, "DB2"),
        "snowflake" => (255, "Snowflake"),
        "h2" => (256, "H2"),
        "hsqldb" => (128, "HSQLDB"),
        "sybase" | "asany" => (128, "Sybase"),
        "derby" => (128, "Derby"),
        "firebird" => (63, "Firebird"),
        "informix" => (128, "Informix"),
        _ => return None,
    })
}

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, cs, ch) in cx.changes() {
        let dbs = cx.databases(cs);
        let (max, who) = if dbs.is_empty() {
            (
                usize::try_from(cx.opt_int("default-max-length")).unwrap_or(usize::MAX),
                "the default limit".to_string(),
            )
        } else {
            match dbs
                .iter()
                .filter_map(|d| limit(cx, d))
                .min_by_key(|(n, _)| *n)
            {
                Some((n, name)) => (n, name.to_string()),
                None => continue,
            }
        };
        for (_, a) in defined_names(ch) {
            let len = a.value.value.len();
            if len > max && !a.value.value.contains("${") {
                out.add(
                    a.value.span,
                    format!("{} is {len} characters; {who} allows {max}", a.value.value),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, check_full, check_with, xml, yaml};
    use crate::rules::Config;
    use serde_json::json;

    fn name(n: usize) -> String {
        "x".repeat(n)
    }

    #[test]
    fn fires_over_default_limit() {
        let text = xml(&format!(
            r#"<changeSet id="1" author="a">
    <createTable tableName="{}"><column name="{}" type="int"><constraints primaryKey="true" primaryKeyName="{}"/></column></createTable>
    <createIndex tableName="t" indexName="{}"><column name="c"/></createIndex>
</changeSet>"#,
            name(64),
            name(63),
            name(70),
            name(64)
        ));
        assert_eq!(check(&RULE, &text).count(), 3);
        assert_eq!(
            check_with(&RULE, &text, json!({"default-max-length": 128})).count(),
            0
        );
    }

    #[test]
    fn uses_the_targets() {
        let text = xml(&format!(
            r#"<changeSet id="1" author="a"><createTable tableName="{}"><column name="c" type="int"/></createTable></changeSet>"#,
            name(40)
        ));
        assert_eq!(check(&RULE, &text).count(), 0);
        let mut config = Config::default();
        config.settings.databases = vec!["postgresql".into(), "oracle".into()];
        let o = check_full(&RULE, &text, json!({}), config);
        assert!(
            o.messages()[0].contains("Oracle allows 30"),
            "{:?}",
            o.messages()
        );
        let y = yaml(&format!("- changeSet:\n    id: 1\n    author: a\n    dbms: oracle\n    changes:\n      - createSequence:\n          sequenceName: {}\n", name(31)));
        assert_eq!(check(&RULE, &y).count(), 1);
    }
}
