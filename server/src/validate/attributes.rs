//! Unknown attributes, and attributes that need a newer Liquibase than targeted.
use super::{elements::target_phrase, Context};
use crate::catalog::{Any, ElementDef};
use crate::diagnostics::codes;
use crate::model::{Attr, Diagnostic, Element, Format};
use crate::suggest;

/// YAML/JSON spell an element's text content as a key. Liquibase names it after the change property.
fn text_keys(def: &ElementDef) -> &'static [&'static str] {
    match def.name {
        "sql" | "sqlCheck" => &["sql"],
        "createView" => &["selectQuery"],
        "createProcedure" => &["procedureText", "procedureBody"],
        "output" | "stop" => &["message"],
        "column" | "param" => &["value"],
        "validCheckSum" => &["value"],
        "rollback" => &["sql"],
        _ => &[],
    }
}

/// Whether YAML/JSON `name` stands for a text-content child (`where: ...` in update) or the element's
/// own text.
fn is_text_key(def: &ElementDef, name: &str) -> bool {
    text_keys(def).contains(&name) || def.child(name).is_some_and(|c| c.text)
}

pub fn check(ctx: &Context, el: &Element, def: &ElementDef, out: &mut Vec<Diagnostic>) {
    for attr in &el.attrs {
        if attr.namespace.is_some() {
            continue;
        }
        let name = attr.name.value.as_str();
        match def.attr(name) {
            Some(a) => {
                if ctx.target.is_some_and(|t| a.since > t) {
                    out.push(too_new(ctx, attr, el, a.since));
                }
            }
            None if def.any_attrs == Any::Anything => {}
            None if !ctx.is_xml() && is_text_key(def, name) => {}
            None => out.push(unknown(ctx, attr, el, def)),
        }
    }
}

fn too_new(ctx: &Context, attr: &Attr, el: &Element, since: crate::catalog::Version) -> Diagnostic {
    ctx.diag(
        ctx.is_xml(),
        codes::NEWER_THAN_TARGET,
        attr.name.span,
        format!(
            "`{}` on {} needs Liquibase {since} or later; {}: upgrade Liquibase or remove it",
            attr.name.value,
            el.name.value,
            target_phrase(ctx)
        ),
    )
}

fn unknown(ctx: &Context, attr: &Attr, el: &Element, def: &ElementDef) -> Diagnostic {
    let name = attr.name.value.as_str();
    let hint = suggest::hint(name, def.attrs.iter().map(|a| a.name));
    let what = if ctx.format == Format::Xml {
        "attribute"
    } else {
        "key"
    };
    // XML: the XSD refuses it. YAML/JSON: Liquibase refuses unexpected keys inside nested objects
    // (columns, constraints, params: "Unexpected node") but ignores unknown keys on changes and
    // changesets, which are read by property name.
    let mut refused = ctx.is_xml() || !(def.is_change() || def.name == "changeSet");
    if !ctx.is_xml() {
        // Liquibase looks YAML/JSON keys up ignoring case (`primarykey` works); say how it is spelt.
        if let Some(a) = def.attrs.iter().find(|a| a.name.eq_ignore_ascii_case(name)) {
            return ctx.diag(
                false,
                codes::UNKNOWN_ATTRIBUTE,
                attr.name.span,
                format!(
                    "`{name}` is accepted by Liquibase but spelt `{}` in its documentation and XSD",
                    a.name
                ),
            );
        }
        // `- column:` followed by keys at the same indentation: the item's keys land beside an
        // empty `column` key. Liquibase skips it; almost certainly an indentation slip.
        if name == el.name.value {
            refused = false;
        }
    }
    ctx.diag(
        refused,
        codes::UNKNOWN_ATTRIBUTE,
        attr.name.span,
        format!(
            "`{name}` is not a known {what} of `{}`.{hint}",
            el.name.value
        ),
    )
}
