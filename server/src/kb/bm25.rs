//! Lexical scoring (Okapi BM25) over one tier's chunks. Embeddings find paraphrases; BM25 finds the
//! exact names a reviewer types (`addNotNullConstraint`, `validCheckSum`, `GL-LIVE-002`) that a small
//! embedding model blurs. Identifiers are split at camelCase and punctuation and also kept whole.

use std::collections::HashMap;

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Words too common in this corpus to tell chunks apart.
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "that", "the", "this", "to", "with", "when", "what", "which", "do", "does", "how",
    "i", "we", "should", "can",
];

pub struct Bm25 {
    docs: Vec<HashMap<String, u32>>,
    lengths: Vec<f32>,
    avg_len: f32,
    df: HashMap<String, u32>,
}

impl Bm25 {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Bm25 {
        let mut docs = Vec::new();
        let mut lengths = Vec::new();
        let mut df: HashMap<String, u32> = HashMap::new();
        for t in texts {
            let mut tf: HashMap<String, u32> = HashMap::new();
            let toks = tokens(t);
            lengths.push(toks.len() as f32);
            for tok in toks {
                *tf.entry(tok).or_default() += 1;
            }
            for k in tf.keys() {
                *df.entry(k.clone()).or_default() += 1;
            }
            docs.push(tf);
        }
        let avg_len = if lengths.is_empty() {
            1.0
        } else {
            (lengths.iter().sum::<f32>() / lengths.len() as f32).max(1.0)
        };
        Bm25 {
            docs,
            lengths,
            avg_len,
            df,
        }
    }

    /// BM25 of every document for `query`.
    pub fn scores(&self, query: &str) -> Vec<f32> {
        let n = self.docs.len() as f32;
        let mut q = tokens(query);
        q.sort();
        q.dedup();
        let mut out = vec![0.0; self.docs.len()];
        for term in &q {
            let Some(&df) = self.df.get(term) else {
                continue;
            };
            let idf = ((n - df as f32 + 0.5) / (df as f32 + 0.5) + 1.0).ln();
            for (i, doc) in self.docs.iter().enumerate() {
                if let Some(&tf) = doc.get(term) {
                    let tf = tf as f32;
                    let norm = K1 * (1.0 - B + B * self.lengths[i] / self.avg_len);
                    out[i] += idf * tf * (K1 + 1.0) / (tf + norm);
                }
            }
        }
        out
    }

    /// Scores scaled to 0..1 by the best one (all zero when nothing matched).
    pub fn normalized(&self, query: &str) -> Vec<f32> {
        let mut s = self.scores(query);
        let max = s.iter().cloned().fold(0.0f32, f32::max);
        if max > 0.0 {
            s.iter_mut().for_each(|x| *x /= max);
        }
        s
    }
}

/// Lower-case terms: words split at non-alphanumerics and camelCase humps, plus each identifier whole.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')) {
        let word = word.trim_matches(['-', '_']);
        if word.is_empty() {
            continue;
        }
        let parts = split_identifier(word);
        if parts.len() > 1 {
            out.push(word.to_lowercase());
        }
        for p in parts {
            if !STOP.contains(&p.as_str()) {
                out.push(p);
            }
        }
    }
    out
}

/// `addNotNullConstraint` -> add, not, null, constraint; `snake_case-name` -> snake, case, name.
fn split_identifier(word: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = word.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let hump = c.is_uppercase()
            && i > 0
            && (chars[i - 1].is_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                    && chars[i - 1].is_uppercase());
        if hump && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_split_and_kept_whole() {
        assert_eq!(
            tokens("addNotNullConstraint on user_accounts"),
            [
                "addnotnullconstraint",
                "add",
                "not",
                "null",
                "constraint",
                "user_accounts",
                "user",
                "accounts"
            ]
        );
        assert_eq!(tokens("GL-LIVE-002"), ["gl-live-002", "gl", "live", "002"]);
        assert_eq!(tokens("SQLFile"), ["sqlfile", "sql", "file"]);
    }

    #[test]
    fn rare_terms_rank_first() {
        let idx = Bm25::new([
            "create a table with columns",
            "validCheckSum accepts another checksum for an edited changeset",
            "drop a table and its columns",
        ]);
        let s = idx.normalized("what does validCheckSum do");
        assert_eq!(s[1], 1.0);
        assert_eq!(s[0], 0.0);
        assert!(Bm25::new(Vec::<&str>::new()).scores("x").is_empty());
    }
}
