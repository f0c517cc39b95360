//! `--preconditions onFail:.. onError:..` and `--precondition-<type> ...` lines, lowered to the XML shape
//! `preConditions` > `sqlCheck` / `tableExists` / `viewExists`.

use std::sync::Arc;

use super::elements::{attr, element, keyed};
use super::lines::Line;
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Element, Spanned};
use crate::suggest;

const TYPES: &[&str] = &["sql-check", "table-exists", "view-exists"];
const ERROR_OPTIONS: &[&str] = &["HALT", "CONTINUE", "MARK_RAN", "WARN"];
const SQL_OUTPUT_OPTIONS: &[&str] = &["IGNORE", "TEST", "FAIL"];

/// The container, created on the first preconditions line of a changeset.
fn container<'a>(pc: &'a mut Option<Element>, line: &Line) -> &'a mut Element {
    let span = line.trimmed_span();
    let el = pc.get_or_insert_with(|| element("preConditions", span, span));
    el.span = el.span.cover(span);
    el
}

/// `--preconditions ...` (options start at `from`).
pub fn options(pc: &mut Option<Element>, line: &Line, from: usize, diags: &mut Vec<Diagnostic>) {
    let el = container(pc, line);
    let found: Vec<_> = [
        ("onFail:", "onFail", ERROR_OPTIONS),
        ("onError:", "onError", ERROR_OPTIONS),
        ("onUpdateSQL:", "onSqlOutput", SQL_OUTPUT_OPTIONS),
        ("onSqlOutput:", "onSqlOutput", SQL_OUTPUT_OPTIONS),
    ]
    .into_iter()
    .filter_map(|(key, name, allowed)| keyed(line, from, key, name, true).map(|a| (a, allowed)))
    .collect();
    if found
        .iter()
        .filter(|(a, _)| a.name.value == "onSqlOutput")
        .count()
        > 1
    {
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            line.trimmed_span(),
            "use either onUpdateSQL or onSqlOutput, not both (Liquibase rejects the pair)",
        ));
    }
    for (a, allowed) in found {
        if !allowed
            .iter()
            .any(|v| v.eq_ignore_ascii_case(&a.value.value))
        {
            diags.push(Diagnostic::error(
                codes::SQL_HEADER,
                a.value.span,
                format!(
                    "unknown {} value `{}`; possible values: {}",
                    a.name.value,
                    a.value.value,
                    allowed.join(", ")
                ),
            ));
        }
        el.attrs.retain(|x| x.name.value != a.name.value);
        el.attrs.push(a);
    }
}

/// `--precondition-<name> <body>`: name at `name.0..name.1`, body from `body` (None when missing).
pub fn precondition(
    pc: &mut Option<Element>,
    line: &Line,
    name: (usize, usize),
    body: Option<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    let kind = &line.text[name.0..name.1];
    let name_span = line.span(name.0, name.1);
    let Some(tag) = tag_for(kind) else {
        let hint = suggest::closest(kind, TYPES.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_else(|| format!("; supported: {}", TYPES.join(", ")));
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            name_span,
            format!("Liquibase does not support the `{kind}` precondition type{hint}"),
        ));
        return;
    };
    let Some(from) = body.filter(|&b| !line.text[b..].trim().is_empty()) else {
        let what = match tag {
            "sqlCheck" => "expectedResult and SQL, e.g. `--precondition-sql-check expectedResult:0 select count(*) from t`",
            "tableExists" => "a table name, e.g. `--precondition-table-exists table:t schema:s`",
            _ => "a view name, e.g. `--precondition-view-exists view:v schema:s`",
        };
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            name_span,
            format!("this precondition needs {what}"),
        ));
        return;
    };
    let mut child = element(tag, name_span, line.trimmed_span());
    let ok = match tag {
        "sqlCheck" => sql_check(&mut child, line, from),
        "tableExists" => named(&mut child, line, from, "table:", "tableName"),
        _ => named(&mut child, line, from, "view:", "viewName"),
    };
    if ok {
        container(pc, line).children.push(Arc::new(child));
    } else {
        let msg = match tag {
            "sqlCheck" => "cannot read this sql-check: write `expectedResult:<value> <sql>` (quote a value with spaces)",
            "tableExists" => "the table name is missing: write `table:<name>` (and optionally `schema:<name>`)",
            _ => "the view name is missing: write `view:<name>` (and optionally `schema:<name>`)",
        };
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            line.span(from, line.text.len()),
            msg,
        ));
    }
}

fn tag_for(kind: &str) -> Option<&'static str> {
    match kind {
        "sql-check" => Some("sqlCheck"),
        "table-exists" => Some("tableExists"),
        "view-exists" => Some("viewExists"),
        _ => None,
    }
}

/// `[expectedResult:]value sql`, `'quoted value' sql` or `"quoted value" sql`.
fn sql_check(el: &mut Element, line: &Line, from: usize) -> bool {
    let lead = line.text[from..].len() - line.text[from..].trim_start().len();
    let start = from + lead;
    let body = line.text[start..].trim_end();
    let mut i = 0;
    if body.len() >= 15 && body[..15].eq_ignore_ascii_case("expectedResult:") {
        i = 15;
    }
    let b = body.as_bytes();
    let (vs, ve, after) = match b.get(i) {
        Some(&q @ (b'\'' | b'"')) => match body[i + 1..].find(q as char) {
            Some(n) if n > 0 => (i + 1, i + 1 + n, i + 2 + n),
            _ => return false,
        },
        _ => {
            let e = super::scan::skip_word(body, i);
            (i, e, e)
        }
    };
    if ve == vs || b.get(after) != Some(&b' ') {
        return false;
    }
    let name_span = line.span(start, start + i.max(1));
    el.attrs.push(attr(
        "expectedResult",
        name_span,
        Spanned::new(body[vs..ve].to_string(), line.span(start + vs, start + ve)),
    ));
    el.text = Some(Spanned::new(
        body[after + 1..].to_string(),
        line.span(start + after + 1, start + body.len()),
    ));
    true
}

fn named(el: &mut Element, line: &Line, from: usize, key: &str, name: &str) -> bool {
    let Some(a) = keyed(line, from, key, name, true) else {
        return false;
    };
    el.attrs.push(a);
    if let Some(s) = keyed(line, from, "schema:", "schemaName", true) {
        el.attrs.push(s);
    }
    true
}
