//! Structural diagnostics: the changelog tree checked against the catalog built from Liquibase's XSD.
//!
//! One check per module: unknown elements (`elements.rs`, which also drives the walk), unknown and
//! too-new attributes (`attributes.rs`), enumeration/boolean/integer values (`values.rs`), missing
//! required attributes (`required.rs`), duplicate changesets (`duplicates.rs`), with did-you-mean
//! suggestions from `crate::suggest`. Formatted SQL only gets the duplicate check: its parser validates
//! its own header syntax.
use crate::catalog::Version;
use crate::model::{ChangeLog, Diagnostic, Format, Severity};

mod attributes;
mod duplicates;
mod elements;
mod required;
mod values;

#[cfg(test)]
mod tests;

/// What a file is analysed against: the validator's target version and the rules' configuration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The Liquibase version the project runs (`4.29`), when known. `None`: the `liquibase-version`
    /// of the rule configuration, else the newest the catalog knows.
    pub liquibase_version: Option<String>,
    /// Rule configuration (`lqls.toml` over client settings over defaults).
    pub rules: std::sync::Arc<crate::rules::Config>,
}

/// Facts every check needs while walking one file.
pub(crate) struct Context {
    pub format: Format,
    /// Liquibase version the file is checked against: the lower of the XSD it declares and the
    /// configured one. `None`: no limit.
    pub target: Option<Version>,
    /// Where the limit comes from, for messages ("this file targets 4.20" vs "Liquibase 4.29").
    pub target_from_file: bool,
}

impl Context {
    /// XML is validated against the XSD by Liquibase itself, so structural problems stop it. YAML and
    /// JSON are read through change-class reflection, which fails on unknown change types and bad
    /// values but skips unknown keys (see `severity_for`).
    pub fn is_xml(&self) -> bool {
        self.format == Format::Xml
    }

    /// Error where Liquibase refuses the file, warning where it carries on.
    pub fn severity(&self, refused: bool) -> Severity {
        if refused {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    pub fn diag(
        &self,
        refused: bool,
        code: &'static str,
        span: crate::model::Span,
        msg: String,
    ) -> Diagnostic {
        let mut d = Diagnostic::error(code, span, msg);
        d.severity = self.severity(refused);
        d
    }
}

pub fn validate(changelog: &ChangeLog, opts: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    duplicates::check(changelog, &mut out);
    if changelog.format == Format::Sql {
        return out;
    }
    let file_version = changelog
        .xsd_version
        .as_ref()
        .and_then(|v| Version::parse(&v.value));
    let configured = opts
        .liquibase_version
        .as_deref()
        .or(opts.rules.settings.liquibase_version.as_deref())
        .and_then(Version::parse);
    let (target, target_from_file) = match (file_version, configured) {
        (Some(f), Some(c)) if f < c => (Some(f), true),
        (Some(f), None) => (Some(f), true),
        (_, c) => (c, false),
    };
    if let (Some(f), Some(c), Some(declared)) = (file_version, configured, &changelog.xsd_version) {
        if f > c {
            // Liquibase resolves the XSD from its own jar, which has no newer versions, and secure
            // parsing forbids fetching it: the file is refused before anything else is read.
            out.push(Diagnostic::error(
                crate::diagnostics::codes::NEWER_THAN_TARGET,
                declared.span,
                format!(
                    "this file declares dbchangelog-{f}.xsd, but Liquibase {c} only ships XSDs up to \
                     {c}: declare dbchangelog-{c}.xsd (or `latest`) or upgrade Liquibase"
                ),
            ));
        }
    }
    let ctx = Context {
        format: changelog.format,
        target,
        target_from_file,
    };
    if let Some(root) = &changelog.root {
        elements::check_root(&ctx, root, &mut out);
    }
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}
