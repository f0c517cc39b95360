//! The review prompt: a fixed system message (the role, the order of authority of the sources, the
//! shape of the answer) and a user message holding one changeset (its own source text, a parsed
//! summary, the rule findings on it) and the knowledge-base passages the cascade retriever found,
//! labelled by tier and citation id, fitted into the model's context by a token budget.

use super::{ReviewInput, SourceRef};
use crate::kb::Tier;
use crate::llm::Prompt;
use crate::text::floor_char_boundary;

/// Bumped whenever the prompt's wording changes, so cached reviews of an older prompt are not served.
pub const VERSION: u32 = 1;

pub const SYSTEM: &str = "You review Liquibase database migrations for a software team. \
Trust the sources in this order: the team's guidelines (ids like GL-LIVE-001) first, then the example \
migrations, then the Liquibase documentation. The rule findings are facts found by a linter.\n\
Answer in three short parts:\n\
What it does: one or two sentences.\n\
Problems: a bulleted list of real problems, or \"None found.\"\n\
Recommendations: a bulleted list of concrete fixes.\n\
When a point relies on a guideline, cite its id in square brackets, like [GL-LIVE-001]. \
Cite only ids that appear in the sources. Be brief and specific.";

/// Characters of one knowledge-base passage before it is cut (a guideline section is 600–1,500): the
/// rule statement and the start of its reason, which is what a small model can use.
const SOURCE_CHARS: usize = 450;

/// Builds the prompt for `input` with as many of `sources` (best first within the cascade's tier
/// order) as fit in `window` tokens while leaving `reserve` for the answer. Returns the prompt and
/// the sources it holds. `count` counts tokens in the model's vocabulary.
pub fn build(
    input: &ReviewInput,
    sources: &[SourceRef],
    window: usize,
    reserve: usize,
    count: &dyn Fn(&str) -> usize,
) -> (Prompt, Vec<SourceRef>) {
    // A little room for the chat template's markers around the two messages.
    let budget = window.saturating_sub(reserve).saturating_sub(16);
    let system_tokens = count(SYSTEM);
    let mut source_text = input.source.clone();
    loop {
        let head = head(input, &source_text);
        let mut used = Vec::new();
        let mut tokens = system_tokens + count(&head) + count(&tail(input));
        let mut passages = String::new();
        for s in sources {
            let p = passage(s);
            let t = count(&p);
            if tokens + t > budget {
                continue;
            }
            tokens += t;
            passages.push_str(&p);
            used.push(s.clone());
        }
        let tail = tail(input);
        if tokens <= budget || source_text.len() < 200 {
            let mut user = head;
            if !passages.is_empty() {
                user.push_str("\nSources, most authoritative first:\n");
                user.push_str(&passages);
            }
            user.push_str(&tail);
            return (
                Prompt {
                    system: SYSTEM.to_string(),
                    user,
                },
                used,
            );
        }
        // Even without sources the changeset does not fit: keep its first part.
        let cut = floor_char_boundary(&source_text, source_text.len() * 2 / 3);
        source_text.truncate(cut);
        source_text.push_str("\n… (cut to fit the model's context)");
    }
}

/// The closing request of a review; an explanation asks about its finding instead.
const TAIL: &str = "\nWrite the review of this changeset.";

fn tail(input: &ReviewInput) -> String {
    match &input.focus {
        None => TAIL.to_string(),
        Some(f) => format!(
            "\nExplain the finding {} ({}): \"{}\". Say why it matters for this changeset and how to fix it.",
            f.code, f.severity, f.message
        ),
    }
}

fn head(input: &ReviewInput, source: &str) -> String {
    let mut s = format!(
        "Changeset id={} author={} in {} (lines {}-{}):\n```{}\n{}\n```\n",
        input.id,
        input.author,
        input.file,
        input.lines.0,
        input.lines.1,
        input.format,
        source.trim_end()
    );
    if !input.summary.is_empty() {
        s.push_str("\nWhat the parser sees:\n");
        for line in &input.summary {
            s.push_str("- ");
            s.push_str(line);
            s.push('\n');
        }
    }
    s.push_str("\nRule findings:\n");
    if input.findings.is_empty() {
        s.push_str("- none\n");
    }
    for f in &input.findings {
        s.push_str(&format!("- {} ({}): {}", f.code, f.severity, f.message));
        if let Some(g) = &f.guideline {
            s.push_str(&format!(" [{g}]"));
        }
        s.push('\n');
    }
    s
}

fn passage(s: &SourceRef) -> String {
    let label = match s.tier {
        Tier::Guidelines => "team guideline",
        Tier::Examples => "example migration",
        Tier::Docs => "Liquibase documentation",
    };
    let mut text = s.text.trim().to_string();
    if text.len() > SOURCE_CHARS {
        text.truncate(floor_char_boundary(&text, SOURCE_CHARS));
        text.push_str(" …");
    }
    format!("[{}] ({label}) {}\n{}\n\n", s.cite, s.title, text)
}

#[cfg(test)]
mod tests {
    use super::super::Finding;
    use super::*;

    fn input(source: &str) -> ReviewInput {
        ReviewInput {
            file: "db/changelog.xml".into(),
            id: "1".into(),
            author: "ann".into(),
            lines: (3, 9),
            format: "xml",
            source: source.into(),
            summary: vec!["addColumn: Adds a column. Table orders.".into()],
            findings: vec![Finding {
                code: "MS201".into(),
                severity: "warning".into(),
                message: "NOT NULL without a default".into(),
                guideline: Some("GL-LIVE-001".into()),
            }],
            focus: None,
        }
    }

    fn source(tier: Tier, cite: &str, len: usize) -> SourceRef {
        SourceRef {
            tier,
            cite: cite.into(),
            title: "T".into(),
            text: "x ".repeat(len / 2),
            location: None,
        }
    }

    /// One token per 4 bytes, like a typical BPE on English.
    fn count(s: &str) -> usize {
        s.len().div_ceil(4)
    }

    #[test]
    fn holds_changeset_findings_and_labelled_sources() {
        let (p, used) = build(
            &input("<addColumn tableName=\"orders\"/>"),
            &[
                source(Tier::Guidelines, "GL-LIVE-001", 100),
                source(Tier::Docs, "change-types/addColumn.md#Rollback", 100),
            ],
            2048,
            384,
            &count,
        );
        assert_eq!(p.system, SYSTEM);
        assert!(p.user.contains("<addColumn tableName=\"orders\"/>"));
        assert!(p
            .user
            .contains("- MS201 (warning): NOT NULL without a default [GL-LIVE-001]"));
        let g = p.user.find("[GL-LIVE-001] (team guideline)").unwrap();
        let d = p.user.find("(Liquibase documentation)").unwrap();
        assert!(g < d);
        assert_eq!(used.len(), 2);
    }

    #[test]
    fn sources_that_do_not_fit_are_left_out_then_the_changeset_is_cut() {
        let sources = [
            source(Tier::Guidelines, "GL-A-001", 600),
            source(Tier::Docs, "d", 600),
        ];
        let (p, used) = build(&input("<x/>"), &sources, 700, 384, &count);
        assert!(count(SYSTEM) + count(&p.user) <= 700 - 384);
        assert!(used.len() < 2);
        let long = "<column name=\"c\"/>\n".repeat(400);
        let (p, used) = build(&input(&long), &sources, 700, 384, &count);
        assert!(used.is_empty());
        assert!(p.user.contains("cut to fit"));
        assert!(count(SYSTEM) + count(&p.user) <= 700 - 384 + 60);
    }
}
