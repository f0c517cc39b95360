//! LB109 OneChangePerChangeset: a changeset holds a single change.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB109",
    name: "one-change-per-changeset",
    liquibase: Some("OneChangePerChangeset"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: true,
    summary: "A changeset holds more than one change",
    doc: RuleDoc {
        what: "Reports every change after the first one of a changeset, at its change name, and \
               points back at the changeset's id.",
        why: "On databases without transactional DDL (MySQL, Oracle) a changeset that fails half-way \
              leaves its first changes applied but unrecorded, and rerunning it fails. One change \
              per changeset keeps every step atomic and its rollback simple.",
        bad: r#"<changeSet id="14" author="ana">
    <addColumn tableName="person"><column name="a" type="int"/></addColumn>
    <createIndex tableName="person" indexName="ix_person_a"><column name="a"/></createIndex>
</changeSet>"#,
        good: r#"<changeSet id="14" author="ana">
    <addColumn tableName="person"><column name="a" type="int"/></addColumn>
</changeSet>
<changeSet id="15" author="ana">
    <createIndex tableName="person" indexName="ix_person_a"><column name="a"/></createIndex>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-CHANGESET-005"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for cs in &cx.changelog.changesets {
        let n = cs.changes.len();
        for ch in cs.changes.iter().skip(1) {
            let f = out.add(
                ch.kind.span,
                format!(
                    "changeset {} holds {n} changes: split them into one changeset each",
                    cs.id_str()
                ),
            );
            if let Some(id) = &cs.id {
                f.related(id.span, "the changeset");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_extra_changes() {
        let text = xml(
            r#"<changeSet id="1" author="a"><dropTable tableName="t"/><dropTable tableName="u"/><dropView viewName="v"/></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).spans(), vec!["dropTable", "dropView"]);
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - dropTable:\n          tableName: t\n      - dropTable:\n          tableName: u\n");
        assert_eq!(check(&RULE, &text).count(), 1);
    }

    #[test]
    fn silent_on_single_change() {
        let text = xml(
            r#"<changeSet id="1" author="a"><dropTable tableName="t"/><rollback><sql>x</sql><sql>y</sql></rollback></changeSet>"#,
        );
        assert_eq!(check(&RULE, &text).count(), 0);
    }
}
