//! Which change types Liquibase can roll back without a written `<rollback>`.
//!
//! Liquibase rolls a change back automatically only when its change class builds an inverse
//! (`createInverses()` in `liquibase.change.core`; the default in `AbstractChange` returns none, which
//! makes `supportsRollback` false). This list is the set of 4.29 change classes that override it,
//! found by inspecting `liquibase-core.jar` (`javap -p liquibase/change/core/*Change.class`). Everything
//! else (dropTable, sql, insert, loadData, modifyDataType, ...) loses information Liquibase would need to
//! undo it, so a changeset using it needs an explicit rollback.

/// Change types with an automatic rollback, each with what Liquibase runs to undo it. Sorted by name.
pub const AUTO_ROLLBACK: &[(&str, &str)] = &[
    ("addColumn", "drops the added columns"),
    ("addDefaultValue", "drops the default value again"),
    ("addForeignKeyConstraint", "drops the foreign key"),
    (
        "addLookupTable",
        "drops the foreign key and the lookup table it created",
    ),
    ("addNotNullConstraint", "drops the not-null constraint"),
    ("addPrimaryKey", "drops the primary key"),
    ("addUniqueConstraint", "drops the unique constraint"),
    ("createIndex", "drops the index"),
    ("createSequence", "drops the sequence"),
    ("createTable", "drops the table"),
    ("createView", "drops the view"),
    (
        "dropNotNullConstraint",
        "adds the not-null constraint back (needs columnDataType on some databases)",
    ),
    ("empty", "nothing to undo"),
    ("output", "nothing to undo: it only prints"),
    ("renameColumn", "renames the column back"),
    ("renameSequence", "renames the sequence back"),
    ("renameTable", "renames the table back"),
    ("renameView", "renames the view back"),
    (
        "tagDatabase",
        "nothing to undo: the tag row goes with the changeset",
    ),
];

/// Whether Liquibase can undo `change_type` by itself.
pub fn is_auto_rollback(change_type: &str) -> bool {
    AUTO_ROLLBACK
        .binary_search_by(|(name, _)| name.cmp(&change_type))
        .is_ok()
}

/// What the automatic rollback of `change_type` does, if it has one.
pub fn auto_rollback(change_type: &str) -> Option<&'static str> {
    AUTO_ROLLBACK
        .binary_search_by(|(name, _)| name.cmp(&change_type))
        .ok()
        .map(|i| AUTO_ROLLBACK[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_all_change_types() {
        assert!(AUTO_ROLLBACK.windows(2).all(|w| w[0].0 < w[1].0));
        for (name, _) in AUTO_ROLLBACK {
            assert!(crate::catalog::is_change_type(name), "{name}");
        }
    }

    #[test]
    fn known_cases() {
        assert!(is_auto_rollback("createTable"));
        assert!(is_auto_rollback("renameColumn"));
        assert!(!is_auto_rollback("dropTable"));
        assert!(!is_auto_rollback("sql"));
        assert!(!is_auto_rollback("insert"));
        assert!(auto_rollback("createIndex").unwrap().contains("index"));
    }
}
