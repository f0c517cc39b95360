//! LB106 ChangesetLabelCheck: every changeset has labels.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB106",
    name: "changeset-label-check",
    liquibase: Some("ChangesetLabelCheck"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: true,
    summary: "A changeset has no labels",
    doc: RuleDoc {
        what: "Reports changesets without a `labels` attribute, at the changeset's id.",
        why:
            "Labels tie a changeset to a release or feature, so deployments can select exactly the \
              changes of one release (`--label-filter`). Unlabelled changesets are always selected.",
        bad: r#"<changeSet id="11" author="ana">
    <addColumn tableName="person"><column name="vip" type="boolean"/></addColumn>
</changeSet>"#,
        good: r#"<changeSet id="11" author="ana" labels="release-7.4">
    <addColumn tableName="person"><column name="vip" type="boolean"/></addColumn>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-CHANGESET-007"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for cs in &cx.changelog.changesets {
        if cs.labels().is_some_and(|c| !c.trim().is_empty()) {
            continue;
        }
        out.add(
            cx.anchor(cs),
            format!("changeset {} has no labels", cs.id_str()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_without_labels() {
        let text = xml(r#"<changeSet id="1" author="a"/>
<changeSet id="2" author="a" labels="r1"/>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["1"]);
    }

    #[test]
    fn yaml_and_sql() {
        let text = yaml("- changeSet:\n    id: y1\n    author: a\n    changes: []\n- changeSet:\n    id: y2\n    author: a\n    labels: r1\n    changes: []\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["y1"]);
        let text = "--liquibase formatted sql\n--changeset a:s1 labels:r1\nselect 1;\n--changeset a:s2\nselect 2;\n";
        assert_eq!(check(&RULE, text).spans(), vec!["s2"]);
    }
}
