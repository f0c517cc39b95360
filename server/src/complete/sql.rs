//! The formatted-SQL cursor context: directives at the start of a line and the attributes of a
//! `--changeset author:id` header. Everything else is SQL, where lqls proposes nothing.

use super::cursor::{line_end, line_start};
use super::spot::Spot;
use crate::model::Span;

/// The context at `offset`.
pub fn spot(text: &str, offset: usize) -> Spot {
    let ls = line_start(text, offset);
    let line = &text[ls..line_end(text, offset)];
    let before = &text[ls..offset];
    let lead = before.len() - before.trim_start().len();
    let typed = &before[lead..];
    // A directive is being named: only dashes and letters typed so far (`--cha`, `-`, ``).
    if typed.is_empty() || (typed.starts_with('-') && !typed.contains(char::is_whitespace)) {
        if typed.is_empty() && !line.trim().is_empty() {
            return Spot::Nothing;
        }
        let end = ls
            + lead
            + line[lead..]
                .find(char::is_whitespace)
                .unwrap_or(line.len() - lead);
        return Spot::SqlDirective {
            replace: Span::new(ls + lead, end.max(offset)),
        };
    }
    let Some(rest) = typed.strip_prefix("--") else {
        return Spot::Nothing;
    };
    let rest = rest.trim_start();
    if !rest
        .get(..9)
        .is_some_and(|w| w.eq_ignore_ascii_case("changeset"))
    {
        return Spot::Nothing;
    }
    // The header: `--changeset author:id attr:value ...`; the first word after the keyword is the
    // identity, attributes follow it.
    let mut words: Vec<(usize, &str)> = split_words(line);
    if words.first().is_some_and(|(_, w)| *w == "--") {
        // `-- changeset`: the keyword is its own word
        words.remove(0);
    }
    let at = offset - ls;
    let Some(word_index) = words
        .iter()
        .position(|&(s, w)| s <= at && at <= s + w.len())
    else {
        // between words: a new attribute
        if words.len() >= 2 && at > words[1].0 + words[1].1.len() {
            return header_attr(&words, Span::new(offset, offset), None);
        }
        return Spot::Nothing;
    };
    if word_index < 2 {
        return Spot::Nothing;
    }
    let (s, w) = words[word_index];
    match w.find(':') {
        Some(colon) if at > s + colon => {
            let attr = w[..colon].to_string();
            Spot::SqlHeaderValue {
                attr,
                replace: Span::new(ls + s + colon + 1, ls + s + w.len()),
            }
        }
        _ => {
            let end = w.find(':').unwrap_or(w.len());
            header_attr(&words, Span::new(ls + s, ls + s + end), Some(word_index))
        }
    }
}

fn header_attr(words: &[(usize, &str)], replace: Span, current: Option<usize>) -> Spot {
    let present = words
        .iter()
        .enumerate()
        .skip(2)
        .filter(|&(i, _)| Some(i) != current)
        .filter_map(|(_, (_, w))| w.split_once(':').map(|(k, _)| k.to_string()))
        .collect();
    Spot::SqlHeaderAttr { replace, present }
}

/// Whitespace-separated words with their offsets in the line.
fn split_words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &line[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &line[s..]));
    }
    out
}
