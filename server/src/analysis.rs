//! One entry point that turns text into a model and every structural diagnostic, shared by the CLI and
//! the language server so both always report the same thing.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::codes;
use crate::model::{ChangeLog, Diagnostic, Format, Span};
use crate::rules::ProjectFacts;
use crate::{rules, syntax, validate};

/// The result of analysing one file's text.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Shared with the project index, which reads the same parse.
    pub changelog: Arc<ChangeLog>,
    /// Syntax errors and structural diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses, validates and runs the rules on `text`.
pub fn analyze(text: &str, format: Format, opts: &validate::Options) -> Analysis {
    analyze_at(text, format, None, opts)
}

/// [`analyze`] for a file at `path` (rules read `sqlFile` contents relative to it).
pub fn analyze_at(
    text: &str,
    format: Format,
    path: Option<&Path>,
    opts: &validate::Options,
) -> Analysis {
    let parsed = syntax::parse(text, format);
    check(
        text,
        Arc::new(parsed.changelog),
        parsed.diagnostics,
        path,
        opts,
        &rules::NoProject,
    )
}

/// The checks after parsing: validation, rules (with what the project knows about this file) and
/// suppressions. `syntax` holds the parser's diagnostics.
pub fn check(
    text: &str,
    changelog: Arc<ChangeLog>,
    syntax: Vec<Diagnostic>,
    path: Option<&Path>,
    opts: &validate::Options,
    project: &dyn ProjectFacts,
) -> Analysis {
    let mut diagnostics = syntax;
    diagnostics.extend(validate::validate(&changelog, opts));
    diagnostics.extend(rules::run(&rules::engine::Input {
        changelog: &changelog,
        text,
        path,
        config: &opts.rules,
        project,
    }));
    let config = &opts.rules;
    rules::suppress::apply(text, &changelog, &mut diagnostics, &|code| {
        rules::registry::by_code(code).is_none_or(|r| config.resolve(r).is_some())
    });
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Analysis {
        changelog,
        diagnostics,
    }
}

/// What a document gets when a parser or check panicked (a bug): one diagnostic, the rest of the
/// server keeps working.
pub fn internal_error(format: Format) -> Analysis {
    Analysis {
        changelog: Arc::new(ChangeLog::empty(format)),
        diagnostics: vec![Diagnostic::error(
            codes::SYNTAX,
            Span::new(0, 0),
            "internal error: lqls could not analyse this document (please report it with the file)",
        )],
    }
}

/// [`analyze`], but a panic in a parser or check (a bug) becomes one diagnostic instead of taking the
/// language server down with it: the user keeps editing and the other documents keep working.
pub fn analyze_guarded(
    text: &str,
    format: Format,
    path: Option<&Path>,
    opts: &validate::Options,
) -> Analysis {
    analyze_guarded_with(text, format, path, opts, &rules::NoProject)
}

/// [`analyze_guarded`] with what the project knows about the file.
pub fn analyze_guarded_with(
    text: &str,
    format: Format,
    path: Option<&Path>,
    opts: &validate::Options,
    project: &dyn ProjectFacts,
) -> Analysis {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let parsed = syntax::parse(text, format);
        let changelog = Arc::new(parsed.changelog);
        check(text, changelog, parsed.diagnostics, path, opts, project)
    }))
    .unwrap_or_else(|_| internal_error(format))
}

/// Decodes file bytes as UTF-8. Invalid sequences become U+FFFD and one diagnostic at the first bad
/// byte: the rest of the file is still analysed.
pub fn decode(bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text can be longer than the bytes; the offset of the first bad byte is the same
            // in both because everything before it was valid.
            let d = Diagnostic::error(
                codes::INVALID_UTF8,
                Span::new(at, (at + 1).min(text.len())),
                format!(
                    "the file is not valid UTF-8 (first bad byte at offset {at}); it was read with \
                     replacement characters: save it as UTF-8"
                ),
            );
            (text, Some(d))
        }
    }
}

/// Reads and analyses a file from disk.
pub fn analyze_file(path: &Path, opts: &validate::Options) -> std::io::Result<(String, Analysis)> {
    analyze_file_with(path, opts, &rules::NoProject)
}

/// [`analyze_file`] with what the project knows about the file.
pub fn analyze_file_with(
    path: &Path,
    opts: &validate::Options,
    project: &dyn ProjectFacts,
) -> std::io::Result<(String, Analysis)> {
    let (text, bad_utf8) = decode(std::fs::read(path)?);
    let format = syntax::detect_format(Some(path), &text);
    let parsed = syntax::parse(&text, format);
    let mut analysis = check(
        &text,
        Arc::new(parsed.changelog),
        parsed.diagnostics,
        Some(path),
        opts,
        project,
    );
    if let Some(d) = bad_utf8 {
        analysis.diagnostics.insert(0, d);
    }
    Ok((text, analysis))
}
