//! Hover on a changeset (its start tag or `- changeSet:` key) or on a change (its element name): the
//! rule findings on it, then the team guidelines that apply, with citations that open the guideline
//! file at the section, then one example migration, and Liquibase documentation when the higher tiers
//! had too little. Each tier is labelled, in cascade order. Retrieval runs on the knowledge-base
//! thread; before the model is ready the hover says so and shows the findings alone.

use std::fmt::Write as _;

use tower_lsp_server::ls_types::Uri;

use super::knowledge::State;
use crate::kb::{Chunk, Tier};
use crate::model::{Change, ChangeLog, ChangeSet, Diagnostic, Span};
use crate::retrieve::{query::findings_in, Answer, Hit, Query, Retriever};

/// What the cursor is on.
pub enum Target<'a> {
    ChangeSet(&'a ChangeSet),
    Change(&'a ChangeSet, &'a Change),
}

impl Target<'_> {
    /// The span the findings are collected from.
    pub fn span(&self) -> Span {
        match self {
            Target::ChangeSet(cs) => cs.span,
            Target::Change(_, c) => c.element.span,
        }
    }
}

/// The changeset whose header, or the change whose element name, contains `offset`.
pub fn target_at(changelog: &ChangeLog, offset: usize) -> Option<(Target<'_>, Span)> {
    let cs = changelog
        .changesets
        .iter()
        .find(|cs| within(cs.span, offset))?;
    if within(cs.header, offset) {
        return Some((Target::ChangeSet(cs), cs.header));
    }
    cs.changes
        .iter()
        .find(|c| within(c.kind.span, offset))
        .map(|c| (Target::Change(cs, c), c.kind.span))
}

fn within(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// Hits per tier for hover: up to three guidelines, one example, documentation only as a fallback.
const QUOTA: [usize; 3] = [3, 1, 2];
const K: usize = 4;

pub fn query(target: &Target, findings: &[&Diagnostic]) -> Query {
    let q = match target {
        Target::ChangeSet(cs) => Query::for_changeset(cs, findings),
        Target::Change(_, c) => Query::for_change(c, findings),
    };
    Query {
        k: Some(K),
        quota: Some(QUOTA),
        ..q
    }
}

pub fn findings<'a>(diagnostics: &'a [Diagnostic], target: &Target) -> Vec<&'a Diagnostic> {
    findings_in(diagnostics, target.span())
}

/// The hover's Markdown. `answer` is `None` when the knowledge base was not asked (not ready).
pub fn render(
    target: &Target,
    findings: &[&Diagnostic],
    state: &State,
    answer: Option<Result<(&Retriever, &Answer), String>>,
) -> String {
    let mut s = String::new();
    match target {
        Target::ChangeSet(cs) => {
            let _ = write!(s, "**changeSet `{}`**", cs.id_str());
            if !cs.author_str().is_empty() {
                let _ = write!(s, " by {}", cs.author_str());
            }
            s.push_str("\n\n");
        }
        Target::Change(cs, c) => {
            let _ = write!(s, "**{}** in changeSet `{}`", c.kind.value, cs.id_str());
            if let Some(d) = crate::catalog::descriptions::element_named(&c.kind.value) {
                let _ = write!(s, ": {d}");
            }
            s.push_str("\n\n");
        }
    }
    if findings.is_empty() {
        s.push_str("No rule findings.\n\n");
    } else {
        s.push_str("**Findings**\n\n");
        for d in findings {
            let name = crate::rules::registry::by_code(d.code).map_or("", |r| r.name);
            let _ = writeln!(
                s,
                "- `{}` {} ({}): {}",
                d.code,
                name,
                d.severity.as_str(),
                d.message
            );
        }
        s.push('\n');
    }
    match (state, answer) {
        (_, Some(Ok((r, a)))) => render_answer(&mut s, r, a),
        (_, Some(Err(e))) => {
            let _ = writeln!(s, "_Knowledge base: {e}_");
        }
        (State::Indexing(done, total), None) if *total > 0 => {
            let _ = writeln!(
                s,
                "_Knowledge base: indexing ({done}/{total} sections embedded); guidelines will show here when it is ready._"
            );
        }
        (State::Failed(m), None) => {
            let _ = writeln!(s, "_Knowledge base unavailable: {m}_");
        }
        (_, None) => {
            s.push_str("_Knowledge base: indexing; guidelines will show here when it is ready._\n");
        }
    }
    s
}

fn render_answer(s: &mut String, r: &Retriever, a: &Answer) {
    if a.hits.is_empty() {
        s.push_str("_No guideline, example or documentation section matched closely enough._\n");
        return;
    }
    for tier in Tier::ALL {
        let hits: Vec<&Hit> = a.hits.iter().filter(|h| h.tier == tier).collect();
        if hits.is_empty() {
            continue;
        }
        let _ = writeln!(s, "**{}** ({})\n", tier.label(), tier_note(tier));
        for h in hits {
            let c = r.chunk(h);
            match tier {
                Tier::Examples => example(s, c, h),
                _ => item(s, c, h),
            }
        }
        s.push('\n');
    }
}

fn tier_note(tier: Tier) -> &'static str {
    match tier {
        Tier::Guidelines => "tier 1",
        Tier::Examples => "tier 2",
        Tier::Docs => "tier 3",
    }
}

/// `[path:lines](file:///...#L40)`: opens the file at the section in editors that follow file links.
fn citation(c: &Chunk) -> String {
    let link = Uri::from_file_path(&c.path)
        .map(|u| format!("{}#L{}", u.as_str(), c.lines.0))
        .unwrap_or_default();
    format!("[{}:{}-{}]({link})", c.rel, c.lines.0, c.lines.1)
}

fn item(s: &mut String, c: &Chunk, h: &Hit) {
    // A documentation section needs its page's title (`Rollback` of which change type?).
    let title = match (c.tier, &c.guideline_id) {
        (Tier::Docs, None) => c.heading.replace(" > ", " › "),
        _ => c.section().to_string(),
    };
    let why = if h.linked {
        ", enforced by a finding above"
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "- **{title}**: {} {} _(score {:.2}{why})_",
        c.summary(),
        citation(c),
        h.score
    );
}

fn example(s: &mut String, c: &Chunk, h: &Hit) {
    let _ = writeln!(
        s,
        "- **{}** {} _(score {:.2})_\n",
        c.heading.replace(" > ", " › "),
        citation(c),
        h.score
    );
    let lang = if c.rel.ends_with(".xml") {
        "xml"
    } else {
        "yaml"
    };
    let lines: Vec<&str> = c.text.lines().collect();
    let shown = lines.len().min(24);
    let _ = writeln!(s, "```{lang}\n{}", lines[..shown].join("\n"));
    if shown < lines.len() {
        let _ = writeln!(s, "…");
    }
    s.push_str("```\n");
}
