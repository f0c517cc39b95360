//! Required attributes that are missing.
use super::Context;
use crate::catalog::ElementDef;
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Element};

pub fn check(ctx: &Context, el: &Element, def: &ElementDef, out: &mut Vec<Diagnostic>) {
    let missing: Vec<&str> = def
        .required_attrs()
        .filter(|a| el.attr(a.name).is_none())
        // YAML/JSON may give a text-valued attribute as a nested key, which the parser keeps as a child.
        .filter(|a| ctx.is_xml() || el.child(a.name).is_none())
        // An attribute that only a newer Liquibase knows or requires is not required of older files.
        .filter(|a| {
            ctx.target
                .is_none_or(|t| a.since <= t && a.required_since <= t)
        })
        .map(|a| a.name)
        .collect();
    if missing.is_empty() {
        return;
    }
    let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    let (noun, verb) = if missing.len() == 1 {
        ("attribute", "is")
    } else {
        ("attributes", "are")
    };
    out.push(ctx.diag(
        true,
        codes::MISSING_REQUIRED,
        el.name.span,
        format!(
            "`{}` needs the {noun} {}: {} {verb} required",
            el.name.value,
            list.join(", "),
            if missing.len() == 1 { "it" } else { "they" }
        ),
    ));
}
