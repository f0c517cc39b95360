//! Cutting knowledge-base files into chunks by their structure: one chunk per `##` section of a
//! Markdown page (a guideline, a documentation section) and one per changeset of an example changelog,
//! prefixed with the file's header comment so the chunk says what task it belongs to.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::model::Format;

/// The three tiers, in the order the cascade searches them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    Guidelines,
    Examples,
    Docs,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Guidelines, Tier::Examples, Tier::Docs];

    /// The name used in JSON, hover and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Guidelines => "guidelines",
            Tier::Examples => "examples",
            Tier::Docs => "docs",
        }
    }

    /// The tier's folder inside a knowledge base.
    pub fn folder(self) -> &'static str {
        match self {
            Tier::Guidelines => "guidelines",
            Tier::Examples => "examples",
            Tier::Docs => "liquibase-docs",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "guidelines" | "guideline" => Some(Tier::Guidelines),
            "examples" | "example" => Some(Tier::Examples),
            "docs" | "liquibase-docs" | "doc" => Some(Tier::Docs),
            _ => None,
        }
    }

    /// Human label for hover headings.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Guidelines => "Team guidelines",
            Tier::Examples => "Example migrations",
            Tier::Docs => "Liquibase documentation",
        }
    }
}

/// Which knowledge base a chunk comes from. The project's own is searched ahead of the bundled one
/// within each tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    Project,
    Bundled,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Project => "project",
            Origin::Bundled => "bundled",
        }
    }
}

/// One searchable unit with its citation.
#[derive(Clone, Debug)]
pub struct Chunk {
    pub tier: Tier,
    pub origin: Origin,
    /// The file on disk (for bundled chunks, the copy in the cache folder).
    pub path: PathBuf,
    /// The path inside its knowledge base (`guidelines/01-naming.md`).
    pub rel: String,
    /// `Page title > Section heading`, or `Example title > changeSet ID`.
    pub heading: String,
    /// `GL-NAMING-003` for a guideline section.
    pub guideline_id: Option<String>,
    /// Example changeset id, for an example chunk.
    pub changeset_id: Option<String>,
    /// 1-based, inclusive.
    pub lines: (u32, u32),
    /// The section or changeset as written.
    pub text: String,
    /// What is embedded and indexed: the heading (and file context) followed by the text.
    pub search_text: String,
    /// sha256 of `search_text`: the embedding cache's key.
    pub hash: [u8; 32],
}

impl Chunk {
    /// The last part of the heading: the section's own title (`GL-NAMING-001: Tables are ...`,
    /// `Rollback`, `changeSet 20240101-1`).
    pub fn section(&self) -> &str {
        self.heading.rsplit(" > ").next().unwrap_or(&self.heading)
    }

    /// A stable id used by the evaluation and citations: the guideline id, else `rel#changeset`, else
    /// `rel#section`.
    pub fn cite_id(&self) -> String {
        if let Some(g) = &self.guideline_id {
            return g.clone();
        }
        if let Some(id) = &self.changeset_id {
            return format!("{}#{}", self.rel, id);
        }
        format!("{}#{}", self.rel, self.section())
    }

    /// The first sentence or line of the text, for one-line summaries in hover.
    pub fn summary(&self) -> String {
        let body: String = self
            .text
            .lines()
            .map(str::trim)
            .skip_while(|l| l.is_empty() || l.starts_with('#'))
            .take_while(|l| !l.is_empty() && !l.starts_with("```"))
            .collect::<Vec<_>>()
            .join(" ");
        let end = body
            .match_indices(". ")
            .map(|(i, _)| i + 1)
            .find(|&i| i >= 40)
            .unwrap_or(body.len());
        let mut s = body[..end].to_string();
        if s.len() > 300 {
            s.truncate(crate::text::floor_char_boundary(&s, 300));
            s.push('…');
        }
        s
    }
}

struct Piece {
    heading: String,
    guideline_id: Option<String>,
    changeset_id: Option<String>,
    lines: (u32, u32),
    text: String,
    context: String,
}

/// Chunks of one file; `rel` decides how it is cut (Markdown by sections, changelogs by changesets).
/// Files of other kinds give nothing.
pub fn chunk_file(tier: Tier, origin: Origin, path: PathBuf, rel: &str, text: &str) -> Vec<Chunk> {
    let lower = rel.to_ascii_lowercase();
    let pieces = if lower.ends_with(".md") {
        markdown(text)
    } else if [".xml", ".yaml", ".yml", ".json", ".sql"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        changelog(rel, text)
    } else {
        Vec::new()
    };
    pieces
        .into_iter()
        .map(|p| {
            let search_text = if p.context.is_empty() {
                format!("{}\n{}", p.heading, p.text)
            } else {
                format!("{}\n{}\n{}", p.heading, p.context, p.text)
            };
            let hash = Sha256::digest(search_text.as_bytes()).into();
            Chunk {
                tier,
                origin,
                path: path.clone(),
                rel: rel.to_string(),
                heading: p.heading,
                guideline_id: p.guideline_id,
                changeset_id: p.changeset_id,
                lines: p.lines,
                text: p.text,
                search_text,
                hash,
            }
        })
        .collect()
}

/// `GL-AREA-NNN` at the start of a heading.
fn guideline_id(heading: &str) -> Option<String> {
    let id: String = heading
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let parts: Vec<&str> = id.split('-').collect();
    (parts.len() == 3
        && parts[0] == "GL"
        && parts[1].chars().all(|c| c.is_ascii_uppercase())
        && !parts[1].is_empty()
        && parts[2].len() == 3
        && parts[2].chars().all(|c| c.is_ascii_digit()))
    .then_some(id)
}

/// One piece per `## ` section (outside code fences). The page title (`# `) prefixes each heading;
/// text before the first section is the page's introduction and is not indexed on its own.
fn markdown(text: &str) -> Vec<Piece> {
    let lines: Vec<&str> = text.lines().collect();
    let mut title = String::new();
    let mut out = Vec::new();
    let mut current: Option<(String, usize)> = None;
    let mut fence = false;
    let close =
        |out: &mut Vec<Piece>, title: &str, (heading, start): (String, usize), end: usize| {
            // Trailing blank lines are not part of the section.
            let mut last = end;
            while last > start && lines[last - 1].trim().is_empty() {
                last -= 1;
            }
            let body = lines[start + 1..last].join("\n").trim().to_string();
            if body.is_empty() {
                return;
            }
            out.push(Piece {
                guideline_id: guideline_id(&heading),
                heading: if title.is_empty() {
                    heading
                } else {
                    format!("{title} > {heading}")
                },
                changeset_id: None,
                lines: (start as u32 + 1, last as u32),
                text: body,
                context: String::new(),
            });
        };
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        if let Some(h) = line.strip_prefix("# ") {
            if title.is_empty() {
                title = h.trim().to_string();
            }
        } else if let Some(h) = line.strip_prefix("## ") {
            if let Some(cur) = current.take() {
                close(&mut out, &title, cur, i);
            }
            current = Some((h.trim().to_string(), i));
        }
    }
    if let Some(cur) = current.take() {
        close(&mut out, &title, cur, lines.len());
    }
    out
}

/// One piece per changeset, each carrying the file's header comment (what task the example shows).
fn changelog(rel: &str, text: &str) -> Vec<Piece> {
    let format = crate::syntax::detect_format(Some(std::path::Path::new(rel)), text);
    let parsed = crate::syntax::parse(text, format);
    let header = header_comment(text, format);
    let title = header
        .lines()
        .find_map(|l| l.trim().strip_prefix("Example:"))
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| rel.rsplit('/').next().unwrap_or(rel).to_string());
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() as u32 + 1;
    parsed
        .changelog
        .changesets
        .iter()
        .filter(|cs| cs.span.end <= text.len() && cs.span.start < cs.span.end)
        .map(|cs| {
            let id = cs.id_str().to_string();
            Piece {
                heading: format!("{title} > changeSet {id}"),
                guideline_id: None,
                changeset_id: Some(id),
                lines: (
                    line_of(cs.span.start),
                    line_of(cs.span.end.saturating_sub(1)),
                ),
                text: dedent(
                    &text[crate::rules::edit::line_start(text, cs.span.start)..cs.span.end],
                ),
                context: header.clone(),
            }
        })
        .collect()
}

/// Removes the indentation common to every non-blank line, so a changeset reads well in hover.
fn dedent(s: &str) -> String {
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    s.lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The file's first comment: an XML `<!-- -->` before the first changeset, or the leading `#`/`--`
/// lines of YAML and SQL. Collapsed to its text lines.
fn header_comment(text: &str, format: Format) -> String {
    match format {
        Format::Xml => {
            let Some(start) = text.find("<!--") else {
                return String::new();
            };
            if text[..start].contains("<changeSet") {
                return String::new();
            }
            let end = text[start..].find("-->").map_or(text.len(), |e| start + e);
            text[start + 4..end]
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        }
        _ => text
            .lines()
            .map(str::trim)
            .skip_while(|l| l.is_empty() || l.starts_with("--liquibase"))
            .take_while(|l| {
                l.starts_with('#') || (l.starts_with("--") && !l.starts_with("--changeset"))
            })
            .map(|l| l.trim_start_matches(['#', '-']).trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(rel: &str, text: &str) -> Vec<Chunk> {
        chunk_file(
            Tier::Guidelines,
            Origin::Bundled,
            PathBuf::from(rel),
            rel,
            text,
        )
    }

    #[test]
    fn markdown_sections_with_guideline_ids_and_lines() {
        let md =
            "# Naming\n\nIntro.\n\n## GL-NAMING-001: Tables are snake_case\n\nUse snake_case.\n\n\
                  ```xml\n## not a heading\n```\n\n## Plain section\n\nBody.\n\n";
        let c = chunks("guidelines/n.md", md);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].guideline_id.as_deref(), Some("GL-NAMING-001"));
        assert_eq!(
            c[0].heading,
            "Naming > GL-NAMING-001: Tables are snake_case"
        );
        assert_eq!(c[0].lines, (5, 11));
        assert!(c[0].text.contains("## not a heading"));
        assert_eq!(c[1].guideline_id, None);
        assert_eq!(c[1].lines, (13, 15));
        assert_eq!(c[1].cite_id(), "guidelines/n.md#Plain section");
        assert!(c[0].search_text.starts_with("Naming > GL-NAMING-001"));
    }

    #[test]
    fn empty_and_headingless_markdown_give_nothing() {
        assert!(chunks("a.md", "").is_empty());
        assert!(chunks("a.md", "# Title\n\nonly intro\n").is_empty());
        assert!(chunks("a.md", "## Empty\n\n## Also empty\n").is_empty());
    }

    #[test]
    fn changelog_changesets_with_header_context() {
        let xml = r#"<?xml version="1.0"?>
<!--
  Example: Add a column safely
  Task: adds a column.
-->
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <changeSet id="20240101-1" author="jdoe">
        <comment>first</comment>
        <addColumn tableName="orders"><column name="note" type="varchar(100)"/></addColumn>
    </changeSet>
    <changeSet id="20240101-2" author="jdoe">
        <comment>second</comment>
    </changeSet>
</databaseChangeLog>
"#;
        let c = chunk_file(
            Tier::Examples,
            Origin::Bundled,
            "x.xml".into(),
            "examples/x.xml",
            xml,
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].heading, "Add a column safely > changeSet 20240101-1");
        assert_eq!(c[0].lines, (7, 10));
        assert!(c[0].text.starts_with("<changeSet id=\"20240101-1\""));
        assert!(c[0].search_text.contains("Task: adds a column."));
        assert_eq!(c[1].cite_id(), "examples/x.xml#20240101-2");
    }

    #[test]
    fn yaml_header_comment() {
        let y = "# Example: Seed data\n# Task: loads rows.\ndatabaseChangeLog:\n  - changeSet:\n      id: 20240101-1\n      author: jdoe\n      changes:\n        - insert:\n            tableName: t\n";
        let c = chunk_file(
            Tier::Examples,
            Origin::Bundled,
            "x.yaml".into(),
            "examples/x.yaml",
            y,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].heading, "Seed data > changeSet 20240101-1");
        assert!(c[0].search_text.contains("Task: loads rows."));
    }

    #[test]
    fn summary_is_the_first_sentence() {
        let c = chunks(
            "a.md",
            "# T\n## S\n\nAdd a NOT NULL column to an existing table in three steps. Then more.\n",
        );
        assert_eq!(
            c[0].summary(),
            "Add a NOT NULL column to an existing table in three steps."
        );
    }
}
