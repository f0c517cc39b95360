//! `lqls inspect ROOT --resolve`: the changesets a root changelog runs, in order, with the path
//! Liquibase records for each; plus the include problems found on the way.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::report::Located;
use super::InspectFormat;
use crate::model::Severity;
use crate::workspace::files::{FileSource, Files};
use crate::workspace::{discover, paths, resolve};

pub fn run(root: &Path, search_paths: &[PathBuf], format: InspectFormat) -> i32 {
    if !root.is_file() {
        eprintln!("lqls: {}: no such file", root.display());
        return 2;
    }
    let root = paths::absolute(root);
    let search_paths: Vec<PathBuf> = if search_paths.is_empty() {
        vec![discover::default_search_path(&root)]
    } else {
        search_paths.iter().map(|p| paths::absolute(p)).collect()
    };
    let files = Files::new();
    let opts = resolve::Options {
        search_paths: search_paths.clone(),
        parameters: Vec::new(),
    };
    let res = resolve::resolve(&files, &root, &opts);
    let path_of = |id| {
        files
            .path(id)
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    match format {
        InspectFormat::Json => {
            let changesets: Vec<Value> = res
                .entries
                .iter()
                .filter_map(|e| {
                    let file = files.get(e.file)?;
                    let cs = file.changelog.changesets.get(e.index)?;
                    let at = Located::new(path_of(e.file), &file.text);
                    Some(json!({
                        "path": e.path,
                        "id": e.id,
                        "author": e.author,
                        "changes": cs.changes.iter().map(|c| c.kind.value.as_str()).collect::<Vec<_>>(),
                        "file": at.path,
                        "range": at.range_json(cs.header),
                        "includeContexts": *e.include_contexts,
                    }))
                })
                .collect();
            let problems: Vec<Value> = res
                .problems
                .iter()
                .filter_map(|p| {
                    let file = files.get(p.file)?;
                    let at = Located::new(path_of(p.file), &file.text);
                    let mut d = at.diagnostic_json(&p.diagnostic);
                    d["file"] = json!(at.path);
                    Some(d)
                })
                .collect();
            let out = json!({
                "root": root.display().to_string(),
                "searchPaths": search_paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "files": res.files.len(),
                "changesets": changesets,
                "diagnostics": problems,
            });
            println!("{out}");
        }
        InspectFormat::Text => {
            println!(
                "{}: {} changesets from {} files",
                root.display(),
                res.entries.len(),
                res.files.len()
            );
            for e in &res.entries {
                println!("  {}::{}::{}", e.path, e.id, e.author);
            }
            for p in &res.problems {
                if let Some(file) = files.get(p.file) {
                    let at = Located::new(path_of(p.file), &file.text);
                    println!("{}", at.diagnostic_text(&p.diagnostic));
                }
            }
        }
    }
    i32::from(
        res.problems
            .iter()
            .any(|p| p.diagnostic.severity == Severity::Error),
    )
}
