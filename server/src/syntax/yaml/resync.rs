//! Reading on after a syntax error in a block-style changelog.
//!
//! Liquibase rejects the whole file, but an editor should still see the changesets after a typo. The
//! `databaseChangeLog` list items are independent, so after an error the text is parsed again from
//! the next item that starts at the list's own indentation, with everything from the first item up to
//! there blanked out (same byte length, so every offset stays right). The items that parse are added
//! after the ones read before the error.

use super::tree::{Kind, Node};

/// The items of the block `databaseChangeLog:` list of a tree root, if it has one.
pub fn items_mut(root: &mut Node) -> Option<&mut Node> {
    let Kind::Map(entries) = &mut root.kind else {
        return None;
    };
    let (_, value) = entries
        .iter_mut()
        .rev()
        .find(|(k, _)| k.text() == Some("databaseChangeLog"))?;
    matches!(value.kind, Kind::Seq(_)).then_some(value)
}

/// Where the list items start (the line of the first item) and the column of their `-`.
pub fn item_layout(text: &str, first_item: usize) -> Option<(usize, usize)> {
    let first_item = first_item.min(text.len());
    let line_start = text[..first_item].rfind('\n').map_or(0, |i| i + 1);
    let dash = text[line_start..first_item].find('-')?;
    text[line_start..line_start + dash]
        .bytes()
        .all(|b| b == b' ')
        .then_some((line_start, dash))
}

/// The start of the first line after `after` that begins a list item at column `dash`.
pub fn next_item(text: &str, after: usize, dash: usize) -> Option<usize> {
    let mut at = after.min(text.len());
    loop {
        at += text[at..].find('\n')? + 1;
        let line = &text[at..];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == dash && (line[indent..].starts_with("- ") || line[indent..].starts_with("-\n"))
        {
            return Some(at);
        }
    }
}

/// `text` with `[from, to)` blanked: every byte but line breaks becomes a space.
pub fn blank(text: &str, from: usize, to: usize) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..from]);
    out.extend(
        text[from..to]
            .bytes()
            .map(|b| if b == b'\n' { '\n' } else { ' ' }),
    );
    out.push_str(&text[to..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_next_item_at_the_same_indentation() {
        let t = "databaseChangeLog:\n  - a: 1\n    b: \"x\n  - c: 2\n";
        let (line, dash) = item_layout(t, t.find("a:").unwrap()).unwrap();
        assert_eq!((line, dash), (19, 2));
        let next = next_item(t, t.find("\"x").unwrap(), dash).unwrap();
        assert!(t[next..].starts_with("  - c"));
        let b = blank(t, line, next);
        assert_eq!(b.len(), t.len());
        assert_eq!(&b[next..], &t[next..]);
        assert!(b[line..next].trim().is_empty());
    }
}
