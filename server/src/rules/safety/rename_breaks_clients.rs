//! MS208 rename-breaks-clients: renaming a table, column or view that running clients use.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS208",
    name: "rename-breaks-clients",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A table, column or view that running clients use is renamed",
    doc: RuleDoc {
        what: "Reports `renameColumn`, `renameTable` and `renameView` on objects this file does not \
               create, at the old name.",
        why: "A rename is instant for the database but not for the application: every running \
              instance still uses the old name and fails from the moment the changeset commits until \
              it is redeployed, and a rolling deployment always has old instances. Expand and \
              contract instead: add the new column (or a view with the new name), write both, move \
              readers, then drop the old one in a later release.",
        bad: r#"<changeSet id="16" author="ana">
    <renameColumn tableName="person" oldColumnName="mail" newColumnName="email"/>
</changeSet>"#,
        good: r#"<changeSet id="16" author="ana">
    <addColumn tableName="person"><column name="email" type="varchar(200)"/></addColumn>
    <sql>UPDATE person SET email = mail</sql>
</changeSet>
<!-- later release, once no client reads "mail": drop it -->"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-004"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (i, _, ch) in cx.changes() {
        let (what, old_attr, table) = match ch.kind.value.as_str() {
            "renameColumn" => ("column", "oldColumnName", ch.attr_value("tableName")),
            "renameTable" => ("table", "oldTableName", ch.attr_value("oldTableName")),
            "renameView" => ("view", "oldViewName", None),
            _ => continue,
        };
        if let Some(t) = table {
            if !cx.table_origin(i, t).is_existing() {
                continue;
            }
        }
        let Some(old) = ch.element.attr(old_attr) else {
            continue;
        };
        if what == "view" && view_created_before(cx, i, &old.value.value) {
            continue;
        }
        out.add(
            old.value.span,
            format!(
                "renaming {what} {} breaks running clients that still use the old name; add the new \
                 name alongside and drop the old one in a later release",
                old.value.value
            ),
        );
    }
}

/// Whether a `createView` of this name runs in this file before (or in) changeset `cs_index`.
fn view_created_before(cx: &Ctx, cs_index: usize, view: &str) -> bool {
    cx.changes_of("createView").any(|(j, _, c)| {
        j <= cs_index
            && c.attr_value("viewName")
                .is_some_and(|v| v.eq_ignore_ascii_case(view))
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_renames() {
        let text = xml(r#"<changeSet id="1" author="a">
    <renameColumn tableName="person" oldColumnName="mail" newColumnName="email"/>
    <renameTable oldTableName="people" newTableName="person"/>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["mail", "people"]);
        let y = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - renameView:\n          oldViewName: v1\n          newViewName: v2\n");
        assert_eq!(check(&RULE, &y).spans(), vec!["v1"]);
    }

    #[test]
    fn silent_on_new_tables() {
        let text = xml(r#"<changeSet id="1" author="a">
    <createTable tableName="person"><column name="mail" type="int"/></createTable>
    <renameColumn tableName="person" oldColumnName="mail" newColumnName="email"/>
    <createView viewName="v1">SELECT 1</createView>
    <renameView oldViewName="v1" newViewName="v2"/>
</changeSet>"#);
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
