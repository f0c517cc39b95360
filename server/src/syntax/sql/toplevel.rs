//! Changelog-level lines: `--property ...` and `--include` / `--includeAll`.

use super::elements::{element, keyed};
use super::lines::Line;
use super::scan;
use crate::diagnostics::codes;
use crate::model::{Diagnostic, Include, IncludeKind, Property};

/// `--property name:x value:y [context:..] [labels:..] [dbms:..] [global:..]`, read like Liquibase (each
/// key's last occurrence; a space may follow the colon of name and value).
pub fn property(line: &Line, from: usize) -> Property {
    let span = line.trimmed_span();
    let mut el = element("property", span, span);
    let keys = [
        ("name:", "name", false),
        ("value:", "value", false),
        ("contextFilter:", "contextFilter", false),
        ("context:", "context", false),
        ("labels:", "labels", false),
        ("dbms:", "dbms", false),
        ("global:", "global", true),
    ];
    for (key, name, word) in keys {
        if let Some(a) = keyed(line, from, key, name, word) {
            // `contextFilter:` also contains `context:`'s text only as a suffix ("Filter:"), so both
            // keys never match the same spot.
            el.attrs.push(a);
        }
    }
    Property {
        name: el.attr("name").map(|a| a.value.clone()),
        value: el.attr("value").map(|a| a.value.clone()),
        file: None,
        element: el,
    }
}

/// `--include file:x ...` / `--includeAll path:x ...`: `name:value` pairs from `from`.
pub fn include(
    line: &Line,
    kind: IncludeKind,
    from: usize,
    diags: &mut Vec<Diagnostic>,
) -> Include {
    let span = line.trimmed_span();
    let tag = match kind {
        IncludeKind::Include => "include",
        IncludeKind::IncludeAll => "includeAll",
    };
    let mut el = element(tag, span, span);
    let s = line.text;
    let mut i = from;
    loop {
        i = scan::skip_ws(s, i);
        if i >= s.len() {
            break;
        }
        let end = scan::skip_non_ws(s, i);
        if let Some(c) = s[i..end].find(':').map(|c| c + i) {
            el.attrs.push(super::elements::attr(
                &s[i..c],
                line.span(i, c),
                crate::model::Spanned::new(s[c + 1..end].to_string(), line.span(c + 1, end)),
            ));
        }
        i = end;
    }
    let key = match kind {
        IncludeKind::Include => "file",
        IncludeKind::IncludeAll => "path",
    };
    let path = el.attr(key).map(|a| a.value.clone());
    if path.is_none() {
        diags.push(Diagnostic::error(
            codes::SQL_HEADER,
            span,
            format!("`--{tag}` needs `{key}:<path>`"),
        ));
    }
    diags.push(Diagnostic::warning(
        codes::SQL_HEADER,
        line.span(scan::skip_ws(s, 0), s[..from.min(s.len())].trim_end().len()),
        format!("`--{tag}` in a formatted-SQL changelog needs Liquibase Pro; Liquibase Community rejects the file"),
    ));
    let relative = el
        .attr_value("relativeToChangelogFile")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    Include {
        kind,
        path,
        relative_to_changelog_file: relative,
        element: el,
    }
}
