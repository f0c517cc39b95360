//! LB111 RequireChangesetIDisUUID: changeset ids are UUIDs.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "LB111",
    name: "require-changeset-id-is-uuid",
    liquibase: Some("RequireChangesetIDisUUID"),
    category: Category::Policy,
    severity: Severity::Information,
    enabled: false,
    summary: "A changeset id is not a UUID",
    doc: RuleDoc {
        what: "Reports changesets whose `id` is not a UUID (`8-4-4-4-12` hexadecimal digits), at \
               the id. Off by default, as in Liquibase: it is one naming policy among several.",
        why: "UUID ids never collide when several branches add changesets to the same changelog.",
        bad: r#"<changeSet id="17" author="ana">
    <dropView viewName="v_old"/>
</changeSet>"#,
        good: r#"<changeSet id="3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c" author="ana">
    <dropView viewName="v_old"/>
</changeSet>"#,
    },
    options: &[],
    guideline: None,
    check,
};

/// Whether `s` is a UUID in its textual form (any case, hyphens at the standard places).
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn check(cx: &Ctx, out: &mut Findings) {
    for cs in &cx.changelog.changesets {
        if is_uuid(cs.id_str().trim()) || cs.id_str().contains("${") {
            continue;
        }
        out.add(
            cx.anchor(cs),
            format!("changeset id {:?} is not a UUID", cs.id_str()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{is_uuid, RULE};
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn uuid_shape() {
        assert!(is_uuid("3F2A9C1E-7b4d-4e8a-9c0f-5d6e7f8a9b0c"));
        assert!(!is_uuid("3f2a9c1e7b4d4e8a9c0f5d6e7f8a9b0c"));
        assert!(!is_uuid("3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0g"));
    }

    #[test]
    fn fires_on_other_ids() {
        let text = xml(r#"<changeSet id="1" author="a"/>
<changeSet id="3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c" author="a"/>"#);
        assert_eq!(check(&RULE, &text).spans(), vec!["1"]);
        let text = yaml("- changeSet:\n    id: abc\n    author: a\n    changes: []\n- changeSet:\n    id: 3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c\n    author: a\n    changes: []\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["abc"]);
    }
}
