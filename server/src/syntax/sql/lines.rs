//! Splitting the text into lines the way Java's `BufferedReader.readLine` does (Liquibase reads formatted
//! SQL line by line), keeping each line's byte offset so every diagnostic and span points into the text.

/// One physical line, without its terminator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    pub text: &'a str,
    /// Byte offset of the first character of `text` in the whole document.
    pub start: usize,
    /// 1-based line number, as Liquibase counts in its error messages.
    pub number: usize,
}

impl Line<'_> {
    #[cfg(test)]
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// The span of `text[from..to]` (offsets relative to the line) in document coordinates.
    pub fn span(&self, from: usize, to: usize) -> crate::model::Span {
        crate::model::Span::new(self.start + from, self.start + to)
    }

    /// The line without leading and trailing whitespace, as a document span; the whole line when blank.
    pub fn trimmed_span(&self) -> crate::model::Span {
        let lead = self.text.len() - self.text.trim_start().len();
        let trail = self.text.trim_end().len();
        if trail <= lead {
            self.span(0, self.text.len())
        } else {
            self.span(lead, trail)
        }
    }
}

/// Splits on `\n`, `\r\n` and a lone `\r`, like `readLine`. A leading byte-order mark is skipped (Liquibase
/// strips it when it opens the file). A final terminator does not start another line.
pub fn split(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut number = 1;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let len = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
        out.push(Line {
            text: &text[pos..pos + len],
            start: pos,
            number,
        });
        number += 1;
        pos += len;
        match bytes.get(pos) {
            Some(b'\r') if bytes.get(pos + 1) == Some(&b'\n') => pos += 2,
            Some(_) => pos += 1,
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        split(s).iter().map(|l| l.text).collect()
    }

    #[test]
    fn splits_every_terminator_like_readline() {
        assert_eq!(texts("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(texts("a\n\nb\n"), ["a", "", "b"]);
        assert_eq!(texts("a\r\n\r\nb"), ["a", "", "b"]);
        assert!(texts("").is_empty());
    }

    #[test]
    fn keeps_offsets_and_skips_bom() {
        let s = "\u{feff}ab\r\ncd";
        let lines = split(s);
        assert_eq!(lines[0].start, 3);
        assert_eq!(&s[lines[1].start..lines[1].end()], "cd");
        assert_eq!(lines[1].number, 2);
    }
}
