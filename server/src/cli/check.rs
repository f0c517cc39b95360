//! `lqls check PATH...`: analyse files and folders, print diagnostics, exit 1 when any is an error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::report::{sarif_log, Located};
use super::CheckFormat;
use crate::analysis::{self, Analysis};
use crate::model::Severity;
use crate::{syntax, validate};

/// Extensions a changelog can have.
const EXTENSIONS: &[&str] = &["xml", "yaml", "yml", "json", "sql"];
/// Folders never searched: build outputs, dependencies, VCS metadata.
const SKIP_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "build",
    "dist",
    ".git",
    ".hg",
    ".svn",
];

pub fn run(paths: &[PathBuf], format: CheckFormat, opts: &validate::Options) -> i32 {
    let mut files = Vec::new();
    for p in paths {
        match collect(p, &mut files) {
            Ok(()) => {}
            Err(e) => {
                eprintln!("lqls: {}: {e}", p.display());
                return 2;
            }
        }
    }
    let results = analyse_all(&files, opts);
    let mut out = std::io::stdout().lock();
    let mut errors = 0usize;
    let mut total = 0usize;
    let mut io_failed = false;
    let mut json_items = Vec::new();
    for (path, result) in files.iter().zip(results) {
        let (text, analysis) = match result {
            Ok(r) => r,
            Err(e) => {
                eprintln!("lqls: {}: {e}", path.display());
                io_failed = true;
                continue;
            }
        };
        let located = Located::new(path.display().to_string(), &text);
        for d in &analysis.diagnostics {
            total += 1;
            errors += usize::from(d.severity == Severity::Error);
            match format {
                CheckFormat::Text => {
                    let _ = writeln!(out, "{}", located.diagnostic_text(d));
                }
                CheckFormat::Github => {
                    let _ = writeln!(out, "{}", located.diagnostic_github(d));
                }
                CheckFormat::Json => json_items.push(located.diagnostic_json(d)),
                CheckFormat::Sarif => json_items.push(located.sarif_result(d)),
            }
        }
    }
    match format {
        CheckFormat::Json => {
            let _ = writeln!(out, "{}", serde_json::Value::Array(json_items));
        }
        CheckFormat::Sarif => {
            let _ = writeln!(out, "{}", sarif_log(json_items));
        }
        CheckFormat::Text => {
            let _ = writeln!(
                out,
                "{} file{} checked: {total} diagnostic{}, {errors} error{}",
                files.len(),
                plural(files.len()),
                plural(total),
                plural(errors)
            );
        }
        CheckFormat::Github => {}
    }
    if io_failed {
        2
    } else {
        i32::from(errors > 0)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Adds `path` (a file, taken as given) or the changelogs found below it (a folder) to `files`.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let walker = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && (SKIP_DIRS.contains(&&*name) || name.starts_with('.')))
        });
    for entry in walker {
        let entry = entry.map_err(std::io::Error::other)?;
        let p = entry.path();
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if entry.file_type().is_file()
            && ext.as_deref().is_some_and(|e| EXTENSIONS.contains(&e))
            && looks_like_changelog(p)
        {
            files.push(p.to_path_buf());
        }
    }
    Ok(())
}

fn looks_like_changelog(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(8192);
    let read = std::fs::File::open(path).and_then(|f| f.take(8192).read_to_end(&mut head));
    read.is_ok() && syntax::is_changelog(path, &String::from_utf8_lossy(&head))
}

/// Analyses one file. A panic in a parser is a bug, but it must not take the other files' results
/// down with it: it becomes an I/O-style error for that file (exit status 2).
fn analyse_guarded(path: &Path, opts: &validate::Options) -> FileResult {
    std::panic::catch_unwind(|| analysis::analyze_file(path, opts)).unwrap_or_else(|_| {
        Err(std::io::Error::other(
            "internal error: lqls panicked on this file (please report it)",
        ))
    })
}

type FileResult = std::io::Result<(String, Analysis)>;

/// Analyses the files on all cores, keeping the input order.
fn analyse_all(files: &[PathBuf], opts: &validate::Options) -> Vec<FileResult> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<FileResult>> = (0..files.len()).map(|_| None).collect();
    let chunks: Vec<Vec<(usize, FileResult)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break done };
                        done.push((i, analyse_guarded(path, opts)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("panics are caught per file"))
            .collect()
    });
    for (i, r) in chunks.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .map(|s| s.expect("every index analysed"))
        .collect()
}
