//! Suppression comments, the same in every syntax:
//!
//! - `lqls-disable-next-line CODE[, CODE...]`: the next line, and the whole change or changeset that
//!   starts on it;
//! - `lqls-disable CODE[, CODE...]`: the changeset the comment is in, or, outside changesets, the next
//!   changeset;
//! - `lqls-disable-file CODE[, CODE...]`: the whole file.
//!
//! The comment is `<!-- ... -->` in XML, `# ...` in YAML and `-- ...` in SQL. Codes may be written as
//! codes (`LB101`), rule names or Liquibase check names. A suppression that hides nothing is reported
//! (`unused-suppression`, with a fix that removes it), so stale ones do not pile up.

use std::sync::LazyLock;

use regex::Regex;

use super::{edit, registry};
use crate::diagnostics::codes;
use crate::model::{ChangeLog, Diagnostic, Fix, Format, Span, Tag};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    NextLine,
    ChangeSet,
    File,
}

/// One code in one suppression comment.
#[derive(Debug)]
struct Entry {
    /// The canonical code (rule code or structural code), `None` when unknown.
    code: Option<&'static str>,
    written: Span,
    /// The byte range the suppression covers.
    covers: Span,
    used: bool,
}

/// One comment.
#[derive(Debug)]
struct Comment {
    /// The whole comment line(s) to delete when every code in it is unused.
    line: Span,
    /// The codes list, to rewrite when only some are unused.
    list: Span,
    entries: Vec<Entry>,
}

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"lqls-disable(-next-line|-file)?[ \t]+([A-Za-z0-9_\-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_\-]+)*)",
    )
    .expect("valid regex")
});

/// What starts a comment in the syntaxes lqls reads (and in SQL inside them).
const COMMENT_OPENERS: &[&str] = &["<!--", "#", "--", "//", "/*"];

/// Whether the text before `at` on its line opens a comment (so that the directive is not part of a
/// value or SQL string that merely mentions it).
fn in_comment(text: &str, at: usize) -> bool {
    let line_start = edit::line_start(text, at);
    let before = &text[line_start..at];
    COMMENT_OPENERS.iter().any(|o| before.contains(o))
}

fn canonical(written: &str) -> Option<&'static str> {
    if let Some(r) = registry::find(written) {
        return Some(r.code);
    }
    codes::ALL
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(written))
        .map(|(c, _)| *c)
}

fn line_span(text: &str, at: usize) -> Span {
    let start = edit::line_start(text, at);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    Span::new(start, end)
}

/// The range `lqls-disable-next-line` covers: the line after the comment, extended over a changeset
/// or change that starts on it.
fn next_line_cover(text: &str, changelog: &ChangeLog, comment_end: usize) -> Span {
    let Some(nl) = text[comment_end..].find('\n') else {
        return Span::new(text.len(), text.len());
    };
    let mut line = line_span(text, comment_end + nl + 1);
    // Stacked suppressions (one comment per line above the same line) all apply to it.
    while line.end < text.len() && is_suppression_line(&text[line.start..line.end]) {
        line = line_span(text, line.end);
    }
    let mut cover = line;
    for cs in &changelog.changesets {
        if line.contains(cs.span.start) || line.contains(cs.header.start) {
            cover = cover.cover(cs.header);
        }
        for ch in &cs.changes {
            if line.contains(ch.element.span.start) {
                cover = cover.cover(ch.element.span);
            }
        }
    }
    cover
}

fn is_suppression_line(line: &str) -> bool {
    let t = line.trim_start();
    COMMENT_OPENERS.iter().any(|o| t.starts_with(o)) && t.contains("lqls-disable")
}

fn changeset_cover(text: &str, changelog: &ChangeLog, at: usize) -> Span {
    if let Some(cs) = changelog.changesets.iter().find(|cs| cs.span.contains(at)) {
        return cs.span;
    }
    changelog
        .changesets
        .iter()
        .find(|cs| cs.span.start >= at)
        .map_or(Span::new(text.len(), text.len()), |cs| cs.span)
}

fn comments(text: &str, changelog: &ChangeLog) -> Vec<Comment> {
    let mut out = Vec::new();
    if !text.contains("lqls-disable") {
        return out;
    }
    for m in DIRECTIVE.captures_iter(text) {
        let whole = m.get(0).expect("match");
        if !in_comment(text, whole.start()) {
            continue;
        }
        let scope = match m.get(1).map(|g| g.as_str()) {
            Some("-next-line") => Scope::NextLine,
            Some(_) => Scope::File,
            None => Scope::ChangeSet,
        };
        let list = m.get(2).expect("group");
        let comment_end = text[whole.end()..]
            .find("-->")
            .filter(|&i| !text[whole.end()..whole.end() + i].contains('\n'))
            .map_or(whole.end(), |i| whole.end() + i + 3);
        let covers = match scope {
            Scope::NextLine => next_line_cover(text, changelog, comment_end),
            Scope::ChangeSet => changeset_cover(text, changelog, whole.start()),
            Scope::File => Span::new(0, text.len()),
        };
        let mut entries = Vec::new();
        let mut offset = list.start();
        for part in list.as_str().split(',') {
            let lead = part.len() - part.trim_start().len();
            let code = part.trim();
            let start = offset + lead;
            entries.push(Entry {
                code: canonical(code),
                written: Span::new(start, start + code.len()),
                covers,
                used: false,
            });
            offset += part.len() + 1;
        }
        out.push(Comment {
            line: line_span(text, whole.start()),
            list: Span::new(list.start(), list.end()),
            entries,
        });
    }
    out
}

/// Removes suppressed diagnostics and adds one for each unused or unknown suppression. `active`
/// tells whether a code can fire at all (a suppression of a rule switched off is not reported).
pub fn apply(
    text: &str,
    changelog: &ChangeLog,
    diagnostics: &mut Vec<Diagnostic>,
    active: &dyn Fn(&str) -> bool,
) {
    let mut comments = comments(text, changelog);
    if comments.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let mut keep = true;
        for c in comments.iter_mut() {
            for e in c.entries.iter_mut() {
                if e.code == Some(d.code)
                    && e.covers.start <= d.span.start
                    && d.span.start < e.covers.end.max(e.covers.start + 1)
                {
                    e.used = true;
                    keep = false;
                }
            }
        }
        keep
    });
    for c in &comments {
        for e in &c.entries {
            let message = match e.code {
                None => format!(
                    "unknown code `{}` in this suppression (see `lqls rules`)",
                    &text[e.written.start..e.written.end]
                ),
                Some(code) if !e.used && active(code) => {
                    format!("unused suppression: nothing here reports {code}")
                }
                _ => continue,
            };
            let mut d = Diagnostic::warning(codes::UNUSED_SUPPRESSION, e.written, message);
            d.tags.push(Tag::Unnecessary);
            d.fixes.push(removal(text, c, e));
            diagnostics.push(d);
        }
    }
}

/// Removes one code from its comment, or the whole comment line when it is the only code.
fn removal(text: &str, c: &Comment, e: &Entry) -> Fix {
    if c.entries.len() == 1 {
        return Fix::replace("Remove the unused suppression", c.line, "", true);
    }
    let rest: Vec<&str> = c
        .entries
        .iter()
        .filter(|x| x.written != e.written)
        .map(|x| &text[x.written.start..x.written.end])
        .collect();
    Fix::replace(
        format!(
            "Remove `{}` from the suppression",
            &text[e.written.start..e.written.end]
        ),
        c.list,
        rest.join(", "),
        true,
    )
}

/// The changeset whose span holds `offset`.
fn changeset_at(changelog: &ChangeLog, offset: usize) -> Option<&crate::model::ChangeSet> {
    let css = &changelog.changesets;
    let i = css.partition_point(|cs| cs.span.start <= offset);
    i.checked_sub(1)
        .map(|i| &css[i])
        .filter(|cs| cs.span.contains(offset))
}

/// The "disable this rule here" quick fix: a `lqls-disable-next-line` comment above the line of the
/// finding, indented like it. Inside text content (an SQL body, a block scalar) a comment line would
/// change the SQL, so the comment goes above the change instead, as a changeset-wide `lqls-disable`.
/// JSON has no comments: no fix.
pub fn disable_fix(text: &str, changelog: &ChangeLog, span: Span, code: &str) -> Option<Fix> {
    let (open, close) = match changelog.format {
        Format::Xml => ("<!-- ", " -->"),
        Format::Yaml => ("# ", ""),
        Format::Sql => ("-- ", ""),
        Format::Json => return None,
    };
    // Changesets are in document order: find the one holding the finding without scanning them all
    // (a large file has thousands of findings and changesets).
    let in_text = changeset_at(changelog, span.start)
        .into_iter()
        .flat_map(|cs| cs.changes.iter())
        .find(|ch| {
            ch.element
                .text
                .as_ref()
                .is_some_and(|t| t.span.contains(span.start) || t.span.start == span.start)
        });
    if changelog.format == Format::Sql {
        // Formatted SQL: everything after `--changeset` is the changeset's SQL, so the comment goes
        // right below the header line and covers the changeset.
        let cs = changeset_at(changelog, span.start)?;
        let after = text[cs.header.start..]
            .find('\n')
            .map_or(text.len(), |i| cs.header.start + i + 1);
        return Some(Fix::replace(
            format!("Disable {code} for this changeset"),
            Span::new(after, after),
            format!("-- lqls-disable {code}\n"),
            false,
        ));
    }
    let (at, directive) = match in_text {
        Some(ch) => (ch.element.span.start, "lqls-disable"),
        None => (span.start.min(text.len()), "lqls-disable-next-line"),
    };
    let line_start = edit::line_start(text, at);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    Some(Fix::replace(
        format!("Disable {code} here"),
        Span::new(line_start, line_start),
        format!("{indent}{open}{directive} {code}{close}\n"),
        false,
    ))
}

#[cfg(test)]
mod tests {
    use crate::model::{Diagnostic, Format};

    fn diags(text: &str, format: Format) -> Vec<Diagnostic> {
        crate::analysis::analyze(text, format, &Default::default()).diagnostics
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter()
            .map(|d| d.code)
            .filter(|c| *c == "LB101" || *c == "unused-suppression")
            .collect()
    }

    const XML_DROP: &str = r#"<?xml version="1.0"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <changeSet id="1" author="a">
        COMMENT
        <dropColumn tableName="t" columnName="c"/>
        <rollback/>
    </changeSet>
    <changeSet id="2" author="a">
        <dropColumn tableName="t" columnName="d"/>
        <rollback/>
    </changeSet>
</databaseChangeLog>
"#;

    fn xml_with(comment: &str) -> String {
        XML_DROP.replace("COMMENT", comment)
    }

    #[test]
    fn next_line_in_xml() {
        let d = diags(
            &xml_with("<!-- lqls-disable-next-line LB101 -->"),
            Format::Xml,
        );
        assert_eq!(codes(&d), vec!["LB101"], "only changeset 2 is left");
    }

    #[test]
    fn by_name_and_liquibase_name_and_changeset_scope() {
        for c in [
            "<!-- lqls-disable change-drop-column-warn -->",
            "<!-- lqls-disable ChangeDropColumnWarn -->",
        ] {
            let d = diags(&xml_with(c), Format::Xml);
            assert_eq!(codes(&d), vec!["LB101"], "{c}");
        }
        let file = XML_DROP.replace(
            "<?xml version=\"1.0\"?>",
            "<?xml version=\"1.0\"?>\n<!-- lqls-disable-file LB101 -->",
        );
        assert!(codes(&diags(&file.replace("COMMENT", ""), Format::Xml)).is_empty());
    }

    #[test]
    fn unused_and_unknown_suppressions_are_reported_with_a_removal_fix() {
        let text = xml_with("<!-- lqls-disable-next-line LB101, MS290 -->\n        <!-- lqls-disable-next-line NOPE1 -->");
        let d = diags(&text, Format::Xml);
        let unused: Vec<&Diagnostic> = d
            .iter()
            .filter(|d| d.code == "unused-suppression")
            .collect();
        assert_eq!(unused.len(), 2, "{unused:?}");
        assert!(unused.iter().any(|d| d.message.contains("MS290")));
        assert!(unused
            .iter()
            .any(|d| d.message.contains("unknown code `NOPE1`")));
        // Removing `MS290` keeps LB101's suppression working.
        let fix = &unused
            .iter()
            .find(|d| d.message.contains("MS290"))
            .unwrap()
            .fixes[0];
        let (fixed, _) = crate::rules::engine::apply_fixes(&text, &[fix]);
        assert!(
            fixed.contains("lqls-disable-next-line LB101 -->"),
            "{fixed}"
        );
        let after = diags(&fixed, Format::Xml);
        assert_eq!(
            after
                .iter()
                .filter(|d| d.code == "unused-suppression")
                .count(),
            1
        );
    }

    #[test]
    fn yaml_and_sql_comments() {
        let yaml = "databaseChangeLog:\n- changeSet:\n    id: 1\n    author: a\n    changes:\n    # lqls-disable-next-line LB101\n    - dropColumn:\n        tableName: t\n        columnName: c\n    rollback: []\n";
        assert!(codes(&diags(yaml, Format::Yaml)).is_empty());
        let sql =
            "--liquibase formatted sql\n--changeset a:1\n-- lqls-disable MS290\ndelete from t;\n";
        assert!(!diags(sql, Format::Sql).iter().any(|d| d.code == "MS290"));
        let sql2 = "--liquibase formatted sql\n--changeset a:1\ndelete from t;\n";
        assert!(diags(sql2, Format::Sql).iter().any(|d| d.code == "MS290"));
    }

    #[test]
    fn a_directive_inside_a_value_is_not_a_comment() {
        let text = xml_with("<comment>see lqls-disable LB101 docs</comment>");
        assert_eq!(codes(&diags(&text, Format::Xml)), vec!["LB101", "LB101"]);
    }
}
