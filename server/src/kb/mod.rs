//! The knowledge base: guidelines, example migrations and Liquibase documentation, cut into chunks
//! (`chunk`), embedded with all-MiniLM-L6-v2 on Candle (`embed`) behind an on-disk vector cache
//! (`vectors`), and indexed per tier in usearch (`index`) and BM25 (`bm25`). `retrieve` searches it.
//!
//! Building is the slow part (embedding every chunk the first time: 35-40 s for the bundled
//! knowledge base on two cores, in the background); afterwards only changed chunks are embedded and the
//! persisted indexes are loaded (about 20 ms).

pub mod bm25;
pub mod chunk;
pub mod embed;
pub mod index;
pub mod settings;
pub mod source;
pub mod vectors;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use sha2::{Digest, Sha256};

pub use chunk::{Chunk, Origin, Tier};
pub use settings::KbSettings;

use bm25::Bm25;
use index::{Outcome, TierIndex};
use vectors::VectorCache;

/// Turns texts into unit vectors. The MiniLM embedder is the implementation; the trait keeps the
/// knowledge base independent of how vectors are made.
pub trait Embed: Send + Sync {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String>;
    /// Names the model: vectors of different models never mix.
    fn model_id(&self) -> &str;
}

impl Embed for embed::Embedder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        embed::Embedder::embed(self, texts).map_err(|e| e.to_string())
    }
    fn model_id(&self) -> &str {
        embed::Embedder::model_id(self)
    }
}

/// What building did, for `kb index`, `kb stats` and the logs.
#[derive(Clone, Debug, Default)]
pub struct BuildStats {
    pub embedded: usize,
    pub cached: usize,
    pub outcomes: Vec<(Tier, Outcome)>,
    pub millis: u128,
}

pub struct KnowledgeBase {
    pub chunks: Vec<Chunk>,
    /// In [`Tier::ALL`] order.
    pub tiers: Vec<TierIndex>,
    pub lexical: Vec<Bm25>,
    pub warnings: Vec<String>,
    pub roots: Vec<(Origin, PathBuf)>,
    pub stats: BuildStats,
    embedder: Arc<dyn Embed>,
}

impl KnowledgeBase {
    /// Embeds what the vector cache lacks (reporting `(done, total)` to `progress`), then opens each
    /// tier's index under `cache`.
    pub fn build(
        loaded: source::Loaded,
        embedder: Arc<dyn Embed>,
        cache: &Path,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<KnowledgeBase, String> {
        let start = Instant::now();
        let model = embedder.model_id().to_string();
        let kb_dir = cache.join("kb");
        let mut vectors = VectorCache::open(VectorCache::path_for(&kb_dir, &model), embed::DIM);
        let missing: Vec<usize> = (0..loaded.chunks.len())
            .filter(|&i| vectors.get(&loaded.chunks[i].hash).is_none())
            .collect();
        let mut stats = BuildStats {
            embedded: missing.len(),
            cached: loaded.chunks.len() - missing.len(),
            ..Default::default()
        };
        // Chunks are long (up to 256 tokens): a batch of 16 held the server at 546 MiB while embedding,
        // a batch of 4 at 249 MiB, in the same time (long texts gain little from batching).
        const BATCH: usize = 4;
        for (n, batch) in missing.chunks(BATCH).enumerate() {
            progress(n * BATCH, missing.len());
            let texts: Vec<&str> = batch
                .iter()
                .map(|&i| loaded.chunks[i].search_text.as_str())
                .collect();
            let vecs = embedder.embed(&texts)?;
            for (&i, v) in batch.iter().zip(vecs) {
                vectors.insert(loaded.chunks[i].hash, v);
            }
        }
        progress(missing.len(), missing.len());
        if !missing.is_empty() {
            if let Err(e) = vectors.save() {
                tracing::warn!("cannot save the embedding cache: {e}");
            }
        }
        let index_dir = kb_dir.join("index").join(roots_key(&loaded.roots));
        let mut tiers = Vec::new();
        let mut lexical = Vec::new();
        for tier in Tier::ALL {
            let items: Vec<(usize, [u8; 32], Vec<f32>)> = loaded
                .chunks
                .iter()
                .enumerate()
                .filter(|(_, c)| c.tier == tier)
                .filter_map(|(i, c)| Some((i, c.hash, vectors.get(&c.hash)?.to_vec())))
                .collect();
            let (idx, outcome) = TierIndex::open(&index_dir, tier, &model, items);
            lexical.push(Bm25::new(
                idx.chunks
                    .iter()
                    .map(|&i| loaded.chunks[i].search_text.as_str()),
            ));
            stats.outcomes.push((tier, outcome));
            tiers.push(idx);
        }
        stats.millis = start.elapsed().as_millis();
        Ok(KnowledgeBase {
            chunks: loaded.chunks,
            tiers,
            lexical,
            warnings: loaded.warnings,
            roots: loaded.roots,
            stats,
            embedder,
        })
    }

    pub fn embedder(&self) -> &dyn Embed {
        &*self.embedder
    }

    /// The embedder, to build the next version of the knowledge base with the model already loaded.
    pub fn embedder_arc(&self) -> Arc<dyn Embed> {
        self.embedder.clone()
    }

    pub fn tier(&self, tier: Tier) -> &TierIndex {
        &self.tiers[tier as usize]
    }

    pub fn count(&self, tier: Tier) -> usize {
        self.chunks.iter().filter(|c| c.tier == tier).count()
    }

    /// The guideline section with this id (the project's ahead of the bundled one).
    pub fn guideline(&self, id: &str) -> Option<(usize, &Chunk)> {
        self.chunks
            .iter()
            .enumerate()
            .find(|(_, c)| c.guideline_id.as_deref() == Some(id))
    }
}

/// Lower-case hex of `bytes`: digests in file names, manifests and the model id.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Folder name for one set of knowledge-base roots: two projects with different knowledge bases keep
/// separate indexes; every project with only the bundled one shares it.
fn roots_key(roots: &[(Origin, PathBuf)]) -> String {
    let mut h = Sha256::new();
    for (o, p) in roots {
        h.update(o.as_str().as_bytes());
        if *o == Origin::Project {
            h.update(p.to_string_lossy().as_bytes());
        }
        h.update([0]);
    }
    hex(&h.finalize()[..8])
}

#[cfg(test)]
mod tests;
