//! Structural diagnostics over the model. Placeholder until the validator lands.
use crate::model::{ChangeLog, Diagnostic};

/// What the validator checks against.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The Liquibase version the project runs (`4.29`), when known. `None`: the newest the catalog knows.
    pub liquibase_version: Option<String>,
}

pub fn validate(_changelog: &ChangeLog, _opts: &Options) -> Vec<Diagnostic> {
    Vec::new()
}
