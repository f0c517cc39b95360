//! The rule engine: Liquibase's policy checks, migration-safety rules and the team's conventions, run
//! over the changelog model after parsing and validation.
//!
//! - `registry.rs` lists every rule; each rule lives in its own file under `policy/`, `safety/` or
//!   `convention/` with its metadata (a [`Rule`]), its check function and its tests.
//! - `context.rs` is what a check sees: the changelog, the file's own ordering facts, the project's facts
//!   (a trait, so the include graph of a later stage plugs in without touching rules) and the rule's
//!   options.
//! - `config.rs` reads `lqls.toml` and client settings into per-rule severity and options.
//! - `suppress.rs` applies `lqls-disable` comments and reports the unused ones.
//! - `engine.rs` runs the enabled rules and turns findings into diagnostics.
//! - `sql.rs` is a small SQL lexer for rules that read `sql` text; `render.rs` writes changes back as
//!   XML, YAML or JSON for quick fixes; `rollback.rs` builds the inverse of a change.

pub mod config;
pub mod config_files;
pub mod context;
pub mod docs;
pub mod edit;
pub mod engine;
pub mod names;
pub mod registry;
pub mod render;
pub mod rollback;

pub mod sql;
pub mod suppress;

mod convention;
mod policy;
mod safety;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

use crate::model::Severity;

pub use config::Config;
pub use context::{Ctx, Finding, Findings, NoProject, Origin, ProjectFacts};
pub use engine::run;

/// Which family a rule belongs to. Codes are prefixed by it: `LB` policy, `MS` safety, `TC` conventions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// Liquibase's own changelog policy checks (Liquibase Pro's `checks run`), same names and defaults.
    Policy,
    /// What squawk, strong_migrations and Atlas warn about: locks, rewrites, breaking changes, data loss.
    Safety,
    /// The team's conventions: naming, ids, authors, comments, secrets, properties.
    Convention,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Policy => "policy",
            Category::Safety => "safety",
            Category::Convention => "convention",
        }
    }
}

/// The default value of a rule option, and its type.
#[derive(Clone, Copy, Debug)]
pub enum OptDefault {
    Str(&'static str),
    Int(i64),
    Bool(bool),
    List(&'static [&'static str]),
    /// A regular expression (checked when the configuration is read); empty means "not set".
    Regex(&'static str),
}

impl OptDefault {
    pub fn type_name(self) -> &'static str {
        match self {
            OptDefault::Str(_) => "a string",
            OptDefault::Int(_) => "an integer",
            OptDefault::Bool(_) => "true or false",
            OptDefault::List(_) => "a list of strings",
            OptDefault::Regex(_) => "a regular expression (string)",
        }
    }
}

/// One configurable option of a rule (`[rules.table-column-limit] max-columns = 30`).
#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    /// kebab-case, as written in `lqls.toml`.
    pub name: &'static str,
    pub default: OptDefault,
    pub description: &'static str,
}

/// A rule's documentation, rendered into `docs/rules/CODE.md` and `lqls rules CODE`.
#[derive(Clone, Copy, Debug)]
pub struct RuleDoc {
    /// What the rule finds, one paragraph.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A changelog snippet (XML) the rule reports.
    pub bad: &'static str,
    /// The same snippet written so that the rule stays silent.
    pub good: &'static str,
}

/// A rule's metadata and its check. Each rule file defines one `pub static RULE: Rule`.
pub struct Rule {
    /// Stable code (`LB101`, `MS203`, `TC301`): never reused or renamed.
    pub code: &'static str,
    /// Stable kebab-case name (`change-drop-column-warn`); accepted wherever a code is.
    pub name: &'static str,
    /// Liquibase's name for its policy check (`ChangeDropColumnWarn`), accepted in configuration too.
    pub liquibase: Option<&'static str>,
    pub category: Category,
    pub severity: Severity,
    /// On unless configured off (for policy checks: as Liquibase ships them).
    pub enabled: bool,
    /// One line for tables and hovers.
    pub summary: &'static str,
    pub doc: RuleDoc,
    pub options: &'static [OptionSpec],
    /// The knowledge-base guideline a convention rule enforces (`GL-NAMING-001`).
    pub guideline: Option<&'static str>,
    /// Reports violations into `out`.
    pub check: fn(&Ctx, &mut Findings),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}

impl Rule {
    /// Whether `key` (a code, kebab-case name or Liquibase check name, any case) names this rule.
    pub fn answers_to(&self, key: &str) -> bool {
        key.eq_ignore_ascii_case(self.code)
            || key.eq_ignore_ascii_case(self.name)
            || self.liquibase.is_some_and(|l| key.eq_ignore_ascii_case(l))
    }

    pub fn option(&self, name: &str) -> Option<&'static OptionSpec> {
        self.options.iter().find(|o| o.name == name)
    }

    /// Where the rule's documentation is published (LSP `codeDescription`).
    pub fn doc_url(&self) -> String {
        format!("{DOCS_BASE}/{}.md", self.code)
    }
}

/// The repository folder holding `docs/rules/*.md`.
pub const DOCS_BASE: &str = "https://github.com/lqls-dev/lqls/blob/main/docs/rules";
