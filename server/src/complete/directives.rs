//! Formatted-SQL proposals: directives at the start of a line and `--changeset` header attributes.

use super::cursor::line_start;
use super::items::{item, layout, new_changeset, Cx};
use super::{Item, ItemKind};
use crate::catalog::descriptions;
use crate::model::Span;

/// Formatted-SQL directives, with what they do.
const SQL_DIRECTIVES: &[(&str, &str, &str)] = &[
    ("--comment", "--comment: $0", "A comment stored with the changeset."),
    ("--rollback", "--rollback $0", "SQL that undoes the changeset."),
    (
        "--preconditions",
        "--preconditions onFail:${1|HALT,CONTINUE,MARK_RAN,WARN|} onError:${2|HALT,CONTINUE,MARK_RAN,WARN|}",
        "Preconditions the changeset checks before it runs.",
    ),
    (
        "--precondition-sql-check",
        "--precondition-sql-check expectedResult:$1 $0",
        "A precondition: the SQL must return the expected result.",
    ),
    ("--validCheckSum", "--validCheckSum: $0", "A checksum the changeset may also have."),
    ("--include", "--include file:$0", "Includes another changelog file."),
    (
        "--property",
        "--property name:$1 value:$0",
        "Defines a changelog property.",
    ),
];

pub fn header_attrs(replace: Span, present: &[String]) -> Vec<Item> {
    crate::syntax::sql::HEADER_ATTRIBUTES
        .iter()
        .filter(|(n, _)| !present.iter().any(|p| p.eq_ignore_ascii_case(n)))
        .map(|&(name, boolean)| {
            let mut it = item(name, ItemKind::Attribute, replace);
            it.documentation = descriptions::attribute("changeSet", name).map(str::to_string);
            if boolean {
                it.detail = Some("true | false".into());
                it.insert_text = format!("{name}:${{1|true,false|}}");
                it.snippet = true;
            } else {
                it.detail = Some("text".into());
                it.insert_text = format!("{name}:");
            }
            it
        })
        .collect()
}

pub fn header_values(attr: &str, replace: Span) -> Vec<Item> {
    let boolean = crate::syntax::sql::HEADER_ATTRIBUTES
        .iter()
        .any(|(n, b)| *b && n.eq_ignore_ascii_case(attr));
    if !boolean {
        return Vec::new();
    }
    ["true", "false"]
        .iter()
        .map(|v| item(v, ItemKind::Value, replace))
        .collect()
}

pub fn directives(cx: &Cx, replace: Span) -> Vec<Item> {
    let lay = layout(cx, replace, false);
    let mut out = vec![new_changeset(cx, replace, &lay)];
    if line_start(cx.text, replace.start) == 0 {
        let mut it = item("--liquibase formatted sql", ItemKind::Snippet, replace);
        it.documentation = Some("The first line of every formatted SQL changelog.".into());
        it.sort_text = "0--liquibase".into();
        out.push(it);
    }
    for (label, insert, doc) in SQL_DIRECTIVES {
        let mut it = item(label, ItemKind::Snippet, replace);
        it.insert_text = insert.to_string();
        it.snippet = true;
        it.documentation = Some(doc.to_string());
        it.sort_text = format!("1{label}");
        out.push(it);
    }
    out
}
