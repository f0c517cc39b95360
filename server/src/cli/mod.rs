//! The command line: `lqls [serve]`, `lqls check`, `lqls inspect`, `lqls rules`, `lqls kb`.
//!
//! Exit status, the same for every command: 0 when nothing at error severity was found, 1 when something
//! was, 2 on usage or I/O errors.

mod check;
mod inspect;
pub mod kb;
mod kb_bench;
mod llm_bench;
mod project;
mod report;
mod resolve;
mod review;
mod rules;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::validate;

#[derive(Parser, Debug)]
#[command(
    name = "lqls",
    version,
    about = "Language server and linter for Liquibase changelogs"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the language server on stdin/stdout (the default when no command is given).
    Serve,
    /// Check changelogs (files, or folders searched for changelogs) and report diagnostics.
    ///
    /// Each changelog uses the nearest `lqls.toml` in its folder or above (or `--config FILE`).
    /// Problems in a configuration file are reported as diagnostics of that file (code
    /// `invalid-config`) and count toward the exit status like any other; a configuration file that is
    /// not valid TOML, or cannot be read, makes the exit status 2 (its rules are then not applied).
    ///
    /// Exit status: 0 when no diagnostic reaches `--severity`, 1 when one does, 2 on usage, I/O or
    /// TOML syntax errors.
    Check {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Use this configuration file for every changelog instead of the `lqls.toml` found upward.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Apply the safe fixes and write the files (atomically; files with syntax errors are never
        /// written). The diagnostics printed are those left after fixing.
        #[arg(long)]
        fix: bool,
        /// Do not compare changesets with their committed versions (git HEAD and the merge-base with
        /// the default branch) to report edited ones.
        #[arg(long)]
        no_git: bool,
        /// The lowest severity that makes the exit status 1.
        #[arg(long, value_enum, default_value_t = Threshold::Error)]
        severity: Threshold,
        /// Check each file alone: no include graph, no cross-file diagnostics (missing includes,
        /// duplicates across files, undefined properties).
        #[arg(long)]
        no_project: bool,
        #[command(flatten)]
        target: Target,
    },
    /// List the rules, print one rule's documentation, or write/check the docs/rules folder.
    Rules {
        /// A rule code (LB101), name (change-drop-column-warn) or Liquibase check name.
        key: Option<String>,
        /// Write CODE.md for every rule and README.md (the index) into DIR.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["key", "check_docs"])]
        write_docs: Option<PathBuf>,
        /// Exit 1, listing them, when DIR's rule docs are missing or out of date.
        #[arg(long, value_name = "DIR", conflicts_with = "key")]
        check_docs: Option<PathBuf>,
    },
    /// The knowledge base: build its indexes, search it in cascade order, show what it holds.
    Kb(kb::KbArgs),
    /// AI review of a changelog's changesets: rule findings and the knowledge base, written up by
    /// the language model (`[llm]` in lqls.toml), streamed to the terminal.
    ///
    /// Exit status: 0 when every review was written, 2 on errors (no such file or changeset, the
    /// model cannot be loaded).
    Review(review::ReviewArgs),
    /// Language-model benchmark numbers as JSON (see scripts/bench_llm.py).
    #[command(hide = true, name = "llm-bench")]
    LlmBench(llm_bench::LlmBenchArgs),
    /// Print the changelog model of one file, or with `--resolve` the changesets a root changelog
    /// runs, includes followed, in Liquibase's order.
    Inspect {
        file: PathBuf,
        /// Follow includes: list every changeset the root runs, with the path Liquibase records.
        #[arg(long)]
        resolve: bool,
        /// A folder include paths are resolved against (repeatable, in priority order). Default: the
        /// nearest ancestor folder named `resources`, else the current folder when it holds FILE,
        /// else FILE's folder.
        #[arg(long = "search-path", value_name = "DIR", requires = "resolve")]
        search_path: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
        format: InspectFormat,
        #[command(flatten)]
        target: Target,
    },
}

#[derive(clap::Args, Debug)]
struct Target {
    /// The Liquibase version the project runs (e.g. 4.29): elements and attributes newer than it are
    /// errors. Default: the newest lqls knows.
    #[arg(long, env = "LQLS_LIQUIBASE_VERSION")]
    liquibase_version: Option<String>,
}

impl Target {
    fn options(&self) -> validate::Options {
        let mut opts = validate::Options::default();
        opts.liquibase_version.clone_from(&self.liquibase_version);
        opts
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CheckFormat {
    /// `path:line:col: severity[code] message`, for people.
    Text,
    /// A JSON array of diagnostics.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

/// `--severity`: the lowest severity that fails the check.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Threshold {
    Error,
    Warning,
    Information,
    Hint,
}

impl Threshold {
    fn severity(self) -> crate::model::Severity {
        use crate::model::Severity;
        match self {
            Threshold::Error => Severity::Error,
            Threshold::Warning => Severity::Warning,
            Threshold::Information => Severity::Information,
            Threshold::Hint => Severity::Hint,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InspectFormat {
    Text,
    Json,
}

/// Runs the command line; returns the process exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => crate::lsp::run_stdio(),
        Command::Check {
            paths,
            format,
            config,
            fix,
            no_git,
            severity,
            no_project,
            target,
        } => check::run(&check::Args {
            paths,
            format,
            config,
            fix,
            git: !no_git,
            threshold: severity.severity(),
            liquibase_version: target.liquibase_version,
            project: !no_project,
        }),
        Command::Rules {
            key,
            write_docs,
            check_docs,
        } => match (write_docs, check_docs) {
            (Some(dir), _) => rules::write_docs(&dir),
            (None, Some(dir)) => rules::check_docs(&dir),
            (None, None) => rules::show(key.as_deref()),
        },
        Command::Kb(args) => kb::run(args),
        Command::Review(args) => review::run(args),
        Command::LlmBench(args) => llm_bench::run(args),
        Command::Inspect {
            file,
            resolve: true,
            search_path,
            format,
            ..
        } => resolve::run(&file, &search_path, format),
        Command::Inspect {
            file,
            format,
            target,
            ..
        } => inspect::run(&file, format, &target.options()),
    }
}
