//! Maximal marginal relevance: picks hits that are relevant and unlike the ones already picked, so three
//! near-identical documentation sections do not crowd out a different, useful one. Near-duplicates
//! (the same text in the project's and the bundled knowledge base) are dropped outright.

use crate::kb::index::dot;

/// Above this similarity two chunks say the same thing.
const DUPLICATE: f32 = 0.97;

/// `candidates`: (id, relevance, unit vector). Returns up to `k` ids in pick order.
pub fn select<T: Copy>(candidates: &[(T, f32, &[f32])], k: usize, lambda: f32) -> Vec<T> {
    let mut picked: Vec<usize> = Vec::new();
    let mut left: Vec<usize> = (0..candidates.len()).collect();
    while picked.len() < k && !left.is_empty() {
        let mut best: Option<(usize, f32)> = None;
        left.retain(|&i| {
            !picked
                .iter()
                .any(|&p| dot(candidates[i].2, candidates[p].2) > DUPLICATE)
        });
        for (slot, &i) in left.iter().enumerate() {
            let redundancy = picked
                .iter()
                .map(|&p| dot(candidates[i].2, candidates[p].2))
                .fold(0.0f32, f32::max);
            let value = lambda * candidates[i].1 - (1.0 - lambda) * redundancy;
            if best.is_none_or(|(_, b)| value > b) {
                best = Some((slot, value));
            }
        }
        let Some((slot, _)) = best else { break };
        picked.push(left.remove(slot));
    }
    picked.into_iter().map(|i| candidates[i].0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diversifies_and_drops_duplicates() {
        let a = [1.0, 0.0];
        let a2 = [0.999, 0.0447];
        let b = [0.6, 0.8];
        let c = [0.0, 1.0];
        let cands = [
            (0, 0.9, &a[..]),
            (1, 0.89, &a2[..]),
            (2, 0.7, &b[..]),
            (3, 0.5, &c[..]),
        ];
        // Pure relevance keeps order but still drops the duplicate.
        assert_eq!(select(&cands, 3, 1.0), vec![0, 2, 3]);
        // Diversity prefers the orthogonal one over the half-similar one.
        assert_eq!(select(&cands, 2, 0.5), vec![0, 3]);
        assert!(select::<i32>(&[], 3, 0.7).is_empty());
    }
}
