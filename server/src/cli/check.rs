//! `lqls check PATH...`: analyse files and folders with the `lqls.toml` found upward from each, print
//! diagnostics, optionally apply safe fixes, exit 1 when any diagnostic reaches the threshold.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::report::{sarif_log, Located, SarifRules};
use super::CheckFormat;
use crate::analysis::{self, Analysis};
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Severity};
use crate::rules::config_files::ConfigFiles;
use crate::rules::{self, Config, ProjectFacts};
use crate::workspace::{committed, git::Git};
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

/// What `lqls check` was asked to do.
pub struct Args {
    pub paths: Vec<PathBuf>,
    pub format: CheckFormat,
    /// Use this configuration file for every changelog instead of `lqls.toml` found upward.
    pub config: Option<PathBuf>,
    /// Apply safe fixes and write the files.
    pub fix: bool,
    /// Report changesets edited since they were committed (`--no-git` turns it off).
    pub git: bool,
    /// The lowest severity that makes the exit status 1.
    pub threshold: Severity,
    pub liquibase_version: Option<String>,
    /// Add the cross-file diagnostics of the projects the paths form (includes, duplicates across
    /// files, undefined properties).
    pub project: bool,
}

/// Codes that mean the file could not be read as a changelog: `--fix` never writes those.
const UNPARSABLE: &[&str] = &[codes::SYNTAX, codes::INVALID_UTF8, codes::NOT_A_CHANGELOG];

fn unparsable(a: &Analysis) -> bool {
    a.diagnostics.iter().any(|d| UNPARSABLE.contains(&d.code))
}

pub fn run(args: &Args) -> i32 {
    let mut files = Vec::new();
    for p in &args.paths {
        match collect(p, &mut files) {
            Ok(()) => {}
            Err(e) => {
                eprintln!("lqls: {}: {e}", p.display());
                return 2;
            }
        }
    }
    if let Some(c) = &args.config {
        if !c.is_file() {
            eprintln!("lqls: {}: no such configuration file", c.display());
            return 2;
        }
    }
    let configs = match &args.config {
        Some(c) => ConfigFiles::forced(Config::default(), c.clone()),
        None => ConfigFiles::default(),
    };
    let options = |path: &Path| {
        let resolved = configs.resolve(Some(path));
        validate::Options {
            liquibase_version: args.liquibase_version.clone(),
            rules: resolved.config,
        }
    };
    let git = args.git.then(Git::new);
    if let Some(git) = &git {
        git.prefetch(&files);
    }
    let mut project = args
        .project
        .then(|| super::project::build(&args.paths, &configs));
    let facts = |path: &Path| -> Box<dyn ProjectFacts> {
        match &project {
            Some(p) => Box::new(p.facts(path, git.as_ref())),
            None => Box::new(rules::NoProject),
        }
    };
    let mut results = analyse_all(&files, &options, &facts);
    let mut fixed_files = 0usize;
    let mut fixes_applied = 0usize;
    if args.fix {
        for (path, result) in files.iter().zip(results.iter_mut()) {
            let Ok((text, analysis)) = result else {
                continue;
            };
            if unparsable(analysis) {
                eprintln!(
                    "lqls: {}: not fixed: the file has syntax errors; fix them first",
                    path.display()
                );
                continue;
            }
            let (new_text, applied) = rules::engine::apply_safe_fixes(text, &analysis.diagnostics);
            if applied == 0 || new_text == *text {
                continue;
            }
            let format = syntax::detect_format(Some(path), &new_text);
            let opts = options(path);
            let after =
                analysis::analyze_guarded_with(&new_text, format, Some(path), &opts, &*facts(path));
            if unparsable(&after) {
                eprintln!(
                    "lqls: {}: not fixed: the fixes would break the file (please report it)",
                    path.display()
                );
                continue;
            }
            if let Err(e) = write_atomically(path, &new_text) {
                eprintln!("lqls: {}: cannot write the fixes: {e}", path.display());
                *result = Err(e);
                continue;
            }
            fixed_files += 1;
            fixes_applied += applied;
            *result = Ok((new_text, after));
        }
    }
    let mut out = std::io::stdout().lock();
    let mut failing = 0usize;
    let mut errors = 0usize;
    let mut total = 0usize;
    let mut io_failed = false;
    let mut config_broken = false;
    let mut json_items = Vec::new();
    let sarif = SarifRules::new();
    let mut emit = |located: &Located, d: &Diagnostic, out: &mut std::io::StdoutLock| {
        total += 1;
        errors += usize::from(d.severity == Severity::Error);
        failing += usize::from(d.severity <= args.threshold);
        match args.format {
            CheckFormat::Text => {
                let _ = writeln!(out, "{}", located.diagnostic_text(d));
            }
            CheckFormat::Github => {
                let _ = writeln!(out, "{}", located.diagnostic_github(d));
            }
            CheckFormat::Json => json_items.push(located.diagnostic_json(d)),
            CheckFormat::Sarif => json_items.push(located.sarif_result(d, &sarif)),
        }
    };
    // Configuration problems first, once per configuration file, as diagnostics of that file.
    let mut seen_configs = std::collections::BTreeSet::new();
    for path in &files {
        let resolved = configs.resolve(Some(path));
        let Some(cfg) = resolved.path else { continue };
        if !seen_configs.insert(cfg.clone()) {
            continue;
        }
        let located = Located::new(cfg.display().to_string(), &resolved.text);
        config_broken |= resolved.broken;
        for p in resolved.problems.iter() {
            let mut d = p.diagnostic();
            if resolved.broken {
                // A one-shot run has no earlier configuration to keep.
                d.message.push_str("; its settings are not applied");
            }
            emit(&located, &d, &mut out);
        }
    }
    if fixed_files > 0 && project.is_some() {
        // The cross-file diagnostics point into the texts as they are now.
        project = Some(super::project::build(&args.paths, &configs));
    }
    let mut cross_file = project
        .as_ref()
        .map(super::project::Built::diagnostics)
        .unwrap_or_default();
    for (path, result) in files.iter().zip(results) {
        let (text, mut analysis) = match result {
            Ok(r) => r,
            Err(e) => {
                eprintln!("lqls: {}: {e}", path.display());
                io_failed = true;
                continue;
            }
        };
        if let Some(more) = cross_file.remove(&super::project::key(path)) {
            analysis.diagnostics.extend(more);
            analysis
                .diagnostics
                .sort_by_key(|d| (d.span.start, d.span.end));
        }
        let located = Located::new(path.display().to_string(), &text);
        for d in &analysis.diagnostics {
            emit(&located, d, &mut out);
        }
        if let Some(git) = git.as_ref().filter(|_| !unparsable(&analysis)) {
            for d in &committed::check(path, &text, &analysis.changelog, git) {
                emit(&located, d, &mut out);
            }
        }
    }
    match args.format {
        CheckFormat::Json => {
            let _ = writeln!(out, "{}", serde_json::Value::Array(json_items));
        }
        CheckFormat::Sarif => {
            let _ = writeln!(out, "{}", sarif_log(&sarif, json_items));
        }
        CheckFormat::Text => {
            let mut line = format!(
                "{} file{} checked: {total} diagnostic{}, {errors} error{}",
                files.len(),
                plural(files.len()),
                plural(total),
                plural(errors)
            );
            if args.threshold != Severity::Error {
                line.push_str(&format!(
                    " ({failing} at or above {})",
                    args.threshold.as_str()
                ));
            }
            let _ = writeln!(out, "{line}");
            if args.fix {
                let _ = writeln!(
                    out,
                    "{fixes_applied} fix{} applied in {fixed_files} file{}",
                    if fixes_applied == 1 { "" } else { "es" },
                    plural(fixed_files)
                );
            }
        }
        CheckFormat::Github => {}
    }
    if io_failed || config_broken {
        2
    } else {
        i32::from(failing > 0)
    }
}

/// Writes `text` to a temporary file in the same folder, then renames it over `path`: a reader never
/// sees half a file, and a failure leaves the original untouched.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.lqls-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = std::fs::set_permissions(&tmp, meta.permissions());
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
fn analyse_guarded(
    path: &Path,
    opts: &dyn Fn(&Path) -> validate::Options,
    facts: &Facts<'_>,
) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analysis::analyze_file_with(path, &opts(path), &*facts(path))
    }))
    .unwrap_or_else(|_| {
        Err(std::io::Error::other(
            "internal error: lqls panicked on this file (please report it)",
        ))
    })
}

type FileResult = std::io::Result<(String, Analysis)>;

/// What the project knows about a file, for its rules.
type Facts<'a> = dyn Fn(&Path) -> Box<dyn ProjectFacts> + Sync + 'a;

/// Analyses the files on all cores, keeping the input order.
fn analyse_all(
    files: &[PathBuf],
    opts: &(dyn Fn(&Path) -> validate::Options + Sync),
    facts: &Facts<'_>,
) -> Vec<FileResult> {
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
                        done.push((i, analyse_guarded(path, opts, facts)));
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
