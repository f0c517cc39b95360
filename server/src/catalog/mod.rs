//! What Liquibase knows: change types, nested elements and their attributes, generated from Liquibase's
//! XSDs (`generated.rs`, see `scripts/gen_catalog.py`), plus hand-written knowledge the XSD lacks
//! (`rollback.rs`: which changes roll back by themselves; `descriptions.rs`: what each name means).
//!
//! The catalog is a graph of element definitions. Start at [`root`] (`databaseChangeLog`) and walk down
//! with [`ElementDef::child`]: the same name reaches different definitions in different places
//! (`column` under `createTable` has constraints and value attributes; under `loadData` it maps CSV
//! headers). Attributes are looked up with [`ElementDef::attr`], which gives kind, required and since.
//!
//! ```
//! use lqls::catalog;
//! let cs = catalog::root().child("changeSet").unwrap();
//! let ct = cs.child("createTable").unwrap();
//! assert!(ct.attr("tableName").unwrap().required);
//! assert!(catalog::is_change_type("createTable"));
//! ```

pub mod descriptions;
mod generated;
mod model;
pub mod rollback;

pub use model::{Any, AttrDef, ChildDef, ElementDef, ValueKind, Version};

/// The newest Liquibase version the catalog describes.
pub const NEWEST: Version = generated::NEWEST;

/// Every element definition the catalog has.
pub fn all() -> &'static [ElementDef] {
    generated::ELEMENTS
}

/// The definition of `databaseChangeLog`.
pub fn root() -> &'static ElementDef {
    &generated::ELEMENTS[generated::ROOT]
}

/// Definition by index (from [`ChildDef::def`]).
pub fn def(index: usize) -> &'static ElementDef {
    &generated::ELEMENTS[index]
}

/// Change type names, sorted (`addColumn` ... `update`).
pub fn change_types() -> &'static [&'static str] {
    generated::CHANGE_TYPES
}

/// Whether `name` is one of Liquibase's change types.
pub fn is_change_type(name: &str) -> bool {
    generated::CHANGE_TYPES.binary_search(&name).is_ok()
}

/// The definition of a change type as it appears inside a changeSet.
pub fn change(name: &str) -> Option<&'static ElementDef> {
    if !is_change_type(name) {
        return None;
    }
    root().child("changeSet")?.child(name)
}

impl ElementDef {
    /// The child element allowed under this name, with its place-specific facts (since).
    pub fn child_entry(&self, name: &str) -> Option<&'static ChildDef> {
        let children: &'static [ChildDef] = self.children;
        children
            .binary_search_by(|c| c.name.cmp(name))
            .ok()
            .map(|i| &children[i])
    }

    /// The definition the child `name` has inside this element.
    pub fn child(&self, name: &str) -> Option<&'static ElementDef> {
        self.child_entry(name).map(|c| def(c.def))
    }

    /// The attribute `name` of this element.
    pub fn attr(&self, name: &str) -> Option<&'static AttrDef> {
        let attrs: &'static [AttrDef] = self.attrs;
        attrs
            .binary_search_by(|a| a.name.cmp(name))
            .ok()
            .map(|i| &attrs[i])
    }

    /// Required attributes, in name order.
    pub fn required_attrs(&self) -> impl Iterator<Item = &'static AttrDef> {
        let attrs: &'static [AttrDef] = self.attrs;
        attrs.iter().filter(|a| a.required)
    }

    /// Whether this definition is a change type (a child of changeSet other than its bookkeeping).
    pub fn is_change(&self) -> bool {
        change(self.name).is_some_and(|c| std::ptr::eq(c, self))
    }
}

#[cfg(test)]
mod tests;
