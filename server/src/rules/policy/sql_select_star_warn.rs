//! LB117 SqlSelectStarWarn: warns on `SELECT *`.

use crate::model::Severity;
use crate::rules::sql::TokenKind;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB117",
    name: "sql-select-star-warn",
    liquibase: Some("SqlSelectStarWarn"),
    category: Category::Policy,
    severity: Severity::Warning,
    enabled: true,
    summary: "SQL uses SELECT *",
    doc: RuleDoc {
        what:
            "Reports `SELECT *` (also `SELECT DISTINCT *`, `SELECT TOP n *`) in SQL, from `SELECT` \
               to the star. `count(*)` and `t.*` are not reported.",
        why:
            "A star in a view or an `INSERT ... SELECT` silently changes meaning when columns are \
              added, removed or reordered; naming the columns keeps the migration stable.",
        bad: r#"<changeSet id="23" author="ana">
    <sql>INSERT INTO person_copy SELECT * FROM person</sql>
</changeSet>"#,
        good: r#"<changeSet id="23" author="ana">
    <sql>INSERT INTO person_copy (id, name) SELECT id, name FROM person</sql>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-SECURITY-004"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for src in cx.sql() {
        for st in &src.statements {
            let t = &st.tokens;
            for (i, tok) in t.iter().enumerate() {
                if !src.is_kw(tok, "SELECT") {
                    continue;
                }
                let mut j = i + 1;
                while let Some(n) = t.get(j) {
                    let skip = src.is_kw(n, "DISTINCT")
                        || src.is_kw(n, "ALL")
                        || src.is_kw(n, "TOP")
                        || n.kind == TokenKind::Number;
                    if !skip {
                        break;
                    }
                    j += 1;
                }
                if let Some(star) = t
                    .get(j)
                    .filter(|s| s.kind == TokenKind::Punct && src.token_text(s) == "*")
                {
                    out.add(
                        src.doc_span(tok.span.cover(star.span)),
                        "SELECT * depends on the table's current columns: name the columns",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_select_star() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>insert into c select * from t; select distinct * from u</sql></changeSet>"#,
        );
        assert_eq!(
            check(&RULE, &text).spans(),
            vec!["select *", "select distinct *"]
        );
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - sql:\n          sql: SELECT TOP 5 * FROM t\n");
        assert_eq!(check(&RULE, &text).count(), 1);
    }

    #[test]
    fn silent_on_counts_and_comments() {
        let text = xml(
            r#"<changeSet id="1" author="a"><sql>select count(*), t.* from t -- select * from u
; select 'select *' from t</sql></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
