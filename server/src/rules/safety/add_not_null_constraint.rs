//! MS202 add-not-null-constraint: `addNotNullConstraint` on an existing table.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS202",
    name: "add-not-null-constraint",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A NOT NULL constraint is added to a column of an existing table",
    doc: RuleDoc {
        what: "Reports `addNotNullConstraint` on a table this file does not create.",
        why: "Setting NOT NULL scans every row under an exclusive lock (PostgreSQL's `ALTER COLUMN SET \
              NOT NULL`, MySQL rebuilds the table), blocking reads and writes for the whole scan, and \
              fails if any NULL is left. Backfill first (or give `defaultNullValue`), and on PostgreSQL \
              12+ add a `CHECK (col IS NOT NULL) NOT VALID` constraint, `VALIDATE` it in a later \
              changeset (no exclusive lock), after which `SET NOT NULL` skips the scan.",
        bad: r#"<changeSet id="8" author="ana">
    <addNotNullConstraint tableName="person" columnName="email"/>
</changeSet>"#,
        good: r#"<changeSet id="8" author="ana">
    <sql>ALTER TABLE person ADD CONSTRAINT ck_person_email_nn CHECK (email IS NOT NULL) NOT VALID</sql>
</changeSet>
<changeSet id="9" author="ana">
    <sql>ALTER TABLE person VALIDATE CONSTRAINT ck_person_email_nn</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-001"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (_, ch, table) in cx.changes_on_existing_tables("addNotNullConstraint", "tableName") {
        let table = table.value.value.as_str();
        let col = ch.attr_value("columnName").unwrap_or("?");
        let span = ch
            .element
            .attr("columnName")
            .map_or(ch.kind.span, |a| a.value.span);
        let hint = if ch.element.attr("defaultNullValue").is_some() {
            "the update of NULLs and the scan run under an exclusive lock"
        } else {
            "it scans the table under an exclusive lock and fails on any NULL (backfill or set defaultNullValue)"
        };
        out.add(
            span,
            format!("NOT NULL on existing column {table}.{col}: {hint}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_existing_table() {
        let text = xml(
            r#"<changeSet id="1" author="a"><addNotNullConstraint tableName="t" columnName="c"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["c"]);
    }

    #[test]
    fn fires_in_yaml() {
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addNotNullConstraint:\n          tableName: t\n          columnName: c\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["c"]);
    }

    #[test]
    fn silent_on_new_table() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"><column name="c" type="int"/></createTable><addNotNullConstraint tableName="t" columnName="c"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
