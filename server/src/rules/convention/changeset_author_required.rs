//! TC306 changeset-author-required: every changeset names a real author.

use crate::model::Severity;
use crate::rules::{Category, Ctx, Findings, OptDefault, OptionSpec, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "TC306",
    name: "changeset-author-required",
    liquibase: None,
    category: Category::Convention,
    severity: Severity::Warning,
    enabled: true,
    summary: "A changeset has no author, an empty one or a placeholder",
    doc: RuleDoc {
        what: "Reports changesets without an `author`, with a blank one, or with one of \
               `placeholders` (`unknown`, `liquibase`, `changeme`, ...).",
        why: "The author is part of a changeset's identity and the first place reviewers and on-call \
              engineers look to ask about a change. A blank or generic author makes two changesets \
              with the same id collide and leaves nobody to ask.",
        bad: r#"<changeSet id="24" author=" ">...</changeSet>"#,
        good: r#"<changeSet id="24" author="ana.silva">...</changeSet>"#,
    },
    options: &[OptionSpec {
        name: "placeholders",
        default: OptDefault::List(&["unknown", "changeme", "todo", "author", "liquibase", "generated", "admin"]),
        description: "Author values that count as missing (compared ignoring case).",
    }],
    guideline: Some("GL-CHANGESET-002"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    let placeholders = cx.opt_list("placeholders");
    for cs in &cx.changelog.changesets {
        match &cs.author {
            None => {
                out.add(cs.header, "changeset has no author");
            }
            Some(a) if a.value.trim().is_empty() => {
                let span = if a.span.is_empty() { cs.header } else { a.span };
                out.add(span, "changeset author is empty");
            }
            Some(a)
                if placeholders
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(a.value.trim())) =>
            {
                out.add(
                    a.span,
                    format!(
                        "changeset author {} is a placeholder, not a person or team",
                        a.value
                    ),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{check, xml, yaml};

    #[test]
    fn fires_on_missing_blank_and_placeholder() {
        let text = xml(r#"<changeSet id="1"><tagDatabase tag="a"/></changeSet>
<changeSet id="2" author="  "><tagDatabase tag="b"/></changeSet>
<changeSet id="3" author="Unknown"><tagDatabase tag="c"/></changeSet>
<changeSet id="4" author="ana"><tagDatabase tag="d"/></changeSet>"#);
        let o = check(&RULE, &text);
        assert_eq!(o.count(), 3);
        assert_eq!(o.spans()[2], "Unknown");
        let y =
            yaml("- changeSet:\n    id: 1\n    changes:\n      - tagDatabase:\n          tag: x\n");
        assert_eq!(check(&RULE, &y).count(), 1);
    }

    #[test]
    fn silent_with_author() {
        let y = yaml("- changeSet:\n    id: 1\n    author: ana\n    changes:\n      - tagDatabase:\n          tag: x\n");
        assert_eq!(check(&RULE, &y).count(), 0);
    }
}
