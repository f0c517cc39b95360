//! The names a change defines (tables, columns, indexes, views, sequences, constraints, including new
//! names given by renames): the one list the naming conventions, the keyword and object-name policy
//! checks and the identifier-length rule all read.

use crate::model::{Attr, Change};

/// What kind of constraint a name belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    PrimaryKey,
    ForeignKey,
    Unique,
    NotNull,
    Check,
}

/// The kinds of object a change names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    Table,
    Column,
    Index,
    View,
    Sequence,
    Constraint(ConstraintKind),
}

impl ObjectKind {
    /// The kind as users name it in options and messages (every constraint is `constraint`).
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::Index => "index",
            ObjectKind::View => "view",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Constraint(_) => "constraint",
        }
    }
}

/// Constraint name attributes of a column's `constraints`, in the order they are reported.
const COLUMN_CONSTRAINTS: &[(&str, ConstraintKind)] = &[
    ("primaryKeyName", ConstraintKind::PrimaryKey),
    ("foreignKeyName", ConstraintKind::ForeignKey),
    ("uniqueConstraintName", ConstraintKind::Unique),
    ("notNullConstraintName", ConstraintKind::NotNull),
    ("checkConstraintName", ConstraintKind::Check),
];

/// Every object name a change defines (or renames to), with its attribute.
pub fn defined_names(ch: &Change) -> Vec<(ObjectKind, &Attr)> {
    use ConstraintKind::*;
    use ObjectKind::*;
    let el = &ch.element;
    let mut out = Vec::new();
    let mut push = |kind, name: &str| {
        if let Some(a) = el.attr(name) {
            out.push((kind, a));
        }
    };
    match ch.kind.value.as_str() {
        "createTable" => push(Table, "tableName"),
        "renameTable" => push(Table, "newTableName"),
        "renameColumn" => push(Column, "newColumnName"),
        "createIndex" => push(Index, "indexName"),
        "createView" => push(View, "viewName"),
        "renameView" => push(View, "newViewName"),
        "createSequence" => push(Sequence, "sequenceName"),
        "renameSequence" => push(Sequence, "newSequenceName"),
        "addPrimaryKey" => push(Constraint(PrimaryKey), "constraintName"),
        "addForeignKeyConstraint" => push(Constraint(ForeignKey), "constraintName"),
        "addUniqueConstraint" => push(Constraint(Unique), "constraintName"),
        "addNotNullConstraint" => push(Constraint(NotNull), "constraintName"),
        "addCheckConstraint" => push(Constraint(Check), "constraintName"),
        _ => {}
    }
    if matches!(ch.kind.value.as_str(), "createTable" | "addColumn") {
        for col in ch.columns() {
            if let Some(a) = col.attr("name") {
                out.push((Column, a));
            }
            if let Some(c) = col.child("constraints") {
                for &(key, kind) in COLUMN_CONSTRAINTS {
                    if let Some(a) = c.attr(key) {
                        out.push((Constraint(kind), a));
                    }
                }
            }
        }
    }
    out
}
