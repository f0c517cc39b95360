//! `lqls inspect FILE`: the changelog model of one file, as JSON for tools or as a summary for people.
//! The JSON shape is a contract (oracle checks and other tools read it): add fields, never rename.

use std::path::Path;

use serde_json::{json, Value};

use super::report::Located;
use super::InspectFormat;
use crate::analysis::{self, Analysis};
use crate::model::{ChangeSet, IncludeKind, Severity};
use crate::validate;

pub fn run(file: &Path, format: InspectFormat, opts: &validate::Options) -> i32 {
    let (text, analysis) = match analysis::analyze_file(file, opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lqls: {}: {e}", file.display());
            return 2;
        }
    };
    let located = Located::new(file.display().to_string(), &text);
    let model = to_json(&located, &analysis);
    match format {
        InspectFormat::Json => println!("{model}"),
        InspectFormat::Text => print_text(&located, &analysis),
    }
    i32::from(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error),
    )
}

/// The model as the documented JSON shape.
pub fn to_json(at: &Located, analysis: &Analysis) -> Value {
    let log = &analysis.changelog;
    let changesets: Vec<Value> = log
        .changesets
        .iter()
        .map(|cs| changeset_json(at, cs))
        .collect();
    let includes: Vec<Value> = log
        .includes
        .iter()
        .map(|inc| {
            json!({
                "kind": match inc.kind { IncludeKind::Include => "include", IncludeKind::IncludeAll => "includeAll" },
                "path": inc.path.as_ref().map(|p| p.value.as_str()),
                "relativeToChangelogFile": inc.relative_to_changelog_file,
                "range": at.range_json(inc.element.span),
            })
        })
        .collect();
    let properties: Vec<Value> = log
        .properties
        .iter()
        .map(|p| {
            json!({
                "name": p.name.as_ref().map(|s| s.value.as_str()),
                "value": p.value.as_ref().map(|s| s.value.as_str()),
                "file": p.file.as_ref().map(|s| s.value.as_str()),
                "range": at.range_json(p.element.span),
            })
        })
        .collect();
    json!({
        "file": at.path,
        "format": log.format.as_str(),
        "logicalFilePath": log.logical_file_path.as_ref().map(|s| s.value.as_str()),
        "xsdVersion": log.xsd_version.as_ref().map(|s| s.value.as_str()),
        "changesets": changesets,
        "includes": includes,
        "properties": properties,
        "diagnostics": analysis.diagnostics.iter().map(|d| at.diagnostic_json(d)).collect::<Vec<_>>(),
    })
}

fn changeset_json(at: &Located, cs: &ChangeSet) -> Value {
    let attrs: serde_json::Map<String, Value> = cs
        .attrs
        .iter()
        .filter(|a| a.namespace.is_none())
        .map(|a| (a.name.value.clone(), Value::String(a.value.value.clone())))
        .collect();
    json!({
        "id": cs.id_str(),
        "author": cs.author_str(),
        "logicalFilePath": cs.logical_file_path(),
        "changes": cs.changes.iter().map(|c| c.kind.value.as_str()).collect::<Vec<_>>(),
        "rollback": cs.rollback_kinds(),
        "comment": cs.comment.as_ref().map(|c| c.value.trim()),
        "dbms": cs.dbms(),
        "contexts": cs.contexts(),
        "labels": cs.labels(),
        "runAlways": cs.run_always(),
        "runOnChange": cs.run_on_change(),
        "attributes": attrs,
        "range": at.range_json(cs.span),
        "headerRange": at.range_json(cs.header),
    })
}

fn print_text(at: &Located, analysis: &Analysis) {
    let log = &analysis.changelog;
    println!(
        "{} ({}): {} changesets, {} includes",
        at.path,
        log.format.as_str(),
        log.changesets.len(),
        log.includes.len()
    );
    for cs in &log.changesets {
        let line = at.range(cs.header).start.line + 1;
        let kinds: Vec<&str> = cs.changes.iter().map(|c| c.kind.value.as_str()).collect();
        println!(
            "  {line:>5}  {}::{}  [{}]",
            cs.id_str(),
            cs.author_str(),
            kinds.join(", ")
        );
    }
    for inc in &log.includes {
        let line = at.range(inc.element.span).start.line + 1;
        println!(
            "  {line:>5}  include {}",
            inc.path.as_ref().map_or("?", |p| p.value.as_str())
        );
    }
    for d in &analysis.diagnostics {
        println!("{}", at.diagnostic_text(d));
    }
}
