//! MS211 update-without-where: `update`/`delete` (or SQL UPDATE/DELETE) touching every row.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS211",
    name: "update-without-where",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "An update or delete without a where clause changes every row",
    doc: RuleDoc {
        what: "Reports `update` and `delete` changes without a `where`, and SQL `UPDATE`/`DELETE` \
               statements without `WHERE`, on tables this file does not create.",
        why: "Without a condition every row is rewritten or removed, in one transaction that locks \
              the whole table and can bloat the log. It is seldom what was meant; when it is, say so \
              with an explicit `where` (`1 = 1`) or a suppression comment, and batch large tables.",
        bad: r#"<changeSet id="19" author="ana">
    <update tableName="person"><column name="active" valueBoolean="true"/></update>
</changeSet>"#,
        good: r#"<changeSet id="19" author="ana">
    <update tableName="person">
        <column name="active" valueBoolean="true"/>
        <where>active IS NULL</where>
    </update>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-DATA-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (i, _, ch) in cx.changes() {
        let kind = ch.kind.value.as_str();
        if kind != "update" && kind != "delete" {
            continue;
        }
        let table = ch.attr_value("tableName").unwrap_or("?");
        if !cx.table_origin(i, table).is_existing() {
            continue;
        }
        let has_where = ch
            .element
            .attr("where")
            .is_some_and(|w| !w.value.value.trim().is_empty())
            || ch
                .element
                .child("where")
                .is_some_and(|w| w.text.as_ref().is_some_and(|t| !t.value.trim().is_empty()));
        if !has_where {
            out.add(
                ch.kind.span,
                format!("{kind} without a where clause changes every row of {table}"),
            );
        }
    }
    for src in cx.sql() {
        for st in &src.statements {
            let words = src.words(st);
            let verb = match words.first().map(String::as_str) {
                Some(v @ ("UPDATE" | "DELETE")) => v,
                _ => continue,
            };
            if words.iter().any(|w| w == "WHERE") {
                continue;
            }
            let table = if verb == "DELETE" {
                words
                    .iter()
                    .position(|w| w == "FROM")
                    .and_then(|p| super::common::object_name(&words, p + 1))
            } else {
                super::common::object_name(&words, 1)
            };
            if let Some(t) = table {
                if !cx.table_origin(src.changeset, &t).is_existing() {
                    continue;
                }
            }
            let first = st.tokens.first().map(|t| t.span).unwrap_or_default();
            out.add(
                src.doc_span(first),
                format!("{verb} without WHERE changes every row"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_without_where() {
        let text = xml(r#"<changeSet id="1" author="a">
    <update tableName="t"><column name="c" value="x"/></update>
    <delete tableName="t"/>
    <sql>DELETE FROM t; UPDATE t SET c = 1 WHERE c IS NULL</sql>
</changeSet>"#);
        assert_eq!(
            check(&RULE, &text).spans(),
            vec!["update", "delete", "DELETE"]
        );
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - delete:\n          tableName: t\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }

    #[test]
    fn silent_with_where() {
        let text = xml(r#"<changeSet id="1" author="a">
    <update tableName="t"><column name="c" value="x"/><where>id = 1</where></update>
    <createTable tableName="n"><column name="c" type="int"/></createTable>
    <delete tableName="n"/>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - delete:\n          tableName: t\n          where: id = 1\n");
        assert_eq!(check(&RULE, &y).count(), 0);
    }
}
