//! Two changesets in one file with the same id and author.
//!
//! Liquibase checks for duplicates among the changesets that pass its filters (database, contexts,
//! labels). Two changesets for different databases (`dbms="db2"` / `dbms="!db2"`) are a common,
//! accepted pattern and never run together. With the same filters both always run, and Liquibase
//! refuses the changelog. With different contexts or labels they collide only when both are
//! selected (for example when no context is given): a warning.
use crate::diagnostics::codes;
use crate::model::{ChangeLog, ChangeSet, Diagnostic};
use std::collections::HashMap;

fn filter_of(cs: &ChangeSet) -> (Vec<String>, Option<&str>, Option<&str>) {
    let mut dbms = cs.dbms();
    dbms.sort();
    (dbms, cs.contexts(), cs.labels())
}

pub fn check(changelog: &ChangeLog, out: &mut Vec<Diagnostic>) {
    // Identity is path + id + author; a changeset's own logicalFilePath gives it another path.
    let file_path = changelog
        .logical_file_path
        .as_ref()
        .map(|p| p.value.as_str());
    let mut seen: HashMap<(Option<&str>, &str, &str), Vec<usize>> = HashMap::new();
    for (i, cs) in changelog.changesets.iter().enumerate() {
        if cs.id.is_none() {
            continue; // a missing id is reported as a missing required attribute
        }
        let path = cs.logical_file_path().or(file_path);
        let key = (cs.id_str(), cs.author_str());
        let earlier = seen.entry((path, key.0, key.1)).or_default();
        let (dbms, contexts, labels) = filter_of(cs);
        let same_db: Vec<usize> = earlier
            .iter()
            .copied()
            .filter(|&j| filter_of(&changelog.changesets[j]).0 == dbms)
            .collect();
        earlier.push(i);
        let Some(&first) = same_db.first() else {
            continue;
        };
        let always = same_db.iter().any(|&j| {
            let (_, c, l) = filter_of(&changelog.changesets[j]);
            c == contexts && l == labels
        });
        let where_ = format!("changeset #{} in this file", first + 1);
        let first_header = changelog.changesets[first].header;
        let d = if always {
            Diagnostic::error(
                codes::DUPLICATE_CHANGESET,
                cs.header,
                format!(
                    "changeset `{}` by `{}` is already defined earlier ({where_}): give this one \
                     another id",
                    key.0, key.1
                ),
            )
            .with_related(first_header, "first defined here")
        } else {
            Diagnostic::warning(
                codes::DUPLICATE_CHANGESET,
                cs.header,
                format!(
                    "changeset `{}` by `{}` is also defined earlier ({where_}) with other \
                     contexts/labels: Liquibase refuses the file when both are selected (for \
                     example with no context given); give this one another id",
                    key.0, key.1
                ),
            )
            .with_related(first_header, "first defined here")
        };
        out.push(d);
    }
}
