//! One usearch HNSW index (cosine, f32) per tier, persisted beside a manifest that names the model and
//! the chunk hashes in key order, and the sha256 of the index file itself. A loaded index is trusted only
//! when all of that matches; anything else (another model, an edited chunk, a truncated or corrupt
//! file) rebuilds it from the vectors, which the embedding cache already holds.
//!
//! The tier's vectors also stay in memory: MMR needs them, and the benchmark compares the HNSW answers
//! with exact search over them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

use super::chunk::Tier;
use super::hex;
use super::vectors::write_atomic;

/// Layout version of the persisted files; bumping it rebuilds every index.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Manifest {
    version: u32,
    tier: String,
    model: String,
    dim: usize,
    /// Hex sha256 of each chunk's search text, in key order.
    chunks: Vec<String>,
    /// Hex sha256 of the `.usearch` file.
    index_sha256: String,
}

/// How the index came to be, for `kb index` and the logs.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Loaded,
    Built,
    /// A persisted index existed but could not be trusted.
    Rebuilt(String),
}

pub struct TierIndex {
    pub tier: Tier,
    /// Position in this index -> the knowledge base's chunk number.
    pub chunks: Vec<usize>,
    pub vectors: Vec<Vec<f32>>,
    hnsw: Option<Index>,
}

impl TierIndex {
    /// Loads the persisted index for these vectors, or builds and persists a new one.
    /// `items`: (chunk number, chunk hash, unit vector), in a stable order.
    pub fn open(
        dir: &Path,
        tier: Tier,
        model: &str,
        items: Vec<(usize, [u8; 32], Vec<f32>)>,
    ) -> (TierIndex, Outcome) {
        let dim = items.first().map_or(0, |i| i.2.len());
        let manifest = Manifest {
            version: VERSION,
            tier: tier.as_str().into(),
            model: model.into(),
            dim,
            chunks: items.iter().map(|i| hex(&i.1)).collect(),
            index_sha256: String::new(),
        };
        let (chunks, vectors): (Vec<usize>, Vec<Vec<f32>>) =
            items.into_iter().map(|(n, _, v)| (n, v)).unzip();
        let mut out = TierIndex {
            tier,
            chunks,
            vectors,
            hnsw: None,
        };
        if out.vectors.is_empty() {
            return (out, Outcome::Built);
        }
        let (index_path, manifest_path) = paths(dir, tier);
        let reason = match load(&index_path, &manifest_path, &manifest, out.vectors.len()) {
            Ok(index) => {
                out.hnsw = Some(index);
                return (out, Outcome::Loaded);
            }
            Err(r) => r,
        };
        match build(&out.vectors) {
            Ok(index) => {
                if let Err(e) = persist(&index, &index_path, &manifest_path, manifest) {
                    tracing::warn!("cannot save the {} index: {e}", tier.as_str());
                }
                out.hnsw = Some(index);
            }
            // Search falls back to exact search over the vectors.
            Err(e) => tracing::warn!("cannot build the {} index: {e}", tier.as_str()),
        }
        let outcome = if reason.is_empty() {
            Outcome::Built
        } else {
            Outcome::Rebuilt(reason)
        };
        (out, outcome)
    }

    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// The `k` nearest chunks by cosine similarity (HNSW): (position, similarity), best first.
    pub fn search(&self, query: &[f32], k: usize) -> Vec<(usize, f32)> {
        let Some(index) = &self.hnsw else {
            return self.exact(query, k);
        };
        match index.search(query, k.min(self.len())) {
            Ok(m) => m
                .keys
                .iter()
                .zip(&m.distances)
                .map(|(&key, &d)| (key as usize, 1.0 - d))
                .filter(|(p, _)| *p < self.len())
                .collect(),
            Err(_) => self.exact(query, k),
        }
    }

    /// The `k` nearest by brute force: the ground truth the HNSW answer is measured against.
    pub fn exact(&self, query: &[f32], k: usize) -> Vec<(usize, f32)> {
        let mut all: Vec<(usize, f32)> = self
            .vectors
            .iter()
            .enumerate()
            .map(|(i, v)| (i, dot(v, query)))
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1));
        all.truncate(k);
        all
    }
}

pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn paths(dir: &Path, tier: Tier) -> (PathBuf, PathBuf) {
    (
        dir.join(format!("{}.usearch", tier.as_str())),
        dir.join(format!("{}.manifest.json", tier.as_str())),
    )
}

fn options(dim: usize) -> IndexOptions {
    IndexOptions {
        dimensions: dim,
        metric: MetricKind::Cos,
        quantization: ScalarKind::F32,
        connectivity: 16,
        expansion_add: 128,
        // Generous for a few hundred vectors: search stays well under a millisecond.
        expansion_search: 64,
        multi: false,
    }
}

/// The persisted index when its manifest matches `expected` and its bytes hash to what the manifest
/// recorded; otherwise why not (empty when there was simply nothing persisted).
fn load(
    index_path: &Path,
    manifest_path: &Path,
    expected: &Manifest,
    n: usize,
) -> Result<Index, String> {
    let Ok(text) = std::fs::read_to_string(manifest_path) else {
        return Err(String::new());
    };
    let Ok(found) = serde_json::from_str::<Manifest>(&text) else {
        return Err("the manifest is not valid".into());
    };
    if found.model != expected.model {
        return Err("it was built with another model".into());
    }
    let same_layout = found.version == expected.version
        && found.tier == expected.tier
        && found.dim == expected.dim
        && found.chunks == expected.chunks;
    if !same_layout {
        return Err("the knowledge base changed".into());
    }
    let bytes =
        std::fs::read(index_path).map_err(|e| format!("the index file cannot be read: {e}"))?;
    if hex(&Sha256::digest(&bytes)) != found.index_sha256 {
        return Err("the index file does not match its manifest (corrupt or truncated)".into());
    }
    let index =
        Index::restore_from_buffer(&bytes).map_err(|e| format!("usearch cannot load it: {e}"))?;
    if index.size() != n || index.dimensions() != expected.dim {
        return Err("the index holds other vectors".into());
    }
    // The restored options do not carry the search expansion.
    index.change_expansion_search(options(expected.dim).expansion_search);
    Ok(index)
}

fn build(vectors: &[Vec<f32>]) -> Result<Index, String> {
    let index = Index::new(&options(vectors[0].len())).map_err(|e| e.to_string())?;
    index.reserve(vectors.len()).map_err(|e| e.to_string())?;
    for (i, v) in vectors.iter().enumerate() {
        index.add(i as u64, v).map_err(|e| e.to_string())?;
    }
    Ok(index)
}

fn persist(
    index: &Index,
    index_path: &Path,
    manifest_path: &Path,
    mut manifest: Manifest,
) -> Result<(), String> {
    let mut bytes = vec![0u8; index.serialized_length()];
    index
        .save_to_buffer(&mut bytes)
        .map_err(|e| e.to_string())?;
    manifest.index_sha256 = hex(&Sha256::digest(&bytes));
    write_atomic(index_path, &bytes).map_err(|e| e.to_string())?;
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    write_atomic(manifest_path, &json).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic unit vectors: the storage layer is tested without the model (the model's own
    /// tests and the retrieval evaluation use the real one).
    fn items(n: usize, dim: usize, salt: u8) -> Vec<(usize, [u8; 32], Vec<f32>)> {
        (0..n)
            .map(|i| {
                // A small LCG per item: distinct, reproducible directions.
                let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let mut v: Vec<f32> = (0..dim)
                    .map(|_| {
                        x = x
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5
                    })
                    .collect();
                let norm = dot(&v, &v).sqrt();
                v.iter_mut().for_each(|x| *x /= norm);
                let mut h = [salt; 32];
                h[0] = i as u8;
                (i, h, v)
            })
            .collect()
    }

    #[test]
    fn built_then_loaded_then_rebuilt_when_corrupt_or_changed() {
        let dir = std::env::temp_dir().join(format!("lqls-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (idx, o) = TierIndex::open(&dir, Tier::Docs, "m1", items(50, 16, 0));
        assert_eq!(o, Outcome::Built);
        let q = idx.vectors[7].clone();
        assert_eq!(idx.search(&q, 1)[0].0, 7);
        let (idx2, o) = TierIndex::open(&dir, Tier::Docs, "m1", items(50, 16, 0));
        assert_eq!(o, Outcome::Loaded);
        assert_eq!(idx2.search(&q, 3), idx.search(&q, 3));
        // Another model.
        let (_, o) = TierIndex::open(&dir, Tier::Docs, "m2", items(50, 16, 0));
        assert!(
            matches!(o, Outcome::Rebuilt(ref r) if r.contains("model")),
            "{o:?}"
        );
        // A changed chunk.
        let (_, o) = TierIndex::open(&dir, Tier::Docs, "m2", items(50, 16, 1));
        assert!(
            matches!(o, Outcome::Rebuilt(ref r) if r.contains("changed")),
            "{o:?}"
        );
        // A corrupt index file: flipped bytes in the middle.
        let path = dir.join("docs.usearch");
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let (idx3, o) = TierIndex::open(&dir, Tier::Docs, "m2", items(50, 16, 1));
        assert!(
            matches!(o, Outcome::Rebuilt(ref r) if r.contains("corrupt")),
            "{o:?}"
        );
        assert_eq!(idx3.search(&q, 1)[0].0, 7);
        // A truncated one, and a manifest that is not JSON.
        std::fs::write(&path, &bytes[..10]).unwrap();
        let (_, o) = TierIndex::open(&dir, Tier::Docs, "m2", items(50, 16, 1));
        assert!(matches!(o, Outcome::Rebuilt(_)), "{o:?}");
        std::fs::write(dir.join("docs.manifest.json"), "{").unwrap();
        let (_, o) = TierIndex::open(&dir, Tier::Docs, "m2", items(50, 16, 1));
        assert!(
            matches!(o, Outcome::Rebuilt(ref r) if r.contains("manifest")),
            "{o:?}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn empty_tier_searches_to_nothing() {
        let dir = std::env::temp_dir().join(format!("lqls-index-empty-{}", std::process::id()));
        let (idx, _) = TierIndex::open(&dir, Tier::Examples, "m", Vec::new());
        assert!(idx.search(&[1.0, 0.0], 5).is_empty());
    }

    #[test]
    fn hnsw_agrees_with_exact_search() {
        let dir = std::env::temp_dir().join(format!("lqls-index-exact-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (idx, _) = TierIndex::open(&dir, Tier::Guidelines, "m", items(300, 32, 2));
        for i in (0..300).step_by(17) {
            let q = &idx.vectors[i];
            let a: Vec<usize> = idx.search(q, 5).iter().map(|x| x.0).collect();
            let b: Vec<usize> = idx.exact(q, 5).iter().map(|x| x.0).collect();
            assert_eq!(a[0], b[0]);
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
