//! The in-process backend: a quantized GGUF on Candle, on the CPU.
//!
//! Loading: the GGUF is converted once if its quantisation has no fast Candle kernel (`convert`),
//! its tokenizer comes from the metadata (or a tokenizer.json beside it / `[llm] tokenizer`), and its
//! chat template from the vocabulary (or `[llm] template`). Generation keeps the tokens whose keys and
//! values are in the model's cache; the next prompt reuses its longest common prefix with them, which
//! for reviews is at least the system prompt.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use candle_transformers::generation::{LogitsProcessor, Sampling};
use sha2::{Digest, Sha256};

use super::gguf_tokenizer::{self, GgufTokenizer};
use super::model::{meta_str, Model};
use super::settings::LlmSettings;
use super::stop::StopMatcher;
use super::template::ChatTemplate;
use super::{
    convert, Backend, Cancel, Finish, GenParams, Generation, LlmError, Prompt, REPEAT_WINDOW,
};

/// Prompt tokens per forward pass while reading the prompt: large enough to use the matrix kernels
/// well, small enough that a cancellation is noticed within a fraction of a second.
const PREFILL_CHUNK: usize = 128;

pub struct CandleBackend {
    model: Model,
    tokenizer: GgufTokenizer,
    template: ChatTemplate,
    model_id: String,
    name: String,
    pool: Arc<rayon::ThreadPool>,
    /// The tokens whose keys and values are in the model's cache, in order.
    cached: Vec<u32>,
    end_of_turn: Vec<u32>,
}

/// Facts about a loaded model, for logs, progress and `lqls review --json`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ModelInfo {
    pub path: PathBuf,
    /// The file actually run (the converted copy when the original had no fast kernels).
    pub loaded: PathBuf,
    pub architecture: String,
    pub template: String,
    pub context: usize,
    pub threads: usize,
}

impl CandleBackend {
    /// Loads the model `settings` name; `cache_dir` holds converted copies.
    pub fn load(
        settings: &LlmSettings,
        cache_dir: &Path,
    ) -> Result<(CandleBackend, ModelInfo), LlmError> {
        let path = settings.model_path();
        if !path.is_file() {
            return Err(LlmError::MissingModel { path });
        }
        let (loaded, file, content) = convert::ensure_fast(&path, cache_dir)?;
        let mut reader = BufReader::new(file);
        let corrupt = |reason: String| LlmError::Corrupt {
            path: path.clone(),
            reason,
        };
        let arch = meta_str(&content, "general.architecture").map_err(corrupt)?;
        if let Err(reason) = super::model::Arch::from_gguf_name(&arch) {
            return Err(LlmError::Unsupported { path, reason });
        }
        let tokenizer = match tokenizer_file(settings, &path) {
            Some(json) => gguf_tokenizer::from_file(&json)?,
            None => gguf_tokenizer::from_gguf(&content, &path)?,
        };
        let template = match &settings.template {
            Some(name) => ChatTemplate::from_name(name).ok_or_else(|| LlmError::Unsupported {
                path: path.clone(),
                reason: format!(
                    "unknown chat template `{name}` (known: {})",
                    ChatTemplate::NAMES.join(", ")
                ),
            })?,
            None => ChatTemplate::detect(&arch, |t| tokenizer.id_of(t).is_some()),
        };
        let model_id = model_key(settings)?;
        let model = Model::load(&content, &mut reader, settings.context).map_err(corrupt)?;
        let threads = settings.threads();
        // Candle's quantized kernels run on one process-wide pool, sized at its first use from
        // CANDLE_NUM_THREADS (else the core count): set it if the model is the first to load. Our own
        // pool below runs the rest (attention, norms) on the configured threads.
        // RAYON_NUM_THREADS too: without it Candle reads /proc/cpuinfo on every parallel op to count
        // cores (4% of generation time in a profile).
        for var in ["CANDLE_NUM_THREADS", "RAYON_NUM_THREADS"] {
            if std::env::var_os(var).is_none() {
                std::env::set_var(var, threads.to_string());
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("lqls-llm-{i}"))
            .build()
            .map(Arc::new)
            .map_err(|e| LlmError::Inference(format!("cannot start {threads} threads: {e}")))?;
        let mut end_of_turn = tokenizer.eos_ids().to_vec();
        for marker in template.end_markers() {
            if let Some(id) = tokenizer.id_of(marker) {
                end_of_turn.push(id);
            }
        }
        let info = ModelInfo {
            path: path.clone(),
            loaded,
            architecture: arch,
            template: format!("{template:?}"),
            context: model.max_len(),
            threads,
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok((
            CandleBackend {
                model,
                tokenizer,
                template,
                model_id,
                name,
                pool,
                cached: Vec::new(),
                end_of_turn,
            },
            info,
        ))
    }

    fn run(
        &mut self,
        prompt: &Prompt,
        params: &GenParams,
        cancel: &Cancel,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Generation, LlmError> {
        let start = Instant::now();
        let text = self.template.render(prompt);
        let tokens = self.tokenizer.encode(&text, false)?;
        if tokens.is_empty() {
            return Err(LlmError::Inference("the prompt is empty".into()));
        }
        let room = self.model.max_len().saturating_sub(tokens.len());
        if room == 0 {
            return Err(LlmError::Inference(format!(
                "the prompt takes {} tokens, more than the context of {}",
                tokens.len(),
                self.model.max_len()
            )));
        }
        // Keep the cached prefix shared with this prompt; at least one token must run to get logits.
        let common = common_prefix(&self.cached, &tokens).min(tokens.len() - 1);
        self.model.truncate(common);
        self.cached.truncate(common);

        let mut logits = None;
        for chunk in tokens[common..].chunks(PREFILL_CHUNK) {
            if cancel.is_cancelled() {
                logits = None;
                break;
            }
            logits = Some(self.forward(chunk).map_err(infer)?);
            self.cached.extend_from_slice(chunk);
        }
        let first_token_ms = start.elapsed().as_secs_f64() * 1e3;
        let (text, finish, generated) = match logits {
            Some(logits) => {
                self.decode(logits, params, params.max_tokens.min(room), cancel, on_text)?
            }
            None => (String::new(), Finish::Cancelled, 0),
        };
        Ok(Generation {
            text,
            finish,
            prompt_tokens: tokens.len(),
            reused_tokens: common,
            generated_tokens: generated,
            first_token_ms,
            total_ms: start.elapsed().as_secs_f64() * 1e3,
        })
    }

    /// Generates from the prompt's last `logits` until the turn ends, `max_new` tokens, a stop
    /// sequence or `cancel`; returns the text released, why it ended and how many tokens it took.
    fn decode(
        &mut self,
        mut logits: candle_core::Tensor,
        params: &GenParams,
        max_new: usize,
        cancel: &Cancel,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<(String, Finish, usize), LlmError> {
        let sampling = match (params.temperature, params.top_p) {
            (t, _) if t <= 0.0 => Sampling::ArgMax,
            (t, Some(p)) if p < 1.0 => Sampling::TopP { p, temperature: t },
            (t, _) => Sampling::All { temperature: t },
        };
        let mut sampler = LogitsProcessor::from_sampling(params.seed, sampling);
        let mut stops = StopMatcher::new(&params.stop);
        let mut decoder = self.tokenizer.stream();
        let mut out = String::new();
        let mut recent: Vec<u32> = Vec::new();
        let finish = loop {
            if cancel.is_cancelled() {
                break Finish::Cancelled;
            }
            if params.repeat_penalty > 1.0 && !recent.is_empty() {
                logits = candle_transformers::utils::apply_repeat_penalty(
                    &logits,
                    params.repeat_penalty,
                    &recent[recent.len().saturating_sub(REPEAT_WINDOW)..],
                )
                .map_err(infer)?;
            }
            let next = sampler.sample(&logits).map_err(infer)?;
            if self.end_of_turn.contains(&next) {
                break Finish::Stop;
            }
            recent.push(next);
            let piece = decoder.push(&self.tokenizer, next)?;
            let released = stops.push(&piece);
            if !released.is_empty() {
                on_text(&released);
                out.push_str(&released);
            }
            if stops.stopped() {
                break Finish::Stop;
            }
            if recent.len() >= max_new {
                break Finish::Length;
            }
            logits = self.forward(&[next]).map_err(infer)?;
            self.cached.push(next);
        };
        // Text held back as a possible stop sequence that turned out not to be one.
        if !stops.stopped() && finish != Finish::Cancelled {
            let rest = stops.finish();
            if !rest.is_empty() {
                on_text(&rest);
                out.push_str(&rest);
            }
        }
        Ok((out, finish, recent.len()))
    }

    /// One forward pass on the configured threads (Candle's kernels run on the current rayon pool).
    fn forward(&mut self, tokens: &[u32]) -> candle_core::Result<candle_core::Tensor> {
        let model = &mut self.model;
        self.pool.install(|| model.forward(tokens))
    }

    /// Forgets the cache: the next pass starts from position 0.
    fn reset(&mut self) {
        self.model.truncate(0);
        self.cached.clear();
    }

    /// Runs `prompt` from an empty cache and returns the next `n` tokens chosen greedily (no chat
    /// template, no penalty), for the agreement test with llama.cpp and for benchmarks.
    pub fn greedy_ids(&mut self, prompt: &[u32], n: usize) -> Result<Vec<u32>, LlmError> {
        self.reset();
        let mut logits = self.forward(prompt).map_err(infer)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let next = super::model::argmax(&logits).map_err(infer)?;
            out.push(next);
            logits = self.forward(&[next]).map_err(infer)?;
        }
        // The cache holds tokens `cached` does not list: forget them.
        self.reset();
        Ok(out)
    }

    pub fn tokenizer(&self) -> &GgufTokenizer {
        &self.tokenizer
    }

    /// Runs a forward pass over `tokens` from an empty cache (prompt processing), for benchmarks.
    pub fn prefill(&mut self, tokens: &[u32]) -> Result<(), LlmError> {
        self.reset();
        for chunk in tokens.chunks(PREFILL_CHUNK) {
            self.forward(chunk).map_err(infer)?;
        }
        // As in `greedy_ids`: `cached` does not list these tokens, so nothing is reused from them.
        self.reset();
        Ok(())
    }
}

impl Backend for CandleBackend {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn display_name(&self) -> String {
        self.name.clone()
    }

    fn context_window(&self) -> usize {
        self.model.max_len()
    }

    fn count_tokens(&self, text: &str) -> usize {
        self.tokenizer
            .encode(text, false)
            .map(|t| t.len())
            .unwrap_or(text.len() / 2)
    }

    fn generate(
        &mut self,
        prompt: &Prompt,
        params: &GenParams,
        cancel: &Cancel,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Generation, LlmError> {
        let result = self.run(prompt, params, cancel, on_text);
        if result.is_err() {
            // The cache may hold a half-written pass; start the next request from scratch.
            self.reset();
        }
        result
    }
}

/// Where a tokenizer.json comes from, if not from the GGUF: `[llm] tokenizer`, else one beside the model.
fn tokenizer_file(settings: &LlmSettings, model: &Path) -> Option<PathBuf> {
    if let Some(t) = &settings.tokenizer {
        return Some(t.clone());
    }
    let beside = model.with_file_name("tokenizer.json");
    beside.is_file().then_some(beside)
}

fn infer(e: candle_core::Error) -> LlmError {
    LlmError::Inference(e.to_string())
}

fn common_prefix(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The model's identity for review caches, computed without loading it: the file's
/// [`convert::fingerprint`] and the settings that change what the model is asked or answers
/// (template, tokenizer, context).
pub fn model_key(settings: &LlmSettings) -> Result<String, LlmError> {
    let path = settings.model_path();
    let file = File::open(&path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => LlmError::MissingModel { path: path.clone() },
        _ => LlmError::Io {
            path: path.clone(),
            source,
        },
    })?;
    let mut hasher = Sha256::new();
    hasher.update(convert::fingerprint(&path, &file)?);
    hasher.update(
        format!(
            "{:?}\0{:?}\0{}",
            settings.template, settings.tokenizer, settings.context
        )
        .as_bytes(),
    );
    Ok(format!("gguf:{}", crate::kb::hex(&hasher.finalize()[..16])))
}
