//! Values outside their kind: enumerations, booleans, integers.
use super::Context;
use crate::catalog::{ElementDef, ValueKind};
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Element};

/// A value using a `${property}`: its final text is only known after substitution.
fn has_property(value: &str) -> bool {
    value.contains("${")
}

/// XSD booleans: `true`, `false`, `1`, `0`.
fn is_boolean(value: &str, strict: bool) -> bool {
    let v = value.trim();
    if strict {
        matches!(v, "true" | "false" | "1" | "0")
    } else {
        v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") || v == "1" || v == "0"
    }
}

fn is_integer(value: &str) -> bool {
    let v = value.trim();
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

pub fn check(ctx: &Context, el: &Element, def: &ElementDef, out: &mut Vec<Diagnostic>) {
    // YAML/JSON values are converted by Liquibase's own readers, which are case-insensitive for
    // booleans and enums and fall back silently; only XML is held to the XSD's exact spelling.
    let strict = ctx.is_xml();
    for attr in &el.attrs {
        if attr.namespace.is_some() {
            continue;
        }
        let Some(a) = def.attr(&attr.name.value) else {
            continue;
        };
        let value = attr.value.value.as_str();
        // Only XML is validated before substitution, and only where the XSD's type allows it.
        if has_property(value) && (a.properties || !strict) {
            continue;
        }
        let problem = match a.kind {
            ValueKind::String => None,
            ValueKind::Boolean if is_boolean(value, strict) => None,
            ValueKind::Boolean => Some("`true` or `false`".to_string()),
            ValueKind::Integer if is_integer(value) => None,
            ValueKind::Integer => Some("a whole number".to_string()),
            ValueKind::Enum(allowed) => {
                let ok = allowed.iter().any(|v| {
                    if strict {
                        *v == value
                    } else {
                        v.eq_ignore_ascii_case(value.trim())
                    }
                });
                (!ok).then(|| {
                    let list: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
                    format!("one of {}", list.join(", "))
                })
            }
        };
        if let Some(expected) = problem {
            out.push(ctx.diag(
                strict,
                codes::INVALID_VALUE,
                attr.value.span,
                format!(
                    "`{value}` is not a valid {} on `{}`: use {expected}{}",
                    attr.name.value,
                    el.name.value,
                    if a.properties || !strict {
                        " (or a `${property}`)"
                    } else {
                        " (Liquibase's XSD checks this value before substituting properties)"
                    }
                ),
            ));
        }
    }
}
