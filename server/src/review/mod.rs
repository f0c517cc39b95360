//! Reviews: rule findings + cascade retrieval + the language model, for one changeset at a time.
//!
//! The rules decide what is wrong; the retriever finds what the team (then the examples, then the
//! Liquibase documentation) says about it; the model writes the review from both. Citations in its
//! text are checked against the knowledge base and unknown ones removed (`citations`); finished
//! reviews are cached on disk (`cache`).

pub mod cache;
pub mod citations;
pub mod prompt;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::kb::{KnowledgeBase, Tier};
use crate::llm::{Backend, Cancel, Finish, GenParams, Generation, LlmError};
use crate::model::{ChangeLog, ChangeSet, Diagnostic};
use crate::retrieve::{query::describe_change, query::findings_in, Answer, Query, Retriever};

/// A rule finding as the prompt states it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    pub code: String,
    pub severity: String,
    pub message: String,
    /// The guideline the rule enforces.
    pub guideline: Option<String>,
}

/// Everything about one changeset the review needs, taken from the open document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReviewInput {
    /// The file as shown to the model and in results (relative to the workspace where possible).
    pub file: String,
    pub id: String,
    pub author: String,
    /// 1-based first and last line of the changeset.
    pub lines: (u32, u32),
    pub format: &'static str,
    /// The changeset's own source text (not the whole file).
    pub source: String,
    /// One line per change, from the parsed model.
    pub summary: Vec<String>,
    pub findings: Vec<Finding>,
    /// Explain this one finding rather than review the whole changeset.
    pub focus: Option<Finding>,
}

/// A knowledge-base passage given to the model.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRef {
    pub tier: Tier,
    /// The citation id: a guideline id, `examples/x.xml#id`, `liquibase-docs/…#section`.
    pub cite: String,
    pub title: String,
    pub text: String,
    /// The file and 1-based line of the passage.
    pub location: Option<(std::path::PathBuf, u32)>,
}

/// What a generation cost, as stored with a review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub prompt_tokens: usize,
    pub reused_tokens: usize,
    pub generated_tokens: usize,
    pub first_token_ms: f64,
    pub total_ms: f64,
    pub finish: String,
}

/// A finished review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub changeset: String,
    pub author: String,
    pub path: String,
    pub lines: (u32, u32),
    /// The review, with unknown citations removed.
    pub text: String,
    /// Guideline ids cited that exist.
    pub citations: Vec<String>,
    /// Ids the model cited that the knowledge base does not have (removed from `text`).
    pub removed_citations: Vec<String>,
    /// The passages the prompt held, by citation id, in prompt order.
    pub sources: Vec<String>,
    pub model: String,
    /// Served from the cache rather than generated now.
    #[serde(default)]
    pub cached: bool,
    pub generation: Stats,
}

/// The input for `cs` in `changelog` (parsed from `text`), with the rule findings inside it.
pub fn input_for(
    file: &str,
    text: &str,
    changelog: &ChangeLog,
    cs: &ChangeSet,
    diagnostics: &[Diagnostic],
) -> ReviewInput {
    let line_of = |offset: usize| {
        let offset = crate::text::floor_char_boundary(text, offset.min(text.len()));
        text[..offset].bytes().filter(|&b| b == b'\n').count() as u32 + 1
    };
    let end = crate::text::floor_char_boundary(text, cs.span.end.min(text.len()));
    let start = crate::text::floor_char_boundary(text, cs.span.start.min(end));
    let mut summary: Vec<String> = cs.changes.iter().map(describe_change).collect();
    for attr in [
        "runOnChange",
        "runAlways",
        "context",
        "contextFilter",
        "labels",
        "dbms",
        "failOnError",
    ] {
        if let Some(a) = cs.attrs.iter().find(|a| a.name.value == attr) {
            summary.push(format!("{attr}={}", a.value.value));
        }
    }
    if cs.rollbacks.is_empty() {
        summary.push("no explicit rollback".into());
    }
    if cs.preconditions.is_some() {
        summary.push("has preconditions".into());
    }
    let findings = findings_in(diagnostics, cs.span)
        .into_iter()
        .map(|d| Finding {
            code: d.code.to_string(),
            severity: d.severity.as_str().to_string(),
            message: d.message.clone(),
            guideline: crate::rules::registry::by_code(d.code)
                .and_then(|r| r.guideline)
                .map(str::to_string),
        })
        .collect();
    ReviewInput {
        file: file.to_string(),
        id: cs.id.as_ref().map(|s| s.value.clone()).unwrap_or_default(),
        author: cs
            .author
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        lines: (line_of(start), line_of(end.saturating_sub(1).max(start))),
        format: changelog.format.as_str(),
        source: text[start..end].to_string(),
        summary,
        findings,
        focus: None,
    }
}

/// The passages of a retrieval answer, in its (cascade) order.
pub fn sources(retriever: &Retriever, answer: &Answer) -> Vec<SourceRef> {
    answer
        .hits
        .iter()
        .map(|h| {
            let c = retriever.chunk(h);
            SourceRef {
                tier: c.tier,
                cite: c.cite_id(),
                title: c.section().to_string(),
                text: c.text.clone(),
                location: Some((c.path.clone(), c.lines.0)),
            }
        })
        .collect()
}

/// The guideline ids the knowledge base has: the citations a review may keep.
pub fn guideline_ids(kb: &KnowledgeBase) -> HashSet<String> {
    kb.chunks
        .iter()
        .filter_map(|c| c.guideline_id.clone())
        .collect()
}

/// The retrieval query for a review's sources: the changeset and its findings, up to three
/// guidelines, one example and two documentation passages.
pub fn sources_query(cs: &ChangeSet, findings: &[&Diagnostic]) -> Query {
    Query {
        k: Some(5),
        quota: Some([3, 1, 2]),
        ..Query::for_changeset(cs, findings)
    }
}

/// Identifies the knowledge base's content (every chunk's hash and the embedding model), so a review
/// grounded in an older knowledge base is not served after it changed.
pub fn kb_digest(kb: &KnowledgeBase) -> String {
    let mut h = Sha256::new();
    h.update(kb.embedder().model_id().as_bytes());
    for c in &kb.chunks {
        h.update(c.hash);
    }
    crate::kb::hex(&h.finalize()[..16])
}

/// The cache key of a review: the model, the prompt's version, the input, the knowledge base and the
/// generation settings (which together determine the prompt and the sources).
pub fn cache_key(
    model_id: &str,
    kb_digest: &str,
    input: &ReviewInput,
    params: &GenParams,
) -> String {
    let mut h = Sha256::new();
    h.update(format!("{model_id}\0{kb_digest}\0{}\0", prompt::VERSION));
    h.update(format!("{input:?}\0{params:?}"));
    crate::kb::hex(&h.finalize()[..16])
}

/// Reviews `input` with `backend`, streaming text through `on_text`. `known` says whether a
/// guideline id exists.
pub fn generate(
    backend: &mut dyn Backend,
    input: &ReviewInput,
    sources: &[SourceRef],
    params: &GenParams,
    cancel: &Cancel,
    on_text: &mut dyn FnMut(&str),
    known: &dyn Fn(&str) -> bool,
) -> Result<(Review, Finish), LlmError> {
    let count = |s: &str| backend.count_tokens(s);
    let (prompt, used) = prompt::build(
        input,
        sources,
        backend.context_window(),
        params.max_tokens,
        &count,
    );
    let g: Generation = backend.generate(&prompt, params, cancel, on_text)?;
    let checked = citations::check(&g.text, known);
    let review = Review {
        changeset: input.id.clone(),
        author: input.author.clone(),
        path: input.file.clone(),
        lines: input.lines,
        text: checked.text.trim().to_string(),
        citations: checked.valid,
        removed_citations: checked.removed,
        sources: used.iter().map(|s| s.cite.clone()).collect(),
        model: backend.display_name(),
        cached: false,
        generation: Stats {
            prompt_tokens: g.prompt_tokens,
            reused_tokens: g.reused_tokens,
            generated_tokens: g.generated_tokens,
            first_token_ms: g.first_token_ms,
            total_ms: g.total_ms,
            finish: format!("{:?}", g.finish).to_lowercase(),
        },
    };
    Ok((review, g.finish))
}
