//! What each change type does to the schema. Half-written changes are normal in an editor: whatever
//! cannot be read (a missing attribute, a `${property}` name) is skipped, never guessed.

use super::model::{
    Check, Column, ForeignKey, Index, KeyConstraint, ObjectId, ObjectKind, Target, TouchKind,
};
use super::names::{ident, items, key, qualified, same, schema, sub_span};
use super::replay::{Builder, Lookup};
use super::sqlscan::{effects, SqlEffect, SqlName};
use std::sync::Arc;

use crate::model::access::parse_bool;
use crate::model::{Change, Element, Span, Spanned};

use ObjectKind::{Sequence, Table, View};
use TouchKind::{Alter, Create, Data, Drop, Reference, Rename};

fn flag(el: &Element, name: &str) -> Option<bool> {
    el.attr_value(name).and_then(parse_bool)
}

/// The default a column or `addDefaultValue` gives (any `defaultValue*` but the constraint name).
fn default_of(el: &Element) -> Option<String> {
    el.attrs
        .iter()
        .find(|a| {
            a.namespace.is_none()
                && a.name.value.starts_with("defaultValue")
                && a.name.value != "defaultValueConstraintName"
        })
        .map(|a| a.value.value.clone())
}

impl Builder<'_> {
    pub fn apply(&mut self, ch: &Change) {
        let el = &ch.element;
        let kind = ch.kind.value.as_str();
        match kind {
            "createTable" => self.create_table(el, kind),
            "dropTable" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Drop, kind) {
                    let t = self.r.touches.len() - 1;
                    self.unbind(Table, id, t, None);
                }
            }
            "renameTable" => self.rename(
                Table,
                el,
                "oldTableName",
                "newTableName",
                "schemaName",
                kind,
            ),
            "addColumn" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Alter, kind) {
                    let cols: Vec<&Element> = el.children_named("column").collect();
                    for col in &cols {
                        self.define_column(id, col, kind);
                    }
                    for col in &cols {
                        self.column_foreign_key(id, col, kind);
                    }
                }
            }
            "dropColumn" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Alter, kind) {
                    let named = el.attr("columnName").into_iter().map(|a| &a.value);
                    let nested = el
                        .children_named("column")
                        .filter_map(|c| c.attr("name").map(|a| &a.value));
                    let list: Vec<&Spanned<String>> = named.chain(nested).collect();
                    for v in list {
                        for (name, span) in items(v) {
                            if let Some((_, t)) = self.column(id, &name, span, Drop, kind) {
                                self.remove_column(id, &name, t, None);
                            }
                        }
                    }
                }
            }
            "renameColumn" => self.rename_column(el, kind),
            "modifyDataType" => self.alter_column(el, "columnName", kind, |c, el| {
                if let Some(t) = el.attr_value("newDataType") {
                    c.data_type = Some(t.to_string());
                }
            }),
            "addNotNullConstraint" => {
                self.alter_column(el, "columnName", kind, |c, _| c.nullable = false)
            }
            "dropNotNullConstraint" => {
                self.alter_column(el, "columnName", kind, |c, _| c.nullable = true)
            }
            "addDefaultValue" => {
                self.alter_column(el, "columnName", kind, |c, el| c.default = default_of(el))
            }
            "dropDefaultValue" => {
                self.alter_column(el, "columnName", kind, |c, _| c.default = None)
            }
            "addAutoIncrement" => {
                self.alter_column(el, "columnName", kind, |c, _| c.auto_increment = true)
            }
            "setColumnRemarks" => self.alter_column(el, "columnName", kind, |c, el| {
                c.remarks = el.attr_value("remarks").map(str::to_string)
            }),
            "setTableRemarks" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Alter, kind) {
                    self.state_mut(id).remarks = el.attr_value("remarks").map(str::to_string);
                }
            }
            "addPrimaryKey" => {
                if let Some((id, cols)) = self.table_columns(el, "columnNames", kind) {
                    let st = self.state_mut(id);
                    for c in &mut st.columns {
                        if cols.iter().any(|n| same(n, &c.name)) {
                            let c = Arc::make_mut(c);
                            c.primary_key = true;
                            c.nullable = false;
                        }
                    }
                    st.primary_key = Some(KeyConstraint {
                        name: el.attr_value("constraintName").map(str::to_string),
                        columns: cols,
                    });
                }
            }
            "dropPrimaryKey" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Alter, kind) {
                    let st = self.state_mut(id);
                    st.primary_key = None;
                    for c in &mut st.columns {
                        if c.primary_key {
                            Arc::make_mut(c).primary_key = false;
                        }
                    }
                }
            }
            "addUniqueConstraint" => {
                if let Some((id, cols)) = self.table_columns(el, "columnNames", kind) {
                    self.state_mut(id).unique_constraints.push(KeyConstraint {
                        name: el.attr_value("constraintName").map(str::to_string),
                        columns: cols,
                    });
                }
            }
            "dropUniqueConstraint" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Alter, kind) {
                    let name = el.attr_value("constraintName").map(key);
                    let st = self.state_mut(id);
                    st.unique_constraints
                        .retain(|u| name.is_none() || u.name.as_deref().map(key) != name);
                }
            }
            "addCheckConstraint" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Alter, kind) {
                    let condition = el
                        .attr_value("checkCondition")
                        .or_else(|| el.text.as_ref().map(|t| t.value.as_str()))
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    self.state_mut(id).checks.push(Check {
                        name: el.attr_value("constraintName").map(str::to_string),
                        condition,
                    });
                }
            }
            "dropCheckConstraint" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Alter, kind) {
                    let name = el.attr_value("constraintName").map(key);
                    self.state_mut(id)
                        .checks
                        .retain(|c| name.is_none() || c.name.as_deref().map(key) != name);
                }
            }
            "addForeignKeyConstraint" => self.add_foreign_key(el, kind),
            "dropForeignKeyConstraint" => {
                if let Some(id) =
                    self.table(el, "baseTableName", "baseTableSchemaName", Alter, kind)
                {
                    let name = el.attr_value("constraintName").map(key);
                    self.state_mut(id)
                        .foreign_keys
                        .retain(|f| name.is_none() || f.name.as_deref().map(key) != name);
                }
            }
            "dropAllForeignKeyConstraints" => {
                if let Some(id) =
                    self.table(el, "baseTableName", "baseTableSchemaName", Alter, kind)
                {
                    self.state_mut(id).foreign_keys.clear();
                }
            }
            "createIndex" => self.create_index(el, kind),
            "dropIndex" => self.drop_index(el, kind),
            "createView" => {
                self.create_object(View, el, "viewName", kind);
            }
            "dropView" => self.drop_object(View, el, "viewName", kind),
            "renameView" => self.rename(View, el, "oldViewName", "newViewName", "schemaName", kind),
            "createSequence" => {
                self.create_object(Sequence, el, "sequenceName", kind);
            }
            "dropSequence" => self.drop_object(Sequence, el, "sequenceName", kind),
            "alterSequence" => {
                self.object(Sequence, el, "sequenceName", "schemaName", Alter, kind);
            }
            "renameSequence" => self.rename(
                Sequence,
                el,
                "oldSequenceName",
                "newSequenceName",
                "schemaName",
                kind,
            ),
            "mergeColumns" => self.merge_columns(el, kind),
            "addLookupTable" => self.add_lookup_table(el, kind),
            "insert" | "update" | "delete" | "loadData" | "loadUpdateData" => {
                if let Some(id) = self.table(el, "tableName", "schemaName", Data, kind) {
                    for col in el.children_named("column") {
                        if col
                            .attr_value("type")
                            .is_some_and(|t| t.eq_ignore_ascii_case("skip"))
                        {
                            continue;
                        }
                        if let Some(a) = col.attr("name") {
                            self.column(id, &a.value.value, a.value.span, Data, kind);
                        }
                    }
                }
            }
            "sql" => {
                let Some(text) = sql_text_of(el) else {
                    return;
                };
                let verbatim = text.span.len() == text.value.len();
                let anchor = el.name.span;
                let place = |n: &SqlName| {
                    if verbatim {
                        Span::new(text.span.start + n.span.start, text.span.start + n.span.end)
                    } else {
                        anchor
                    }
                };
                for e in effects(&text.value) {
                    self.sql_effect(&e, &place, kind);
                }
            }
            // Changes that only touch data or code outside tables.
            "output" | "empty" | "tagDatabase" | "stop" | "comment" | "createProcedure"
            | "dropProcedure" | "createFunction" | "dropFunction" | "createTrigger"
            | "dropTrigger" | "enableTrigger" | "disableTrigger" | "createSynonym"
            | "dropSynonym" => {}
            // sqlFile, customChange, executeCommand, extensions: they may do anything to any table.
            _ => self.last_unknown = Some(self.r.touches.len()),
        }
    }

    /// Resolves the table an attribute names.
    fn table(
        &mut self,
        el: &Element,
        attr: &str,
        schema_attr: &str,
        how: TouchKind,
        change: &str,
    ) -> Option<ObjectId> {
        self.object(Table, el, attr, schema_attr, how, change)
    }

    fn object(
        &mut self,
        kind: ObjectKind,
        el: &Element,
        attr: &str,
        schema_attr: &str,
        how: TouchKind,
        change: &str,
    ) -> Option<ObjectId> {
        let a = el.attr(attr)?;
        let name = ident(&a.value.value)?;
        let sch = schema(el.attr_value(schema_attr));
        self.resolve(kind, sch, name, a.value.span, how, change)
    }

    /// The key an object is bound under now.
    fn bound_key(&self, id: ObjectId) -> String {
        let st = self.state(id);
        qualified(st.schema.as_deref(), &st.name)
    }

    fn unbind(&mut self, kind: ObjectKind, id: ObjectId, cause: usize, renamed_to: Option<String>) {
        let k = self.bound_key(id);
        // The name may be bound under its bare key when the change named a schema (see lookup).
        let k = match self.r.names.get(&(kind, k.clone())).and_then(|v| v.last()) {
            Some(b) if b.object == Some(id) => k,
            _ => key(&self.state(id).name),
        };
        self.bind(kind, k, None, Some(cause), renamed_to);
    }

    fn create_table(&mut self, el: &Element, change: &str) {
        let Some(id) = self.create_object(Table, el, "tableName", change) else {
            return;
        };
        self.state_mut(id).remarks = el.attr_value("remarks").map(str::to_string);
        let cols: Vec<&Element> = el.children_named("column").collect();
        for col in &cols {
            self.define_column(id, col, change);
        }
        // After every column: a foreign key may reference its own table.
        for col in &cols {
            self.column_foreign_key(id, col, change);
        }
    }

    /// createTable / createView / createSequence: a new object, replacing whatever had the name
    /// (two dbms-specific creations are alternatives).
    fn create_object(
        &mut self,
        kind: ObjectKind,
        el: &Element,
        attr: &str,
        change: &str,
    ) -> Option<ObjectId> {
        let a = el.attr(attr)?;
        let name = ident(&a.value.value)?;
        let sch = schema(el.attr_value("schemaName"));
        let id = self.create(kind, sch, name, true, false);
        let t = self.touch(a.value.span, Create, Self::target(kind, id), change, name);
        self.r.objects[id].created = Some(t);
        if kind == Table {
            self.r.first_created.entry(key(name)).or_insert(t);
        }
        Some(id)
    }

    fn drop_object(&mut self, kind: ObjectKind, el: &Element, attr: &str, change: &str) {
        if let Some(id) = self.object(kind, el, attr, "schemaName", Drop, change) {
            let t = self.r.touches.len() - 1;
            self.unbind(kind, id, t, None);
        }
    }

    fn rename(
        &mut self,
        kind: ObjectKind,
        el: &Element,
        old: &str,
        new: &str,
        schema_attr: &str,
        change: &str,
    ) {
        let Some(new) = el.attr(new) else { return };
        let Some(new_name) = ident(&new.value.value) else {
            return;
        };
        let Some(id) = self.object(kind, el, old, schema_attr, Rename, change) else {
            return;
        };
        let cause = self.r.touches.len() - 1;
        self.unbind(kind, id, cause, Some(new_name.to_string()));
        self.state_mut(id).name = new_name.to_string();
        let k = self.bound_key(id);
        self.bind(kind, k, Some(id), None, None);
        self.touch(
            new.value.span,
            Rename,
            Self::target(kind, id),
            change,
            new_name,
        );
    }

    /// Adds (or redefines) a column from a `column` element of createTable/addColumn.
    fn define_column(&mut self, table: ObjectId, col: &Element, change: &str) {
        let Some(a) = col.attr("name") else { return };
        let Some(name) = ident(&a.value.value) else {
            return;
        };
        let mut c = Column {
            id: 0,
            name: name.to_string(),
            data_type: col.attr_value("type").map(str::to_string),
            nullable: true,
            default: default_of(col),
            primary_key: false,
            auto_increment: flag(col, "autoIncrement").unwrap_or(false),
            remarks: col.attr_value("remarks").map(str::to_string),
        };
        let mut unique = None;
        let mut check = None;
        let mut pk_name = None;
        if let Some(k) = col.child("constraints") {
            if flag(k, "nullable") == Some(false) {
                c.nullable = false;
            }
            if flag(k, "primaryKey") == Some(true) {
                c.primary_key = true;
                c.nullable = false;
                pk_name = Some(k.attr_value("primaryKeyName").map(str::to_string));
            }
            if flag(k, "unique") == Some(true) {
                unique = Some(KeyConstraint {
                    name: k.attr_value("uniqueConstraintName").map(str::to_string),
                    columns: vec![name.to_string()],
                });
            }
            if let Some(cond) = k.attr_value("checkConstraint") {
                check = Some(Check {
                    name: k.attr_value("checkConstraintName").map(str::to_string),
                    condition: cond.to_string(),
                });
            }
        }
        let before = col.attr_value("beforeColumn");
        let after = col.attr_value("afterColumn");
        let position = col
            .attr_value("position")
            .and_then(|p| p.trim().parse::<usize>().ok());
        let st = self.state_mut(table);
        c.id = st.next_column;
        st.next_column += 1;
        let id = c.id;
        if let Some(i) = st.columns.iter().position(|x| same(&x.name, name)) {
            st.columns.remove(i);
        }
        let at = if let Some(b) = before {
            st.columns.iter().position(|x| same(&x.name, b))
        } else if let Some(a) = after {
            st.columns
                .iter()
                .position(|x| same(&x.name, a))
                .map(|i| i + 1)
        } else {
            position.map(|p| p.saturating_sub(1).min(st.columns.len()))
        };
        match at {
            Some(i) => st.columns.insert(i, Arc::new(c)),
            None => st.columns.push(Arc::new(c)),
        }
        if let Some(pk_name) = pk_name {
            let pk = st.primary_key.get_or_insert_with(|| KeyConstraint {
                name: pk_name,
                columns: Vec::new(),
            });
            pk.columns.push(name.to_string());
        }
        st.unique_constraints.extend(unique);
        st.checks.extend(check);
        let t = self.touch(
            a.value.span,
            Create,
            Target::Column(table, id),
            change,
            name,
        );
        self.column_born(table, name, t);
    }

    /// A column's `references`/`referencedTableName` constraint.
    fn column_foreign_key(&mut self, table: ObjectId, col: &Element, change: &str) {
        let Some(k) = col.child("constraints") else {
            return;
        };
        let Some(name) = col.attr_value("name").and_then(ident) else {
            return;
        };
        let (ref_table, ref_span, ref_schema, ref_cols): (String, Span, _, Vec<(String, Span)>) =
            if let Some(r) = k.attr("references") {
                let v = &r.value;
                let open = v.value.find('(');
                let head = &v.value[..open.unwrap_or(v.value.len())];
                let lead = head.len() - head.trim_start().len();
                let full = head.trim();
                let (sch, tbl) = match full.rfind('.') {
                    Some(dot) => (Some(full[..dot].to_string()), &full[dot + 1..]),
                    None => (None, full),
                };
                let tbl_start = lead + full.len() - tbl.len();
                let span = sub_span(v, tbl_start, tbl.len());
                let cols = match open {
                    Some(o) => {
                        let close = v.value[o..].find(')').map_or(v.value.len(), |c| o + c);
                        let inner = Spanned::new(
                            v.value[o + 1..close].to_string(),
                            sub_span(v, o + 1, close - o - 1),
                        );
                        items(&inner)
                    }
                    None => Vec::new(),
                };
                (tbl.to_string(), span, sch, cols)
            } else if let Some(r) = k.attr("referencedTableName") {
                let cols = k
                    .attr("referencedColumnNames")
                    .map(|a| items(&a.value))
                    .unwrap_or_default();
                (
                    r.value.value.clone(),
                    r.value.span,
                    k.attr_value("referencedTableSchemaName")
                        .map(str::to_string),
                    cols,
                )
            } else {
                return;
            };
        let origin_span = k
            .attr("foreignKeyName")
            .map(|a| a.value.span)
            .unwrap_or(ref_span);
        let Some(ref_name) = ident(&ref_table) else {
            return;
        };
        let sch = schema(ref_schema.as_deref());
        let referenced = self.resolve(Table, sch, ref_name, ref_span, Reference, change);
        if let Some(rid) = referenced {
            for (c, span) in &ref_cols {
                self.column(rid, c, *span, Reference, change);
            }
        }
        let fk = ForeignKey {
            name: k.attr_value("foreignKeyName").map(str::to_string),
            columns: vec![name.to_string()],
            referenced_table: ref_name.to_string(),
            referenced_columns: ref_cols.into_iter().map(|(c, _)| c).collect(),
            referenced,
            origin: (self.file, origin_span, self.step),
        };
        self.state_mut(table).foreign_keys.push(fk);
    }

    fn add_foreign_key(&mut self, el: &Element, change: &str) {
        let Some(base) = self.table(el, "baseTableName", "baseTableSchemaName", Alter, change)
        else {
            return;
        };
        let Some(cols_attr) = el.attr("baseColumnNames") else {
            return;
        };
        let cols = items(&cols_attr.value);
        for (c, span) in &cols {
            self.column(base, c, *span, Reference, change);
        }
        let mut ref_cols = Vec::new();
        let referenced = self.table(
            el,
            "referencedTableName",
            "referencedTableSchemaName",
            Reference,
            change,
        );
        if let Some(rid) = referenced {
            if let Some(a) = el.attr("referencedColumnNames") {
                ref_cols = items(&a.value);
                for (c, span) in &ref_cols {
                    self.column(rid, c, *span, Reference, change);
                }
            }
        }
        let fk = ForeignKey {
            name: el.attr_value("constraintName").map(str::to_string),
            columns: cols.into_iter().map(|(c, _)| c).collect(),
            referenced_table: el
                .attr_value("referencedTableName")
                .unwrap_or("")
                .to_string(),
            referenced_columns: ref_cols.into_iter().map(|(c, _)| c).collect(),
            referenced,
            origin: (self.file, cols_attr.value.span, self.step),
        };
        self.state_mut(base).foreign_keys.push(fk);
    }

    /// The table and the readable columns of a `columnNames` list, each touched.
    fn table_columns(
        &mut self,
        el: &Element,
        attr: &str,
        change: &str,
    ) -> Option<(ObjectId, Vec<String>)> {
        let id = self.table(el, "tableName", "schemaName", Alter, change)?;
        let list = el.attr(attr).map(|a| items(&a.value)).unwrap_or_default();
        for (c, span) in &list {
            self.column(id, c, *span, Reference, change);
        }
        Some((id, list.into_iter().map(|(c, _)| c).collect()))
    }

    /// A change about one column (`columnName`): touch it and edit it.
    fn alter_column(
        &mut self,
        el: &Element,
        attr: &str,
        change: &str,
        edit: impl FnOnce(&mut Column, &Element),
    ) {
        let Some(id) = self.table(el, "tableName", "schemaName", Alter, change) else {
            return;
        };
        let Some(a) = el.attr(attr) else { return };
        if self
            .column(id, &a.value.value, a.value.span, Alter, change)
            .is_some()
        {
            if let Some(c) = self.state_mut(id).column_mut(&a.value.value) {
                edit(c, el);
            }
        }
    }

    fn rename_column(&mut self, el: &Element, change: &str) {
        let Some(id) = self.table(el, "tableName", "schemaName", Alter, change) else {
            return;
        };
        let (Some(old), Some(new)) = (el.attr("oldColumnName"), el.attr("newColumnName")) else {
            return;
        };
        let Some(new_name) = ident(&new.value.value) else {
            return;
        };
        let Some((col, cause)) = self.column(id, &old.value.value, old.value.span, Rename, change)
        else {
            return;
        };
        let old_key = key(&old.value.value);
        let st = self.state_mut(id);
        let rename = |list: &mut Vec<String>| {
            for c in list.iter_mut() {
                if same(c, &old_key) {
                    *c = new_name.to_string();
                }
            }
        };
        if let Some(pk) = &mut st.primary_key {
            rename(&mut pk.columns);
        }
        st.indexes.iter_mut().for_each(|i| rename(&mut i.columns));
        st.unique_constraints
            .iter_mut()
            .for_each(|u| rename(&mut u.columns));
        st.foreign_keys
            .iter_mut()
            .for_each(|f| rename(&mut f.columns));
        if let Some(c) = st
            .columns
            .iter_mut()
            .find(|c| c.id == col)
            .map(Arc::make_mut)
        {
            c.name = new_name.to_string();
            if let Some(t) = el.attr_value("columnDataType") {
                c.data_type = Some(t.to_string());
            }
        }
        st.gone.push(super::model::Gone {
            key: old_key,
            cause,
            renamed_to: Some(new_name.to_string()),
        });
        let t = self.touch(
            new.value.span,
            Rename,
            Target::Column(id, col),
            change,
            new_name,
        );
        self.column_born(id, new_name, t);
    }

    fn create_index(&mut self, el: &Element, change: &str) {
        let Some(id) = self.table(el, "tableName", "schemaName", Alter, change) else {
            return;
        };
        let mut columns = Vec::new();
        for col in el.children_named("column") {
            if flag(col, "computed") == Some(true) {
                continue;
            }
            if let Some(a) = col.attr("name") {
                if let Some(n) = ident(&a.value.value) {
                    columns.push(n.to_string());
                    self.column(id, n, a.value.span, Reference, change);
                }
            }
        }
        let name = el.attr("indexName");
        if let Some(a) = name {
            if let Some(n) = ident(&a.value.value) {
                self.index_owner.insert(key(n), id);
                self.touch(a.value.span, Create, Target::Index(id, key(n)), change, n);
            }
        }
        let index = Index {
            name: name.map(|a| a.value.value.clone()),
            columns,
            unique: flag(el, "unique").unwrap_or(false),
        };
        self.state_mut(id).indexes.push(index);
    }

    fn drop_index(&mut self, el: &Element, change: &str) {
        let Some(a) = el.attr("indexName") else {
            return;
        };
        let Some(n) = ident(&a.value.value) else {
            return;
        };
        let k = key(n);
        let table = if el.attr("tableName").is_some() {
            self.table(el, "tableName", "schemaName", Alter, change)
        } else {
            self.index_owner.get(&k).copied()
        };
        let Some(id) = table else { return };
        self.touch(a.value.span, Drop, Target::Index(id, k.clone()), change, n);
        self.state_mut(id)
            .indexes
            .retain(|i| !i.name.as_deref().is_some_and(|x| same(x, n)));
    }

    fn merge_columns(&mut self, el: &Element, change: &str) {
        let Some(id) = self.table(el, "tableName", "schemaName", Alter, change) else {
            return;
        };
        for attr in ["column1Name", "column2Name"] {
            if let Some(a) = el.attr(attr) {
                if let Some((_, t)) = self.column(id, &a.value.value, a.value.span, Drop, change) {
                    self.remove_column(id, &a.value.value, t, None);
                }
            }
        }
        let Some(a) = el.attr("finalColumnName") else {
            return;
        };
        let Some(name) = ident(&a.value.value) else {
            return;
        };
        let st = self.state_mut(id);
        let col = Column {
            id: st.next_column,
            name: name.to_string(),
            data_type: el.attr_value("finalColumnType").map(str::to_string),
            nullable: true,
            default: None,
            primary_key: false,
            auto_increment: false,
            remarks: None,
        };
        st.next_column += 1;
        let cid = col.id;
        st.columns.push(Arc::new(col));
        let t = self.touch(a.value.span, Create, Target::Column(id, cid), change, name);
        self.column_born(id, name, t);
    }

    /// addLookupTable: a new table of the distinct values of a column, and a foreign key to it.
    fn add_lookup_table(&mut self, el: &Element, change: &str) {
        let existing = self.table(
            el,
            "existingTableName",
            "existingTableSchemaName",
            Alter,
            change,
        );
        let existing_col = el.attr("existingColumnName");
        if let (Some(id), Some(a)) = (existing, existing_col) {
            self.column(id, &a.value.value, a.value.span, Reference, change);
        }
        let Some(new) = el.attr("newTableName") else {
            return;
        };
        let Some(new_name) = ident(&new.value.value) else {
            return;
        };
        let sch = schema(el.attr_value("newTableSchemaName"));
        let nid = self.create(Table, sch, new_name, true, false);
        let t = self.touch(new.value.span, Create, Target::Table(nid), change, new_name);
        self.r.objects[nid].created = Some(t);
        self.r.first_created.entry(key(new_name)).or_insert(t);
        let Some(col) = el.attr("newColumnName") else {
            return;
        };
        let Some(col_name) = ident(&col.value.value) else {
            return;
        };
        let st = self.state_mut(nid);
        st.columns.push(Arc::new(Column {
            id: 0,
            name: col_name.to_string(),
            data_type: el.attr_value("newColumnDataType").map(str::to_string),
            nullable: false,
            default: None,
            primary_key: true,
            auto_increment: false,
            remarks: None,
        }));
        st.next_column = 1;
        st.primary_key = Some(KeyConstraint {
            name: None,
            columns: vec![col_name.to_string()],
        });
        let t = self.touch(
            col.value.span,
            Create,
            Target::Column(nid, 0),
            change,
            col_name,
        );
        self.column_born(nid, col_name, t);
        if let (Some(id), Some(a)) = (existing, existing_col) {
            let fk = ForeignKey {
                name: el.attr_value("constraintName").map(str::to_string),
                columns: vec![a.value.value.trim().to_string()],
                referenced_table: new_name.to_string(),
                referenced_columns: vec![col_name.to_string()],
                referenced: Some(nid),
                origin: (self.file, a.value.span, self.step),
            };
            self.state_mut(id).foreign_keys.push(fk);
        }
    }

    /// What raw SQL did to a table: it exists from then on, but its shape is no longer known.
    fn sql_effect(&mut self, e: &SqlEffect, place: &dyn Fn(&SqlName) -> Span, change: &str) {
        let resolve = |b: &Self, n: &SqlName| {
            let name = ident(&n.name)?;
            let sch = n.schema.as_deref().and_then(ident);
            Some((
                b.lookup(Table, sch, name).1,
                name.to_string(),
                sch.map(str::to_string),
            ))
        };
        match e {
            SqlEffect::Create(n) | SqlEffect::Alter(n) => {
                let Some((found, name, sch)) = resolve(self, n) else {
                    return;
                };
                let how = if matches!(e, SqlEffect::Create(_)) {
                    Create
                } else {
                    Alter
                };
                let id = match found {
                    Lookup::Found(id) => id,
                    // A table altered after a drop: the SQL knows better (IF EXISTS, re-creation).
                    Lookup::Gone(_) | Lookup::Never => {
                        self.create(Table, sch.as_deref(), &name, false, true)
                    }
                };
                self.state_mut(id).opaque = true;
                self.touch(place(n), how, Target::Table(id), change, &name);
            }
            SqlEffect::Drop(n) => {
                if let Some((Lookup::Found(id), name, _)) = resolve(self, n) {
                    let t = self.touch(place(n), Drop, Target::Table(id), change, &name);
                    self.unbind(Table, id, t, None);
                }
            }
            SqlEffect::Unknown => self.last_unknown = Some(self.r.touches.len()),
            SqlEffect::Rename(from, to) => {
                let (Some((Lookup::Found(id), name, _)), Some(new_name)) =
                    (resolve(self, from), ident(&to.name))
                else {
                    return;
                };
                let t = self.touch(place(from), Rename, Target::Table(id), change, &name);
                self.unbind(Table, id, t, Some(new_name.to_string()));
                let st = self.state_mut(id);
                st.name = new_name.to_string();
                st.opaque = true;
                let k = self.bound_key(id);
                self.bind(Table, k, Some(id), None, None);
                self.touch(place(to), Rename, Target::Table(id), change, new_name);
            }
        }
    }
}

/// The SQL of a `sql` change element (text, `sql` attribute or nested `sql`).
fn sql_text_of(el: &Element) -> Option<&Spanned<String>> {
    el.text
        .as_ref()
        .or_else(|| el.attr("sql").map(|a| &a.value))
        .or_else(|| el.child("sql").and_then(|c| c.text.as_ref()))
}

/// The change types the replay reads, so touches name them without an allocation each.
const KINDS: &[&str] = &[
    "createTable",
    "dropTable",
    "renameTable",
    "addColumn",
    "dropColumn",
    "renameColumn",
    "modifyDataType",
    "addNotNullConstraint",
    "dropNotNullConstraint",
    "addDefaultValue",
    "dropDefaultValue",
    "addAutoIncrement",
    "setColumnRemarks",
    "setTableRemarks",
    "addPrimaryKey",
    "dropPrimaryKey",
    "addUniqueConstraint",
    "dropUniqueConstraint",
    "addCheckConstraint",
    "dropCheckConstraint",
    "addForeignKeyConstraint",
    "dropForeignKeyConstraint",
    "dropAllForeignKeyConstraints",
    "createIndex",
    "dropIndex",
    "createView",
    "dropView",
    "renameView",
    "createSequence",
    "dropSequence",
    "alterSequence",
    "renameSequence",
    "mergeColumns",
    "addLookupTable",
    "insert",
    "update",
    "delete",
    "loadData",
    "loadUpdateData",
    "sql",
];

pub(super) fn intern(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| **k == kind)
        .copied()
        .unwrap_or("change")
}
