//! The command line: `lqls [serve]`, `lqls check`, `lqls inspect`.
//!
//! Exit status, the same for every command: 0 when nothing at error severity was found, 1 when something
//! was, 2 on usage or I/O errors.

mod check;
mod inspect;
mod report;

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
    Check {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        #[command(flatten)]
        target: Target,
    },
    /// Print the changelog model of one file.
    Inspect {
        file: PathBuf,
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
            target,
        } => check::run(&paths, format, &target.options()),
        Command::Inspect {
            file,
            format,
            target,
        } => inspect::run(&file, format, &target.options()),
    }
}
