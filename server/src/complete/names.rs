//! Where table, column and property names come from.
//!
//! Completion only needs three questions answered, so the trait is that small: [`FileNames`] answers
//! them from one parsed file; a project-wide implementation (every changelog in execution order,
//! included files, `liquibase.properties`) can answer them without completion changing.

use crate::model::access::split_list;
use crate::model::{ChangeLog, Element};

/// Names known at a point of a changelog.
pub trait Names {
    /// Tables that exist at byte `offset` of the file being completed: created (or renamed to) by
    /// changes that come before it, and not dropped since.
    fn tables(&self, offset: usize) -> Vec<String>;
    /// Columns of `table` (compared ignoring case) at byte `offset`.
    fn columns(&self, offset: usize, table: &str) -> Vec<String>;
    /// Changelog properties (`${name}`), with their value when one is known.
    fn properties(&self) -> Vec<(String, Option<String>)>;
}

/// Knows nothing: catalog proposals only.
pub struct NoNames;

impl Names for NoNames {
    fn tables(&self, _: usize) -> Vec<String> {
        Vec::new()
    }
    fn columns(&self, _: usize, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn properties(&self) -> Vec<(String, Option<String>)> {
        Vec::new()
    }
}

/// One schema step, at the end offset of the change that makes it.
#[derive(Clone, Debug)]
enum Op {
    Create(String, Vec<String>),
    AddColumns(String, Vec<String>),
    RenameTable(String, String),
    RenameColumn(String, String, String),
    DropTable(String),
    DropColumns(String, Vec<String>),
}

/// The names one parsed file defines.
#[derive(Clone, Debug, Default)]
pub struct FileNames {
    ops: Vec<(usize, Op)>,
    properties: Vec<(String, Option<String>)>,
}

fn column_names(el: &Element) -> Vec<String> {
    el.children_named("column")
        .filter_map(|c| c.attr_value("name"))
        .map(str::to_string)
        .collect()
}

impl FileNames {
    pub fn new(log: &ChangeLog) -> Self {
        let mut ops = Vec::new();
        for cs in &log.changesets {
            for ch in &cs.changes {
                let el = &ch.element;
                let table = || el.attr_value("tableName").unwrap_or("").to_string();
                let op = match ch.kind.value.as_str() {
                    "createTable" => Op::Create(table(), column_names(el)),
                    "addColumn" => Op::AddColumns(table(), column_names(el)),
                    "renameTable" => Op::RenameTable(
                        el.attr_value("oldTableName").unwrap_or("").into(),
                        el.attr_value("newTableName").unwrap_or("").into(),
                    ),
                    "renameColumn" => Op::RenameColumn(
                        table(),
                        el.attr_value("oldColumnName").unwrap_or("").into(),
                        el.attr_value("newColumnName").unwrap_or("").into(),
                    ),
                    "dropTable" => Op::DropTable(table()),
                    "dropColumn" => {
                        let mut cols = column_names(el);
                        cols.extend(
                            el.attr_value("columnName")
                                .map(split_list)
                                .unwrap_or_default(),
                        );
                        Op::DropColumns(table(), cols)
                    }
                    _ => continue,
                };
                ops.push((el.span.end, op));
            }
        }
        let properties = log
            .properties
            .iter()
            .filter_map(|p| {
                let name = p.name.as_ref()?.value.clone();
                Some((name, p.value.as_ref().map(|v| v.value.clone())))
            })
            .collect();
        FileNames { ops, properties }
    }

    /// The schema after every change that ends at or before `offset`: tables with their columns.
    fn schema(&self, offset: usize) -> Vec<(String, Vec<String>)> {
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        let find = |tables: &[(String, Vec<String>)], t: &str| {
            tables.iter().position(|(n, _)| n.eq_ignore_ascii_case(t))
        };
        for (end, op) in &self.ops {
            if *end > offset {
                continue;
            }
            match op {
                Op::Create(t, cols) if !t.is_empty() => match find(&tables, t) {
                    Some(i) => tables[i].1.clone_from(cols),
                    None => tables.push((t.clone(), cols.clone())),
                },
                Op::AddColumns(t, cols) => match find(&tables, t) {
                    Some(i) => tables[i].1.extend(cols.iter().cloned()),
                    None => tables.push((t.clone(), cols.clone())),
                },
                Op::RenameTable(old, new) => {
                    if let Some(i) = find(&tables, old) {
                        tables[i].0.clone_from(new);
                    }
                }
                Op::RenameColumn(t, old, new) => {
                    if let Some(i) = find(&tables, t) {
                        for c in &mut tables[i].1 {
                            if c.eq_ignore_ascii_case(old) {
                                c.clone_from(new);
                            }
                        }
                    }
                }
                Op::DropTable(t) => {
                    if let Some(i) = find(&tables, t) {
                        tables.remove(i);
                    }
                }
                Op::DropColumns(t, cols) => {
                    if let Some(i) = find(&tables, t) {
                        tables[i]
                            .1
                            .retain(|c| !cols.iter().any(|d| d.eq_ignore_ascii_case(c)));
                    }
                }
                Op::Create(..) => {}
            }
        }
        tables.retain(|(t, _)| !t.is_empty());
        tables
    }
}

impl Names for FileNames {
    fn tables(&self, offset: usize) -> Vec<String> {
        self.schema(offset).into_iter().map(|(t, _)| t).collect()
    }

    fn columns(&self, offset: usize, table: &str) -> Vec<String> {
        self.schema(offset)
            .into_iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(table))
            .map(|(_, c)| c)
            .unwrap_or_default()
    }

    fn properties(&self) -> Vec<(String, Option<String>)> {
        self.properties.clone()
    }
}
