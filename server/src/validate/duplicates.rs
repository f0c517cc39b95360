//! Two changesets in one file with the same id and author: Liquibase refuses the changelog.
use crate::diagnostics::codes;
use crate::model::{ChangeLog, Diagnostic};
use std::collections::HashMap;

pub fn check(changelog: &ChangeLog, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, cs) in changelog.changesets.iter().enumerate() {
        if cs.id.is_none() {
            continue; // missing id is reported as a missing required attribute
        }
        let key = (cs.id_str(), cs.author_str());
        if let Some(&first) = seen.get(&key) {
            out.push(Diagnostic::error(
                codes::DUPLICATE_CHANGESET,
                cs.header,
                format!(
                    "changeset `{}` by `{}` is already defined earlier in this file (changeset #{}, \
                     starting at byte {}): give this one another id",
                    key.0,
                    key.1,
                    first + 1,
                    changelog.changesets[first].header.start
                ),
            ));
        } else {
            seen.insert(key, i);
        }
    }
}
