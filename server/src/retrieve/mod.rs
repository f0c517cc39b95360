//! The cascade retriever: searches the tiers in priority order (the team's guidelines, then example
//! migrations, then Liquibase documentation) and consults a lower tier only while the higher ones have
//! not given enough hits that clear their similarity threshold.
//!
//! Within a tier, candidates come from the HNSW index and from BM25 for every query text; a chunk's
//! similarity is its best cosine over the queries, its score adds the BM25 share; hits below the tier's
//! threshold do not count; MMR picks a diverse set; the project's own chunks come before bundled ones.
//! Guidelines that a rule finding names (`linked`) are always included first: the rule already decided
//! they apply.

pub mod eval;
mod lru;
pub mod mmr;
pub mod query;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::kb::index::dot;
use crate::kb::{Chunk, KbSettings, KnowledgeBase, Origin, Tier};

pub use query::Query;

/// One answer, with what is needed to cite it.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The chunk's number in the knowledge base.
    pub chunk: usize,
    pub tier: Tier,
    /// The ranking score: similarity plus the lexical share.
    pub score: f32,
    /// Best cosine similarity to any query text.
    pub similarity: f32,
    /// Named by a rule finding on the changeset.
    pub linked: bool,
}

/// What one tier gave, in the order consulted: shows where the cascade stopped and why.
#[derive(Clone, Debug, PartialEq)]
pub struct TierReport {
    pub tier: Tier,
    pub hits: usize,
    pub best: f32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub hits: Vec<Hit>,
    pub consulted: Vec<TierReport>,
}

pub struct Retriever {
    pub kb: Arc<KnowledgeBase>,
    pub settings: KbSettings,
    cache: Mutex<lru::Lru<String, Arc<Answer>>>,
    /// Query text -> its vector.
    vectors: Mutex<lru::Lru<String, Vec<f32>>>,
}

impl Retriever {
    pub fn new(kb: Arc<KnowledgeBase>, settings: KbSettings) -> Retriever {
        Retriever {
            kb,
            settings,
            cache: Mutex::new(lru::Lru::new(256)),
            vectors: Mutex::new(lru::Lru::new(1024)),
        }
    }

    pub fn chunk(&self, hit: &Hit) -> &Chunk {
        &self.kb.chunks[hit.chunk]
    }

    /// Answers `q` from the cache, or by embedding its texts and running the cascade.
    pub fn search(&self, q: &Query) -> Result<Arc<Answer>, String> {
        let key = q.cache_key();
        if let Some(a) = self.cache.lock().unwrap().get(&key) {
            return Ok(a);
        }
        let vectors = self.embed_texts(&q.texts)?;
        let answer = Arc::new(self.cascade(q, &vectors));
        self.cache.lock().unwrap().put(key, answer.clone());
        Ok(answer)
    }

    /// Query vectors, each text embedded once: a rule's summary recurs in many changesets' queries.
    fn embed_texts(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
        let mut out: Vec<Option<Vec<f32>>> = {
            let mut cache = self.vectors.lock().unwrap();
            texts.iter().map(|t| cache.get(t)).collect()
        };
        let missing: Vec<&str> = texts
            .iter()
            .zip(&out)
            .filter(|(_, v)| v.is_none())
            .map(|(t, _)| t.as_str())
            .collect();
        if !missing.is_empty() {
            let fresh = self.kb.embedder().embed(&missing)?;
            let mut cache = self.vectors.lock().unwrap();
            let mut fresh = missing.iter().zip(fresh);
            for slot in out.iter_mut().filter(|v| v.is_none()) {
                let (text, v) = fresh.next().expect("one vector per text");
                cache.put(text.to_string(), v.clone());
                *slot = Some(v);
            }
        }
        Ok(out.into_iter().flatten().collect())
    }

    /// The cascade over already embedded query texts.
    pub fn cascade(&self, q: &Query, vectors: &[Vec<f32>]) -> Answer {
        let k = q.k.unwrap_or(self.settings.k);
        let mut answer = Answer::default();
        for tier in Tier::ALL {
            if q.tier.is_some_and(|t| t != tier) {
                continue;
            }
            let left = k.saturating_sub(answer.hits.len());
            if left == 0 {
                break;
            }
            let quota = q.quota.map_or(left, |qs| qs[tier as usize].min(left));
            if quota == 0 {
                continue;
            }
            let (hits, best) = self.tier_hits(tier, q, vectors, quota);
            answer.consulted.push(TierReport {
                tier,
                hits: hits.len(),
                best,
            });
            answer.hits.extend(hits);
        }
        answer
    }

    /// Up to `k` hits of one tier that clear its threshold (linked guidelines always do), and the best
    /// similarity seen.
    fn tier_hits(&self, tier: Tier, q: &Query, vectors: &[Vec<f32>], k: usize) -> (Vec<Hit>, f32) {
        let index = self.kb.tier(tier);
        if index.is_empty() {
            return (Vec::new(), 0.0);
        }
        let w = self.settings.lexical_weight;
        let wide = (k * 4).max(24);
        // position -> (similarity, lexical)
        let mut cands: HashMap<usize, (f32, f32)> = HashMap::new();
        for (text, v) in q.texts.iter().zip(vectors) {
            let lex = if w > 0.0 {
                self.kb.lexical[tier as usize].normalized(text)
            } else {
                Vec::new()
            };
            let mut positions: Vec<usize> =
                index.search(v, wide).into_iter().map(|(p, _)| p).collect();
            if !lex.is_empty() {
                let mut by_lex: Vec<usize> = (0..lex.len()).filter(|&p| lex[p] > 0.0).collect();
                by_lex.sort_by(|&a, &b| lex[b].total_cmp(&lex[a]));
                positions.extend(by_lex.into_iter().take(wide));
            }
            for p in positions {
                let sim = dot(&index.vectors[p], v);
                let l = lex.get(p).copied().unwrap_or(0.0);
                let e = cands.entry(p).or_insert((f32::MIN, 0.0));
                e.0 = e.0.max(sim);
                e.1 = e.1.max(l);
            }
        }
        let best = cands.values().map(|c| c.0).fold(0.0f32, f32::max);
        let threshold = self.settings.threshold(tier);
        // Linked guidelines first, whatever their similarity.
        let mut linked: Vec<Hit> = Vec::new();
        if tier == Tier::Guidelines {
            for id in &q.linked {
                let Some((chunk, _)) = self.kb.guideline(id) else {
                    continue;
                };
                if linked.iter().any(|h| h.chunk == chunk) || linked.len() >= k {
                    continue;
                }
                let Some(p) = index.chunks.iter().position(|&c| c == chunk) else {
                    continue;
                };
                let (sim, lex) = cands.remove(&p).unwrap_or_else(|| {
                    let sim = vectors
                        .iter()
                        .map(|v| dot(&index.vectors[p], v))
                        .fold(f32::MIN, f32::max);
                    (sim.max(0.0), 0.0)
                });
                linked.push(Hit {
                    chunk,
                    tier,
                    score: sim + w * lex,
                    similarity: sim,
                    linked: true,
                });
            }
        }
        let qualified: Vec<(usize, f32, &[f32])> = cands
            .iter()
            .filter(|(_, (sim, _))| *sim >= threshold)
            .map(|(&p, &(sim, lex))| (p, sim + w * lex, index.vectors[p].as_slice()))
            .collect();
        let mut qualified = qualified;
        // HashMap order is arbitrary: sort so that ties resolve the same way every run.
        qualified.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let picked = mmr::select(&qualified, k - linked.len(), self.settings.mmr_lambda);
        let mut hits: Vec<Hit> = picked
            .into_iter()
            .map(|p| {
                let (sim, lex) = cands[&p];
                Hit {
                    chunk: index.chunks[p],
                    tier,
                    score: sim + w * lex,
                    similarity: sim,
                    linked: false,
                }
            })
            .collect();
        // The project's knowledge base is searched ahead of the bundled one (a stable partition keeps
        // each group's MMR order).
        hits.sort_by_key(|h| self.kb.chunks[h.chunk].origin != Origin::Project);
        linked.extend(hits);
        (linked, best)
    }
}

impl Retriever {
    /// Loads the knowledge bases `settings` names, the embedding model, and builds or loads the tier
    /// indexes (`progress`: chunks embedded so far, of how many). An error names what is missing and
    /// how to get it.
    pub fn open(
        settings: KbSettings,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Retriever, String> {
        let loaded = crate::kb::source::load(settings.path.as_deref(), settings.bundled);
        for w in &loaded.warnings {
            tracing::warn!("knowledge base: {w}");
        }
        let embedder =
            crate::kb::embed::Embedder::load(&settings.model_dir()).map_err(|e| e.to_string())?;
        let kb = KnowledgeBase::build(
            loaded,
            Arc::new(embedder),
            &crate::kb::source::cache_dir(),
            progress,
        )?;
        Ok(Retriever::new(Arc::new(kb), settings))
    }
}
