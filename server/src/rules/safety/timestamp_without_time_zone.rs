//! MS217 timestamp-without-time-zone: TIMESTAMP/DATETIME columns that lose the time zone.

use crate::model::Severity;
use crate::rules::safety::common;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS217",
    name: "timestamp-without-time-zone",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Information,
    enabled: true,
    summary: "A timestamp column has no time zone",
    doc: RuleDoc {
        what: "Reports TIMESTAMP, `TIMESTAMP WITHOUT TIME ZONE`, DATETIME, DATETIME2 and \
               SMALLDATETIME column types, unless every database the changeset targets is in \
               `skip-databases` (databases without a zoned timestamp type).",
        why: "A timestamp without zone stores wall-clock time: the same instant reads differently from \
              servers and clients in other zones, and daylight-saving changes make hours ambiguous or \
              missing. `timestamp with time zone` (TIMESTAMPTZ on PostgreSQL, DATETIMEOFFSET on SQL \
              Server) stores an instant. The quick fix writes `replacement`.",
        bad: r#"<column name="created_at" type="timestamp"/>"#,
        good: r#"<column name="created_at" type="timestamp with time zone"/>"#,
    },
    options: &[
        OptionSpec {
            name: "skip-databases",
            default: OptDefault::List(&["mysql", "mariadb", "sqlite", "h2"]),
            description: "Databases without a usable zoned timestamp type: changesets that target \
                          only these are not checked.",
        },
        OptionSpec {
            name: "replacement",
            default: OptDefault::Str("timestamp with time zone"),
            description: "The type the quick fix writes.",
        },
    ],
    guideline: Some("GL-TYPES-003"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let skip = cx.opt_list("skip-databases");
    let replacement = cx.opt_str("replacement");
    for c in common::typed_cols(cx) {
        let base = common::base_type(&c.ty.value.value);
        if !matches!(
            base.as_str(),
            "TIMESTAMP"
                | "TIMESTAMP WITHOUT TIME ZONE"
                | "DATETIME"
                | "DATETIME2"
                | "SMALLDATETIME"
        ) {
            continue;
        }
        if let Some(cs) = cx.changelog.changesets.get(c.cs_index) {
            let dbs = cx.databases(cs);
            if !dbs.is_empty()
                && dbs
                    .iter()
                    .all(|d| skip.iter().any(|s| s.eq_ignore_ascii_case(d)))
            {
                continue;
            }
        }
        out.add(
            c.ty.value.span,
            format!(
                "{}.{} is {} without a time zone; use {replacement}",
                c.table, c.name, c.ty.value.value
            ),
        )
        .fix_opt(common::type_fix(cx, c.ty, &replacement));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    const XML: &str = r#"<changeSet id="1" author="a">
    <createTable tableName="t">
        <column name="created_at" type="TIMESTAMP(6)"/>
        <column name="updated_at" type="timestamptz"/>
        <column name="born" type="date"/>
    </createTable>
</changeSet>"#;

    #[test]
    fn fires_and_fixes() {
        assert_eq!(check(&RULE, &xml(XML)).spans(), vec!["TIMESTAMP(6)"]);
        assert_fix_removes(&RULE, &xml(XML));
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addColumn:\n          tableName: t\n          columns:\n            - column:\n                name: c\n                type: datetime\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["datetime"]);
        assert_fix_removes(&RULE, &y);
    }

    #[test]
    fn silent_on_mysql_only() {
        let text = xml(
            r#"<changeSet id="1" author="a" dbms="mysql"><createTable tableName="t"><column name="c" type="datetime"/></createTable></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
