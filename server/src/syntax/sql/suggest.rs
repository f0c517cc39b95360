//! "Did you mean" for misspelled header attributes.

/// The closest candidate to `word` (ASCII case-insensitive edit distance), if it is close enough to be a
/// plausible typo: at most two edits, and fewer than a third of the word.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (distance(&w, &c.to_ascii_lowercase()), *c))
        .filter(|&(d, c)| d <= 2 && d * 3 <= c.len().max(w.len()))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over bytes; inputs are short attribute names (capped so a pasted line stays cheap).
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (
        &a.as_bytes()[..a.len().min(64)],
        &b.as_bytes()[..b.len().min(64)],
    );
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_misses() {
        let c = ["runOnChange", "runAlways", "context"];
        assert_eq!(closest("runOnChnage", &c), Some("runOnChange"));
        assert_eq!(closest("contxt", &c), Some("context"));
        assert_eq!(closest("zzz", &c), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
