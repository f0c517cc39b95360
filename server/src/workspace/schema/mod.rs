//! Schema replay: the changes of a project run in execution order against an in-memory schema, so
//! lqls knows what each table looks like at every changeset. The editor asks it what a name refers
//! to (hover, go-to-definition, references, completion) and it reports references to tables and
//! columns that cannot exist at that point.
//!
//! Tables are versioned copy-on-write: a step that touches a table stores a new version of that table
//! only, so replaying thousands of changesets stays linear. Every place a change names an object is a
//! [`Touch`]; objects keep their identity across renames, which is what makes references follow them.
//!
//! Not modelled: the SQL of views and `where` clauses (no references are read from them), the
//! contents of `sqlFile` (the replay does no I/O; such a change, like `customChange` or a `DO` block,
//! makes earlier drops and missing columns unprovable), and changelog-level preconditions.

mod changes;
mod checks;
mod filter;
mod model;
mod names;
mod queries;
mod replay;
mod sqlscan;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;

pub use filter::{context_matches, dbms_matches, Filter};
pub use model::{
    Check, Column, ForeignKey, Index, KeyConstraint, ObjectId, ObjectKind, SymbolRef, TableState,
    TableView, Target, Touch, TouchKind,
};
pub use replay::{replay, replay_with_paths};

use crate::model::{Severity, Span};
use crate::workspace::FileId;

/// A problem the replay found; `related` places may be in other files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub file: FileId,
    pub span: Span,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub related: Vec<(FileId, Span, String)>,
}

/// What a step was, for messages and queries.
#[derive(Clone, Debug)]
pub(crate) struct StepInfo {
    pub file: FileId,
    pub id: String,
    pub author: String,
    pub conditional: bool,
}

/// One object (table, view or sequence) across its life.
#[derive(Clone, Debug)]
pub(crate) struct Object {
    pub kind: ObjectKind,
    /// (step, state from that step on), in step order.
    pub versions: Vec<(usize, Arc<TableState>)>,
    /// Its touches (not its columns'), in order.
    pub touches: Vec<usize>,
    /// Touches of each of its columns, indexed by column id.
    pub column_touches: Vec<Vec<usize>>,
    /// The touch that created it with a change (not SQL, not a mere reference).
    pub created: Option<usize>,
    /// Still bound to a name at the end of the replay.
    pub alive: bool,
}

/// What a name meant from a step on.
#[derive(Clone, Debug)]
pub(crate) struct Binding {
    pub step: usize,
    /// The touch index when it was made (orders bindings within a step).
    pub at: usize,
    pub object: Option<ObjectId>,
    /// The touch that unbound the name (drop or rename).
    pub cause: Option<usize>,
    pub renamed_to: Option<String>,
}

/// The result of replaying a project's steps.
#[derive(Clone, Debug, Default)]
pub struct Replay {
    pub(crate) steps: Vec<Option<StepInfo>>,
    pub(crate) touches: Vec<Touch>,
    pub(crate) objects: Vec<Object>,
    pub(crate) names: HashMap<(ObjectKind, String), Vec<Binding>>,
    /// Bare key -> schema-qualified key it was last bound under, so that a change without
    /// `schemaName` finds a table created with one.
    pub(crate) aliases: HashMap<(ObjectKind, String), String>,
    /// First creation touch per table key.
    pub(crate) first_created: HashMap<String, usize>,
    /// Per file, (span, touch) sorted by span start.
    pub(crate) by_file: HashMap<FileId, Vec<(Span, usize)>>,
    pub(crate) findings: Vec<Finding>,
}
