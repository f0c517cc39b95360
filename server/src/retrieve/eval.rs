//! The retrieval evaluation: questions and changesets with the knowledge-base entries a good answer
//! cites, scored by recall@5 (a relevant entry among the first five) and MRR (one over the rank of the
//! first relevant entry). A changeset case runs the default rules first, exactly as hover does, so the
//! findings' queries and guideline links take part.
//!
//! Cases are JSON lines: `{"query": "..."}` or `{"changeset": "<changeSet ...>", "format": "xml"}`,
//! with `"expect": ["GL-LIVE-001", "examples/add-not-null-column.xml", "liquibase-docs/concepts/rollback.md"]`.
//! An expected entry matches a hit by guideline id, by file, or by `file#section`.

use serde::Deserialize;

use super::query::findings_in;
use super::{Query, Retriever};
use crate::model::Format;

#[derive(Clone, Debug, Deserialize)]
pub struct Case {
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub changeset: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    pub expect: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub cases: usize,
    pub recall_at_5: f64,
    pub mrr: f64,
    /// Cases with no relevant hit in the first five: (case, what came back).
    pub misses: Vec<(String, Vec<String>)>,
}

pub fn load(text: &str) -> Result<Vec<Case>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// The query a case asks: its text, or its changeset's queries after the default rules ran on it.
pub fn query_of(case: &Case) -> Query {
    if let Some(q) = &case.query {
        return Query::text(q.clone());
    }
    let Some(cs) = &case.changeset else {
        return Query::default();
    };
    let (text, format) = wrap(cs, case.format.as_deref().unwrap_or("xml"));
    let analysis = crate::analysis::analyze(&text, format, &crate::validate::Options::default());
    let Some(changeset) = analysis.changelog.changesets.first() else {
        return Query::default();
    };
    let findings = findings_in(&analysis.diagnostics, changeset.span);
    Query::for_changeset(changeset, &findings)
}

fn wrap(cs: &str, format: &str) -> (String, Format) {
    match format {
        "yaml" | "yml" => {
            let body: String = cs.lines().map(|l| format!("  {l}\n")).collect();
            (format!("databaseChangeLog:\n{body}"), Format::Yaml)
        }
        _ => (
            format!(
                "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n{cs}\n</databaseChangeLog>\n"
            ),
            Format::Xml,
        ),
    }
}

/// Whether a hit (by its chunk) is one of the expected entries.
pub fn matches(chunk: &crate::kb::Chunk, expected: &str) -> bool {
    chunk.guideline_id.as_deref() == Some(expected)
        || chunk.rel == expected
        || chunk.cite_id() == expected
}

pub fn run(retriever: &Retriever, cases: &[Case]) -> Result<Report, String> {
    let mut report = Report {
        cases: cases.len(),
        ..Default::default()
    };
    let (mut found, mut rr) = (0usize, 0f64);
    for case in cases {
        let mut q = query_of(case);
        q.k = Some(5);
        let answer = retriever.search(&q)?;
        let rank = answer.hits.iter().position(|h| {
            let c = retriever.chunk(h);
            case.expect.iter().any(|e| matches(c, e))
        });
        match rank {
            Some(r) => {
                found += 1;
                rr += 1.0 / (r as f64 + 1.0);
            }
            None => report.misses.push((
                case.query
                    .clone()
                    .unwrap_or_else(|| case.changeset.clone().unwrap_or_default()),
                answer
                    .hits
                    .iter()
                    .map(|h| retriever.chunk(h).cite_id())
                    .collect(),
            )),
        }
    }
    if !cases.is_empty() {
        report.recall_at_5 = found as f64 / cases.len() as f64;
        report.mrr = rr / cases.len() as f64;
    }
    Ok(report)
}
