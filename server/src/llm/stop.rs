//! Stop sequences over streamed text: text is released only once it cannot be the start of a stop
//! sequence, so a client never sees half of `</review>` before generation stops at it.

pub struct StopMatcher {
    stops: Vec<String>,
    /// Text decoded but not yet released.
    pending: String,
    stopped: bool,
}

impl StopMatcher {
    pub fn new(stops: &[String]) -> StopMatcher {
        StopMatcher {
            stops: stops.iter().filter(|s| !s.is_empty()).cloned().collect(),
            pending: String::new(),
            stopped: false,
        }
    }

    /// Adds decoded text; returns what can be released now. After a stop sequence is found,
    /// [`StopMatcher::stopped`] is true and the text before it is the last release.
    pub fn push(&mut self, text: &str) -> String {
        if self.stopped {
            return String::new();
        }
        self.pending.push_str(text);
        if let Some(at) = self
            .stops
            .iter()
            .filter_map(|s| self.pending.find(s.as_str()))
            .min()
        {
            self.stopped = true;
            let out = self.pending[..at].to_string();
            self.pending.clear();
            return out;
        }
        // Hold back the longest tail that is a prefix of some stop sequence.
        let hold = self
            .stops
            .iter()
            .map(|s| longest_suffix_prefix(&self.pending, s))
            .max()
            .unwrap_or(0);
        let cut = self.pending.len() - hold;
        let out = self.pending[..cut].to_string();
        self.pending.drain(..cut);
        out
    }

    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Releases what was held back (at the end of generation without a stop).
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.pending)
    }
}

/// The length of the longest suffix of `text` that is a proper prefix of `stop`, on char boundaries.
fn longest_suffix_prefix(text: &str, stop: &str) -> usize {
    let max = text.len().min(stop.len().saturating_sub(1));
    (1..=max)
        .rev()
        .find(|&n| {
            text.is_char_boundary(text.len() - n)
                && stop
                    .as_bytes()
                    .starts_with(&text.as_bytes()[text.len() - n..])
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(stops: &[&str], pieces: &[&str]) -> (String, bool) {
        let stops: Vec<String> = stops.iter().map(|s| s.to_string()).collect();
        let mut m = StopMatcher::new(&stops);
        let mut out = String::new();
        for p in pieces {
            out.push_str(&m.push(p));
            if m.stopped() {
                return (out, true);
            }
        }
        out.push_str(&m.finish());
        (out, false)
    }

    #[test]
    fn stops_across_pieces_without_leaking_the_marker() {
        assert_eq!(
            run(&["</end>"], &["abc</", "en", "d>tail"]),
            ("abc".into(), true)
        );
    }

    #[test]
    fn releases_a_false_start() {
        assert_eq!(run(&["</end>"], &["a</e", "x"]), ("a</ex".into(), false));
    }

    #[test]
    fn no_stops_passes_everything() {
        assert_eq!(run(&[], &["é", "ü"]), ("éü".into(), false));
    }

    #[test]
    fn multibyte_tail() {
        assert_eq!(run(&["éa"], &["xé", "b"]), ("xéb".into(), false));
        assert_eq!(run(&["éa"], &["xé", "a"]), ("x".into(), true));
    }
}
