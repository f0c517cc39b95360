//! LB105 ChangesetContextCheck: every changeset has a context.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB105",
    name: "changeset-context-check",
    liquibase: Some("ChangesetContextCheck"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: true,
    summary: "A changeset has no context",
    doc: RuleDoc {
        what: "Reports changesets without a `context` (or `contextFilter`) attribute, at the \
               changeset's id.",
        why: "Contexts let one changelog serve several environments (`test` data only in test, ...). \
              A changeset without one runs everywhere, which is easy to miss in review.",
        bad: r#"<changeSet id="10" author="ana">
    <insert tableName="person"><column name="name" value="Test user"/></insert>
</changeSet>"#,
        good: r#"<changeSet id="10" author="ana" context="test">
    <insert tableName="person"><column name="name" value="Test user"/></insert>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-CHANGESET-007"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for cs in &cx.changelog.changesets {
        if cs.contexts().is_some_and(|c| !c.trim().is_empty()) {
            continue;
        }
        out.add(
            cx.anchor(cs),
            format!("changeset {} has no context", cs.id_str()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_without_context() {
        let text = xml(r#"<changeSet id="1" author="a"/>
<changeSet id="2" author="a" context="test"/>
<changeSet id="3" author="a" contextFilter="prod"/>
<changeSet id="4" author="a" context=""/>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["1", "4"]);
    }

    #[test]
    fn fires_in_yaml() {
        let text = yaml("- changeSet:\n    id: y1\n    author: a\n    changes: []\n- changeSet:\n    id: y2\n    author: a\n    context: dev\n    changes: []\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["y1"]);
    }
}
