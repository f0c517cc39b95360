//! The schema as the replay sees it: tables with their columns and constraints, and the touches (every
//! place a change names an object) the editor features are answered from.

use std::sync::Arc;

use crate::model::Span;
use crate::workspace::FileId;

/// An object's identity across renames: an index into the replay's object table. A table dropped and
/// created again under the same name is a new object.
pub type ObjectId = usize;

/// The namespaces the replay keeps apart (Liquibase changes never mix them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Table,
    View,
    Sequence,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
            ObjectKind::Sequence => "sequence",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Identity within its table, kept by renames, new after a drop and re-add.
    pub id: u32,
    pub name: String,
    pub data_type: Option<String>,
    pub nullable: bool,
    pub default: Option<String>,
    pub primary_key: bool,
    pub auto_increment: bool,
    pub remarks: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A primary key or unique constraint: a name and the columns in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyConstraint {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub name: Option<String>,
    pub condition: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referenced_table: String,
    pub referenced_columns: Vec<String>,
    /// The referenced table: a foreign key to a table dropped since went with it (a drop needs
    /// `cascadeConstraints`, or the key dropped first).
    pub(crate) referenced: Option<ObjectId>,
    /// Where it was declared (file, span, step): where `fk-without-index` points.
    pub(crate) origin: (FileId, Span, usize),
}

/// One version of a table (or the shell of a view or sequence, which only use the name).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TableState {
    /// The name as last written (by the creation or a rename).
    pub name: String,
    pub schema: Option<String>,
    /// Shared per column: a new version of the table copies pointers, not every column's strings.
    pub columns: Vec<Arc<Column>>,
    pub primary_key: Option<KeyConstraint>,
    pub indexes: Vec<Index>,
    pub unique_constraints: Vec<KeyConstraint>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
    pub remarks: Option<String>,
    /// Touched by SQL lqls cannot model: its columns and indexes are not fully known.
    pub opaque: bool,
    /// Created by a change of the replay: its columns are all known (unless opaque). A table only
    /// referenced may predate the changelogs and have columns lqls never saw.
    pub known: bool,
    /// Shaped by a changeset that may not run (preconditions, dbms or context without a filter):
    /// conflicts on it are not reported.
    pub(crate) conditional: bool,
    /// Columns removed so far, to explain a later reference.
    pub(crate) gone: Vec<Gone>,
    pub(crate) next_column: u32,
}

/// What the hover shows: a table as it is at some step.
pub type TableView = TableState;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Gone {
    pub key: String,
    pub cause: usize,
    pub renamed_to: Option<String>,
}

impl TableState {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| super::names::same(&c.name, name))
            .map(|c| &**c)
    }

    pub(crate) fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns
            .iter_mut()
            .find(|c| super::names::same(&c.name, name))
            .map(Arc::make_mut)
    }

    /// Whether some index, the primary key or a unique constraint starts with exactly these columns
    /// (in any order among themselves): what makes a foreign key's lookups cheap.
    pub fn has_leading_key(&self, columns: &[String]) -> bool {
        let want: Vec<String> = {
            let mut v: Vec<String> = columns.iter().map(|c| super::names::key(c)).collect();
            v.sort();
            v
        };
        let covers = |cols: &[String]| {
            if cols.len() < want.len() {
                return false;
            }
            let mut lead: Vec<String> = cols[..want.len()]
                .iter()
                .map(|c| super::names::key(c))
                .collect();
            lead.sort();
            lead == want
        };
        self.indexes.iter().any(|i| covers(&i.columns))
            || self
                .primary_key
                .as_ref()
                .is_some_and(|p| covers(&p.columns))
            || self.unique_constraints.iter().any(|u| covers(&u.columns))
    }
}

/// How a change touches an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TouchKind {
    Create,
    Alter,
    Rename,
    Drop,
    /// insert, update, delete, loadData, loadUpdateData.
    Data,
    /// Named by a change about something else (a foreign key's referenced table, an index's column).
    Reference,
}

/// What a touch is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Table(ObjectId),
    View(ObjectId),
    Sequence(ObjectId),
    Column(ObjectId, u32),
    /// An index of a table, by its key (lower-case, unquoted name).
    Index(ObjectId, String),
}

/// One place a change names an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Touch {
    /// Index of the step in the replayed slice.
    pub step: usize,
    pub file: FileId,
    /// The value naming the object (one item of a comma list), or the change when there is none.
    pub span: Span,
    pub kind: TouchKind,
    pub target: Target,
    /// The change type (`addColumn`, `sql`, ...; `change` for types the replay does not know).
    pub change: &'static str,
    /// The name as written there.
    pub name: String,
}

/// What the cursor is on: an object as resolved at a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolRef {
    pub target: Target,
    pub step: usize,
    pub name: String,
    pub span: Span,
}
