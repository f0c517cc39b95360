//! Recovery for syntax errors inside flow collections (`{...}`, `[...]`, i.e. all of JSON).
//!
//! saphyr holds back the events of a flow collection until it knows the collection is not a mapping
//! key, that is until its closing bracket. An error inside one (a JSON file cut anywhere) therefore
//! loses every event since the outermost open bracket. To keep what was complete, the text is cut at
//! the last item separator before the error and the open brackets are closed; that repaired text is
//! parsed again. Only the tree is taken from the second parse; the error is the first parse's.

/// What a light scan of the text before an error finds.
pub struct Scan {
    /// Flow brackets still open: (the bracket, where to cut to keep the items complete so far).
    open: Vec<(u8, usize)>,
    /// Where a quoted string that runs up to the error starts: the quote to close.
    pub unclosed_quote: Option<usize>,
}

impl Scan {
    /// Where the outermost flow collection still open at the error starts.
    pub fn first_open(&self) -> Option<usize> {
        self.open.first().map(|(_, cut)| cut - 1)
    }

    /// Where to cut the text and which closing brackets to append; `None` when the error is not
    /// inside a flow collection.
    pub fn plan(&self) -> Option<(usize, String)> {
        let cut = self.open.last()?.1;
        let closers: String = self
            .open
            .iter()
            .rev()
            .map(|(b, _)| if *b == b'[' { ']' } else { '}' })
            .collect();
        Some((cut, format!(" {closers}")))
    }
}

/// Scans `text` up to byte `error` for open flow brackets and an unclosed quote.
pub fn scan(text: &str, error: usize) -> Scan {
    let bytes = text.as_bytes();
    let end = error.min(bytes.len());
    // open brackets: (the bracket, where to cut to keep the items complete so far)
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut unclosed_quote = None;
    // block context: whether a `[`/`{` here would start a flow collection (only where a value starts)
    let mut value_start = true;
    // the last byte that was not white space: in flow context a quote opens a string only where a
    // token starts (`column"` is a plain scalar with a quote in it)
    let mut prev = b'[';
    let mut i = 0;
    while i < end {
        let c = bytes[i];
        let after_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r');
        match c {
            b'#' if after_space => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\''
                if (!open.is_empty() && matches!(prev, b'[' | b'{' | b',' | b':' | b'?'))
                    || (open.is_empty() && value_start) =>
            {
                let closed = skip_quoted(bytes, i, end);
                // a complete string ends a key or value: the text up to here is complete
                if let (Some(after), Some(top)) = (closed, open.last_mut()) {
                    top.1 = after;
                }
                if closed.is_none() {
                    unclosed_quote = Some(i);
                }
                i = closed.unwrap_or(end);
                value_start = false;
                prev = b'"';
                continue;
            }
            b'[' | b'{' if !open.is_empty() || value_start => open.push((c, i + 1)),
            b']' | b'}' if !open.is_empty() => {
                open.pop();
                if let Some(top) = open.last_mut() {
                    top.1 = i + 1;
                }
            }
            b',' => {
                if let Some(top) = open.last_mut() {
                    top.1 = i;
                }
            }
            b'\n' => value_start = true,
            b' ' | b'\t' | b'\r' => {}
            b':' | b'-' | b'?' if open.is_empty() => {
                value_start = bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace());
            }
            _ if open.is_empty() => value_start = false,
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            prev = c;
        }
        i += 1;
    }
    Scan {
        open,
        unclosed_quote,
    }
}

/// The index after the quoted scalar starting at `start`; `None` when it is not closed before `end`.
fn skip_quoted(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < end {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::scan;

    fn plan(t: &str, at: usize) -> Option<(usize, String)> {
        scan(t, at).plan()
    }

    #[test]
    fn closes_open_brackets_before_the_unfinished_item() {
        let t = r#"{"a": [{"b": 1}, {"c": "x"#;
        // the unfinished string is dropped, the key before it kept
        let (cut, closers) = plan(t, t.len()).unwrap();
        assert_eq!(
            format!("{}{closers}", &t[..cut]),
            r#"{"a": [{"b": 1}, {"c" }]}"#
        );
    }

    #[test]
    fn ignores_brackets_in_strings_and_block_text() {
        let t = "a: x[1]\nb: [\"],\", 'it''s', 2, {c";
        let (cut, closers) = plan(t, t.len()).unwrap();
        assert_eq!(
            format!("{}{closers}", &t[..cut]),
            "a: x[1]\nb: [\"],\", 'it''s', 2, { }]"
        );
        assert!(plan("a: b\nc: [1]\n", 12).is_none());
        assert_eq!(scan("a: 'x\nb: c", 10).unclosed_quote, Some(3));
        let t = "[{a\": 1}, {b: \"x";
        assert_eq!(scan(t, t.len()).unclosed_quote, Some(t.len() - 2));
    }
}
