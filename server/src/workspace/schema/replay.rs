//! The replay loop and the bookkeeping every change handler shares: resolving names to objects at
//! the current point, copy-on-write table versions, touches, and misses kept for the checks.

use std::collections::HashMap;
use std::sync::Arc;

use super::filter::dbms_matches;
use super::model::{Gone, ObjectId, ObjectKind, TableState, Target, Touch, TouchKind};
use super::names::{key, qualified, same};
use super::{Binding, Filter, Object, Replay, StepInfo};
use crate::model::access::split_list;
use crate::model::Span;
use crate::workspace::{FileId, Step};

/// Replays the steps that pass the filter, in order. Step indexes in the result are indexes into
/// `steps`.
pub fn replay(steps: &[Step<'_>], filter: &Filter) -> Replay {
    replay_with_paths(steps, filter, &[])
}

/// Like [`replay`], with the display path of each file (indexed by `FileId`) for messages that point
/// to another changeset.
pub fn replay_with_paths(steps: &[Step<'_>], filter: &Filter, paths: &[String]) -> Replay {
    let mut b = Builder {
        r: Replay::default(),
        step: 0,
        file: 0,
        conditional: false,
        paths,
        missing_tables: Vec::new(),
        missing_columns: Vec::new(),
        column_births: HashMap::new(),
        index_owner: HashMap::new(),
        last_unknown: None,
        // InnoDB indexes every foreign key itself: the warning would be noise there.
        fk_indexed_by_database: filter
            .dbms
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case("mysql") || d.eq_ignore_ascii_case("mariadb")),
    };
    for (i, step) in steps.iter().enumerate() {
        if !filter.accepts(step) {
            b.r.steps.push(None);
            continue;
        }
        let cs = step.changeset;
        let conditional = filter.is_conditional(step);
        b.r.steps.push(Some(StepInfo {
            file: step.file,
            id: cs.id_str().to_string(),
            author: cs.author_str().to_string(),
            conditional,
        }));
        b.step = i;
        b.file = step.file;
        b.conditional = conditional;
        // Only forward changes: rollback blocks describe the way back, not the schema.
        for change in &cs.changes {
            // A change may carry its own `dbms` (`<sql dbms="h2">`): skipped under a filter that
            // excludes it, an alternative without one.
            if let Some(list) = change.element.attr_value("dbms").map(split_list) {
                match &filter.dbms {
                    Some(db) if !dbms_matches(&list, db) => continue,
                    Some(_) => {}
                    None if list.iter().any(|d| !d.eq_ignore_ascii_case("all")) => {
                        b.conditional = true;
                        if let Some(Some(info)) = b.r.steps.last_mut() {
                            info.conditional = true;
                        }
                    }
                    None => {}
                }
            }
            b.apply(change);
        }
    }
    b.finish()
}

/// A reference to a table that was not bound when it was made, kept until the end to see whether
/// the table is created later.
pub(super) struct MissingTable {
    pub touch: usize,
    pub key: String,
    pub name: String,
}

/// A reference to a column that a fully known table did not have.
pub(super) struct MissingColumn {
    pub object: ObjectId,
    pub key: String,
    pub name: String,
    pub table: String,
    pub span: Span,
    pub file: FileId,
    pub step: usize,
    /// Touch count when it was made: a later birth has a higher touch index.
    pub at: usize,
    pub suggestion: Option<String>,
}

/// What a name lookup found.
pub(super) enum Lookup {
    Found(ObjectId),
    /// Bound once, unbound now (the binding that unbound it).
    Gone(Binding),
    Never,
}

pub(super) struct Builder<'p> {
    pub r: Replay,
    pub step: usize,
    pub file: FileId,
    pub conditional: bool,
    pub paths: &'p [String],
    pub missing_tables: Vec<MissingTable>,
    pub missing_columns: Vec<MissingColumn>,
    /// Touches that gave a table a column of this key (creation or rename), in order.
    pub column_births: HashMap<(ObjectId, String), Vec<usize>>,
    /// The table each index name belongs to, for `dropIndex` without `tableName`.
    pub index_owner: HashMap<String, ObjectId>,
    /// Touch count when the last change lqls cannot read ran (`sqlFile`, `customChange`, ...): it
    /// may have re-created a dropped table or added columns, so what came before it proves nothing.
    pub last_unknown: Option<usize>,
    /// The target database creates an index for each foreign key (MySQL, MariaDB).
    pub fk_indexed_by_database: bool,
}

impl Builder<'_> {
    pub fn touch(
        &mut self,
        span: Span,
        kind: TouchKind,
        target: Target,
        change: &str,
        name: &str,
    ) -> usize {
        let idx = self.r.touches.len();
        match &target {
            Target::Table(o) | Target::View(o) | Target::Sequence(o) => {
                self.r.objects[*o].touches.push(idx)
            }
            Target::Column(o, c) => {
                let list = &mut self.r.objects[*o].column_touches;
                let c = *c as usize;
                if list.len() <= c {
                    list.resize_with(c + 1, Vec::new);
                }
                list[c].push(idx);
            }
            Target::Index(..) => {}
        }
        self.r.touches.push(Touch {
            step: self.step,
            file: self.file,
            span,
            kind,
            target,
            change: super::changes::intern(change),
            name: name.to_string(),
        });
        idx
    }

    pub fn target(kind: ObjectKind, id: ObjectId) -> Target {
        match kind {
            ObjectKind::Table => Target::Table(id),
            ObjectKind::View => Target::View(id),
            ObjectKind::Sequence => Target::Sequence(id),
        }
    }

    /// What a name means now. A qualified name falls back to the unqualified one: changelogs often
    /// give `schemaName` on some changes of a table and not on others.
    pub fn lookup(&self, kind: ObjectKind, schema: Option<&str>, name: &str) -> (String, Lookup) {
        let k = qualified(schema, name);
        let found = self.lookup_key(kind, &k);
        if schema.is_none() && matches!(found, Lookup::Never) {
            if let Some(full) = self.r.aliases.get(&(kind, k.clone())) {
                return (full.clone(), self.lookup_key(kind, full));
            }
        }
        if schema.is_some() && !matches!(found, Lookup::Found(_)) {
            let bare = key(name);
            let other = self.lookup_key(kind, &bare);
            if matches!(other, Lookup::Found(_)) || matches!(found, Lookup::Never) {
                return (bare, other);
            }
        }
        (k, found)
    }

    fn lookup_key(&self, kind: ObjectKind, k: &str) -> Lookup {
        match self
            .r
            .names
            .get(&(kind, k.to_string()))
            .and_then(|v| v.last())
        {
            Some(b) => match b.object {
                Some(o) => Lookup::Found(o),
                None => Lookup::Gone(b.clone()),
            },
            None => Lookup::Never,
        }
    }

    pub fn bind(
        &mut self,
        kind: ObjectKind,
        k: String,
        object: Option<ObjectId>,
        cause: Option<usize>,
        renamed_to: Option<String>,
    ) {
        if let Some(o) = object {
            self.r.objects[o].alive = true;
        }
        let at = self.r.touches.len();
        if let Some((_, bare)) = k.rsplit_once('.') {
            self.r.aliases.insert((kind, bare.to_string()), k.clone());
        }
        let list = self.r.names.entry((kind, k)).or_default();
        if let Some(prev) = list.last().and_then(|b| b.object) {
            if Some(prev) != object {
                self.r.objects[prev].alive = false;
            }
        }
        list.push(Binding {
            step: self.step,
            at,
            object,
            cause,
            renamed_to,
        });
    }

    /// A new object bound to its name. `known`: created by a change that lists all its columns.
    pub fn create(
        &mut self,
        kind: ObjectKind,
        schema: Option<&str>,
        name: &str,
        known: bool,
        opaque: bool,
    ) -> ObjectId {
        let id = self.r.objects.len();
        let state = TableState {
            name: name.to_string(),
            schema: schema.map(str::to_string),
            known,
            opaque,
            conditional: self.conditional,
            ..TableState::default()
        };
        self.r.objects.push(Object {
            kind,
            versions: vec![(self.step, Arc::new(state))],
            touches: Vec::new(),
            column_touches: Vec::new(),
            created: None,
            alive: true,
        });
        self.bind(kind, qualified(schema, name), Some(id), None, None);
        id
    }

    pub fn state(&self, id: ObjectId) -> &TableState {
        &self.r.objects[id]
            .versions
            .last()
            .expect("objects have a version")
            .1
    }

    /// The object's state for this step, copied from the previous version on the first write of the
    /// step (the only copy the replay makes).
    pub fn state_mut(&mut self, id: ObjectId) -> &mut TableState {
        let step = self.step;
        let conditional = self.conditional;
        let versions = &mut self.r.objects[id].versions;
        let last = versions.last().expect("objects have a version");
        if last.0 != step {
            let copy = Arc::clone(&last.1);
            versions.push((step, copy));
        }
        let st = Arc::make_mut(&mut versions.last_mut().expect("just pushed").1);
        st.conditional |= conditional;
        st
    }

    /// Resolves a table (view, sequence) named at `span` and records the touch. A name never seen
    /// becomes an object of unknown shape (it may predate the changelogs); a name dropped or renamed
    /// earlier is reported and resolves to nothing.
    pub fn resolve(
        &mut self,
        kind: ObjectKind,
        schema: Option<&str>,
        name: &str,
        span: Span,
        how: TouchKind,
        change: &str,
    ) -> Option<ObjectId> {
        let (k, found) = self.lookup(kind, schema, name);
        match found {
            Lookup::Found(id) => {
                self.touch(span, how, Self::target(kind, id), change, name);
                Some(id)
            }
            Lookup::Gone(binding) => {
                let unknown_since = self.last_unknown.is_some_and(|u| u >= binding.at);
                if kind == ObjectKind::Table && !unknown_since {
                    self.report_gone_table(name, span, &binding);
                }
                None
            }
            Lookup::Never => {
                let id = self.create(kind, schema, name, false, false);
                let t = self.touch(span, how, Self::target(kind, id), change, name);
                if kind == ObjectKind::Table {
                    self.missing_tables.push(MissingTable {
                        touch: t,
                        key: k,
                        name: name.to_string(),
                    });
                }
                Some(id)
            }
        }
    }

    /// Resolves a column of a table and records the touch; a column a fully known table lacks is
    /// kept for the checks.
    pub fn column(
        &mut self,
        table: ObjectId,
        name: &str,
        span: Span,
        how: TouchKind,
        change: &str,
    ) -> Option<(u32, usize)> {
        let name = super::names::ident(name)?;
        let st = self.state(table);
        if let Some(c) = st.column(name) {
            let id = c.id;
            let t = self.touch(span, how, Target::Column(table, id), change, name);
            return Some((id, t));
        }
        if !st.known || st.opaque {
            return None;
        }
        let k = key(name);
        let table_name = st.name.clone();
        let since_unknown = |at: usize| self.last_unknown.is_some_and(|u| u > at);
        if let Some(g) = st.gone.iter().rev().find(|g| g.key == k).cloned() {
            if !since_unknown(g.cause) {
                self.report_gone_column(name, &table_name, span, &g, st.conditional);
            }
            return None;
        }
        let created = self.r.objects[table].created.unwrap_or(0);
        if st.conditional || self.conditional || since_unknown(created) {
            return None;
        }
        let suggestion = crate::suggest::closest(name, st.columns.iter().map(|c| c.name.as_str()))
            .map(str::to_string);
        self.missing_columns.push(MissingColumn {
            object: table,
            key: k,
            name: name.to_string(),
            table: table_name,
            span,
            file: self.file,
            step: self.step,
            at: self.r.touches.len(),
            suggestion,
        });
        None
    }

    /// Records that a table has a column of this name from now on (for "added later").
    pub fn column_born(&mut self, table: ObjectId, name: &str, touch: usize) {
        self.column_births
            .entry((table, key(name)))
            .or_default()
            .push(touch);
    }

    /// Removes a column, remembering why for later references.
    pub fn remove_column(
        &mut self,
        table: ObjectId,
        name: &str,
        cause: usize,
        renamed_to: Option<String>,
    ) {
        let k = key(name);
        let st = self.state_mut(table);
        st.columns.retain(|c| !same(&c.name, name));
        if renamed_to.is_none() {
            if let Some(pk) = &mut st.primary_key {
                pk.columns.retain(|c| !same(c, name));
            }
            st.indexes
                .retain(|i| !i.columns.iter().any(|c| same(c, name)));
            st.unique_constraints
                .retain(|u| !u.columns.iter().any(|c| same(c, name)));
            st.foreign_keys
                .retain(|f| !f.columns.iter().any(|c| same(c, name)));
        }
        st.gone.push(Gone {
            key: k,
            cause,
            renamed_to,
        });
    }

    /// `changeset 'id' by author in file`.
    pub fn describe_step(&self, step: usize) -> String {
        describe(&self.r, self.paths, step)
    }

    pub fn step_conditional(&self, step: usize) -> bool {
        self.r
            .steps
            .get(step)
            .and_then(Option::as_ref)
            .is_some_and(|s| s.conditional)
    }

    fn finish(mut self) -> Replay {
        super::checks::run(&mut self);
        let mut r = self.r;
        for (i, t) in r.touches.iter().enumerate() {
            r.by_file.entry(t.file).or_default().push((t.span, i));
        }
        for list in r.by_file.values_mut() {
            list.sort_by_key(|(s, i)| (s.start, *i));
        }
        r
    }
}

pub(super) fn describe(r: &Replay, paths: &[String], step: usize) -> String {
    match r.steps.get(step).and_then(Option::as_ref) {
        Some(s) => {
            let file = paths
                .get(s.file)
                .map_or_else(|| format!("file #{}", s.file), Clone::clone);
            format!("changeset '{}' by {} in {}", s.id, s.author, file)
        }
        None => format!("step {step}"),
    }
}
