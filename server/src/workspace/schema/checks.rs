//! The replay's findings: references to tables and columns that cannot exist where they are made,
//! and foreign keys no index serves. A conflict involving a changeset that may not run (preconditions,
//! dbms or context alternatives) is never reported: lqls cannot know which side runs.

use super::model::{Gone, ObjectKind, TouchKind};
use super::replay::Builder;
use super::{Binding, Finding};
use crate::model::{Severity, Span};

impl Builder<'_> {
    /// A reference to a table that was dropped or renamed earlier.
    pub(super) fn report_gone_table(&mut self, name: &str, span: Span, binding: &Binding) {
        let Some(cause) = binding.cause else { return };
        let c = &self.r.touches[cause];
        let (cause_step, cause_file, cause_span) = (c.step, c.file, c.span);
        if self.conditional || self.step_conditional(cause_step) {
            return;
        }
        let by = self.describe_step(cause_step);
        let (message, note) = match &binding.renamed_to {
            Some(to) => (
                format!("Table `{name}` does not exist here: it was renamed to `{to}` by {by}."),
                format!("renamed to `{to}` here"),
            ),
            None => (
                format!("Table `{name}` does not exist here: it was dropped by {by}."),
                "dropped here".to_string(),
            ),
        };
        self.r.findings.push(Finding {
            file: self.file,
            span,
            severity: Severity::Error,
            code: "unknown-table",
            message,
            related: vec![(cause_file, cause_span, note)],
        });
    }

    /// A reference to a column that was dropped or renamed earlier.
    pub(super) fn report_gone_column(
        &mut self,
        name: &str,
        table: &str,
        span: Span,
        gone: &Gone,
        table_conditional: bool,
    ) {
        let c = &self.r.touches[gone.cause];
        let (cause_step, cause_file, cause_span) = (c.step, c.file, c.span);
        if self.conditional || table_conditional || self.step_conditional(cause_step) {
            return;
        }
        let by = self.describe_step(cause_step);
        let (message, note) = match &gone.renamed_to {
            Some(to) => (
                format!(
                    "Column `{name}` does not exist in table `{table}` here: it was renamed to `{to}` by {by}."
                ),
                format!("renamed to `{to}` here"),
            ),
            None => (
                format!(
                    "Column `{name}` does not exist in table `{table}` here: it was dropped by {by}."
                ),
                "dropped here".to_string(),
            ),
        };
        self.r.findings.push(Finding {
            file: self.file,
            span,
            severity: Severity::Error,
            code: "unknown-column",
            message,
            related: vec![(cause_file, cause_span, note)],
        });
    }
}

/// The checks that need the whole replay: tables and columns created later, foreign keys without an
/// index at the end.
pub(super) fn run(b: &mut Builder<'_>) {
    tables_created_later(b);
    columns_missing(b);
    foreign_keys_without_index(b);
}

fn tables_created_later(b: &mut Builder<'_>) {
    let missing = std::mem::take(&mut b.missing_tables);
    for m in missing {
        let t = &b.r.touches[m.touch];
        let (step, file, span) = (t.step, t.file, t.span);
        let Some(bindings) = b.r.names.get(&(ObjectKind::Table, m.key.clone())) else {
            continue;
        };
        // The first creation by a change after the reference.
        let later = bindings
            .iter()
            .filter(|x| x.at > m.touch)
            .filter_map(|x| x.object)
            .find_map(|o| b.r.objects[o].created);
        let Some(created) = later else { continue };
        let c = &b.r.touches[created];
        let (c_step, c_file, c_span) = (c.step, c.file, c.span);
        if b.step_conditional(step) || b.step_conditional(c_step) {
            continue;
        }
        let by = b.describe_step(c_step);
        b.r.findings.push(Finding {
            file,
            span,
            severity: Severity::Error,
            code: "unknown-table",
            message: format!(
                "Table `{}` does not exist yet: it is created later, by {by}.",
                m.name
            ),
            related: vec![(c_file, c_span, "created here".to_string())],
        });
    }
}

fn columns_missing(b: &mut Builder<'_>) {
    let missing = std::mem::take(&mut b.missing_columns);
    for m in missing {
        // A later change of the same changeset may have made it an alternative.
        if b.step_conditional(m.step) {
            continue;
        }
        let later = b
            .column_births
            .get(&(m.object, m.key.clone()))
            .and_then(|v| v.iter().copied().find(|&t| t >= m.at));
        let (message, related) = match later {
            Some(t) => {
                let c = &b.r.touches[t];
                let (c_step, c_file, c_span, kind) = (c.step, c.file, c.span, c.kind);
                if b.step_conditional(c_step) {
                    continue;
                }
                let verb = if kind == TouchKind::Rename {
                    "gets this name later"
                } else {
                    "is added later"
                };
                (
                    format!(
                        "Column `{}` does not exist in table `{}` yet: it {verb}, by {}.",
                        m.name,
                        m.table,
                        b.describe_step(c_step)
                    ),
                    vec![(c_file, c_span, "added here".to_string())],
                )
            }
            None => (
                format!(
                    "Column `{}` is not defined in table `{}`.{}",
                    m.name,
                    m.table,
                    m.suggestion
                        .as_deref()
                        .map(|s| format!(" Did you mean `{s}`?"))
                        .unwrap_or_default()
                ),
                Vec::new(),
            ),
        };
        b.r.findings.push(Finding {
            file: m.file,
            span: m.span,
            severity: Severity::Error,
            code: "unknown-column",
            message,
            related,
        });
    }
}

/// Foreign keys as they stand at the end of the replay, on tables lqls fully knows: an index added in
/// a later changeset counts.
fn foreign_keys_without_index(b: &mut Builder<'_>) {
    if b.fk_indexed_by_database {
        return;
    }
    let mut found = Vec::new();
    for o in &b.r.objects {
        if o.kind != ObjectKind::Table || !o.alive {
            continue;
        }
        let Some((_, st)) = o.versions.last() else {
            continue;
        };
        if !st.known || st.opaque || st.conditional {
            continue;
        }
        for fk in &st.foreign_keys {
            let gone = fk.referenced.is_some_and(|r| !b.r.objects[r].alive);
            if gone || fk.columns.is_empty() || st.has_leading_key(&fk.columns) {
                continue;
            }
            let (file, span, step) = fk.origin;
            if b.step_conditional(step) {
                continue;
            }
            let name = fk
                .name
                .as_deref()
                .map(|n| format!("Foreign key `{n}`"))
                .unwrap_or_else(|| "This foreign key".to_string());
            found.push(Finding {
                file,
                span,
                severity: Severity::Warning,
                code: "fk-without-index",
                message: format!(
                    "{name} on `{}({})` has no index starting with its columns: deletes and updates in `{}` and joins will scan `{}`.",
                    st.name,
                    fk.columns.join(", "),
                    fk.referenced_table,
                    st.name
                ),
                related: Vec::new(),
            });
        }
    }
    b.r.findings.extend(found);
}
