//! What the editor asks: the symbol under the cursor, its definition and references, a table as it
//! is before a step (hover), and names for completion.

use std::sync::Arc;

use super::model::{ObjectKind, SymbolRef, TableState, TableView, Target, Touch, TouchKind};
use super::names::{key, qualified};
use super::{Finding, Replay};
use crate::workspace::FileId;

impl Replay {
    pub fn findings(&self) -> Vec<Finding> {
        self.findings.clone()
    }

    /// Whether a step was replayed (it passed the filter).
    pub fn replayed(&self, step: usize) -> bool {
        self.steps.get(step).is_some_and(Option::is_some)
    }

    /// Whether a replayed step may not run (preconditions, dbms or contexts the filter leaves
    /// open): conflicts it is part of are not reported.
    pub fn is_conditional(&self, step: usize) -> bool {
        self.steps
            .get(step)
            .and_then(Option::as_ref)
            .is_some_and(|s| s.conditional)
    }

    /// Every touch, in replay order.
    pub fn touches(&self) -> &[Touch] {
        &self.touches
    }

    /// The object or column named at a byte offset of a file.
    pub fn symbol_at(&self, file: FileId, offset: usize) -> Option<SymbolRef> {
        let list = self.by_file.get(&file)?;
        let end = list.partition_point(|(s, _)| s.start <= offset);
        // Spans of names do not nest; look back a little for the one containing the offset.
        let &(span, i) = list[..end]
            .iter()
            .rev()
            .take(8)
            .find(|(s, _)| s.contains(offset) || (s.is_empty() && s.start == offset))?;
        let t = &self.touches[i];
        Some(SymbolRef {
            target: t.target.clone(),
            step: t.step,
            name: t.name.clone(),
            span,
        })
    }

    /// The creation of the symbol's object (which renames do not change).
    pub fn definition(&self, sym: &SymbolRef) -> Option<Touch> {
        let idx = match &sym.target {
            Target::Table(o) | Target::View(o) | Target::Sequence(o) => {
                self.objects.get(*o)?.created
            }
            Target::Column(o, c) => self
                .objects
                .get(*o)?
                .column_touches
                .get(*c as usize)?
                .iter()
                .copied()
                .find(|&i| self.touches[i].kind == TouchKind::Create),
            Target::Index(..) => self
                .touches
                .iter()
                .position(|t| t.target == sym.target && t.kind == TouchKind::Create),
        }?;
        self.touches.get(idx).cloned()
    }

    /// Every touch of the symbol's object, across renames, in replay order.
    pub fn references(&self, sym: &SymbolRef) -> Vec<Touch> {
        let idx: Vec<usize> = match &sym.target {
            Target::Table(o) | Target::View(o) | Target::Sequence(o) => self
                .objects
                .get(*o)
                .map(|x| x.touches.clone())
                .unwrap_or_default(),
            Target::Column(o, c) => self
                .objects
                .get(*o)
                .and_then(|x| x.column_touches.get(*c as usize))
                .cloned()
                .unwrap_or_default(),
            Target::Index(..) => (0..self.touches.len())
                .filter(|&i| self.touches[i].target == sym.target)
                .collect(),
        };
        idx.into_iter().map(|i| self.touches[i].clone()).collect()
    }

    /// The object a name is bound to just before `step`.
    fn object_before(&self, kind: ObjectKind, step: usize, name: &str) -> Option<usize> {
        let (schema, bare) = match name.rsplit_once('.') {
            Some((s, n)) if !s.is_empty() => (Some(s), n),
            _ => (None, name),
        };
        let at = |k: &str| -> Option<usize> {
            let list = self.names.get(&(kind, k.to_string()))?;
            let n = list.partition_point(|b| b.step < step);
            list[..n].last()?.object
        };
        at(&qualified(schema, bare))
            .or_else(|| at(&key(bare)))
            .or_else(|| at(self.aliases.get(&(kind, key(bare)))?))
    }

    fn state_before(&self, object: usize, step: usize) -> Option<&Arc<TableState>> {
        let versions = &self.objects.get(object)?.versions;
        let n = versions.partition_point(|(s, _)| *s < step);
        versions[..n].last().map(|(_, st)| st)
    }

    /// The table as it is just before `step` (for hover).
    pub fn table_at(&self, step: usize, name: &str) -> Option<TableView> {
        let o = self.object_before(ObjectKind::Table, step, name)?;
        self.state_before(o, step).map(|s| (**s).clone())
    }

    /// Every touch of every table ever named `table`, in replay order.
    pub fn history(&self, table: &str) -> Vec<Touch> {
        let k = key(table);
        let k = match self.aliases.get(&(ObjectKind::Table, k.clone())) {
            Some(full) if !self.names.contains_key(&(ObjectKind::Table, k.clone())) => full.clone(),
            _ => k,
        };
        let Some(list) = self.names.get(&(ObjectKind::Table, k)) else {
            return Vec::new();
        };
        let mut objects: Vec<usize> = list.iter().filter_map(|b| b.object).collect();
        objects.sort_unstable();
        objects.dedup();
        let mut idx: Vec<usize> = objects
            .iter()
            .flat_map(|&o| self.objects[o].touches.iter().copied())
            .collect();
        idx.sort_unstable();
        idx.into_iter().map(|i| self.touches[i].clone()).collect()
    }

    /// The names of the tables that exist just before `step`, sorted.
    pub fn tables_at(&self, step: usize) -> Vec<String> {
        let mut out: Vec<String> = self
            .names
            .iter()
            .filter(|((kind, _), _)| *kind == ObjectKind::Table)
            .filter_map(|(_, list)| {
                let n = list.partition_point(|b| b.step < step);
                let o = list[..n].last()?.object?;
                self.state_before(o, step).map(|s| s.name.clone())
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The columns of a table just before `step`, in table order.
    pub fn columns_at(&self, step: usize, table: &str) -> Vec<String> {
        let Some(o) = self.object_before(ObjectKind::Table, step, table) else {
            return Vec::new();
        };
        self.state_before(o, step)
            .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default()
    }

    /// The first creation of a table of this name by a change: what "created in this project" means.
    pub fn created_at(&self, table: &str) -> Option<Touch> {
        let bare = table.rsplit_once('.').map_or(table, |(_, n)| n);
        self.first_created
            .get(&key(bare))
            .map(|&i| self.touches[i].clone())
    }
}
