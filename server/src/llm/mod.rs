//! The language model behind reviews: one [`Backend`] trait, two implementations.
//!
//! - `candle`: a quantized GGUF run in-process on Candle (CPU). The architecture, tokenizer and chat
//!   template come from the GGUF's metadata; quantisations without a fast CPU path are converted once
//!   and cached (`convert`); the KV cache of the longest prompt prefix shared with the previous request
//!   is kept, so the fixed system prompt is computed once per model load.
//! - `openai`: any OpenAI-compatible chat-completions server (llama.cpp's server, vLLM, Ollama). Nothing
//!   leaves the machine unless this backend is configured.
//!
//! Both stream tokens through a callback and check a [`Cancel`] flag between tokens, so the worker
//! (`worker`) can drop a request the moment its changeset is edited.

pub mod candle;
pub mod convert;
pub mod gguf_tokenizer;
pub mod model;
pub mod openai;
pub mod settings;
pub mod stop;
pub mod template;
pub mod worker;

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use settings::LlmSettings;

use settings::BackendKind;

/// Converted models and other derived files: `$LQLS_CACHE/llm`.
pub fn cache_dir() -> PathBuf {
    crate::kb::source::cache_dir().join("llm")
}

/// Loads the backend `settings` name (which may take seconds: run it off the editor's threads).
pub fn load_backend(settings: &LlmSettings) -> Result<Box<dyn Backend>, LlmError> {
    match settings.backend {
        BackendKind::Candle => {
            let (b, info) = candle::CandleBackend::load(settings, &cache_dir())?;
            tracing::info!(?info, "language model loaded");
            Ok(Box::new(b))
        }
        BackendKind::OpenAi => Ok(Box::new(openai::OpenAiBackend::new(settings)?)),
        BackendKind::Off => Err(LlmError::Unsupported {
            path: PathBuf::from("lqls.toml"),
            reason: "reviews are off ([llm] backend = \"off\")".into(),
        }),
    }
}

/// What review caches key the model by, known without loading it.
pub fn model_key(settings: &LlmSettings) -> Result<String, LlmError> {
    match settings.backend {
        BackendKind::Candle => candle::model_key(settings),
        _ => Ok(format!(
            "openai:{}#{}#{}",
            settings.base_url,
            settings.api_model.as_deref().unwrap_or("default"),
            settings.context
        )),
    }
}

/// A chat prompt: `system` is the fixed part (role, source priorities, output format) that stays the
/// same across requests, which is what makes its KV cache reusable; `user` is the request itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Prompt {
    pub system: String,
    pub user: String,
}

/// How to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct GenParams {
    pub max_tokens: usize,
    /// 0 is greedy (deterministic whatever the seed).
    pub temperature: f64,
    /// Nucleus sampling; `None` or 1.0 samples from the whole distribution.
    pub top_p: Option<f64>,
    pub seed: u64,
    /// Generation stops before any of these strings; they are not part of the text.
    pub stop: Vec<String>,
    /// Divides the logits of tokens generated in the last [`REPEAT_WINDOW`] (1 = off). Small models
    /// decoding greedily fall into loops that repeat one sentence; 1.1 breaks most of them without
    /// keeping the model from repeating an identifier it needs.
    pub repeat_penalty: f32,
}

/// How many of the latest generated tokens the repeat penalty looks at.
pub const REPEAT_WINDOW: usize = 64;

impl Default for GenParams {
    fn default() -> Self {
        GenParams {
            max_tokens: 384,
            temperature: 0.0,
            top_p: None,
            seed: 299_792_458,
            stop: Vec::new(),
            repeat_penalty: 1.1,
        }
    }
}

/// Set from another thread to stop a generation between two tokens. Clones share the flag.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why a generation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Finish {
    /// The model ended its turn, or a stop sequence was reached.
    Stop,
    /// `max_tokens` was reached.
    Length,
    /// [`Cancel`] was set.
    Cancelled,
}

/// A finished (or cancelled) generation, with what it cost.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Generation {
    pub text: String,
    pub finish: Finish,
    /// Tokens in the prompt, including those whose KV cache was reused.
    pub prompt_tokens: usize,
    /// Prompt tokens whose KV cache was reused from the previous request (0 for HTTP backends).
    pub reused_tokens: usize,
    pub generated_tokens: usize,
    /// Milliseconds until the prompt was processed (first token ready).
    pub first_token_ms: f64,
    /// Milliseconds for the whole request.
    pub total_ms: f64,
}

/// What any backend can do.
pub trait Backend: Send {
    /// Identifies the model's behaviour for caches: the same id and prompt give the same review
    /// (a sha256 of the GGUF for Candle; URL and model name for HTTP).
    fn model_id(&self) -> &str;

    /// A short human name (file name or served model name), for progress messages and the README.
    fn display_name(&self) -> String;

    /// The context window the prompt and the generated tokens must fit in.
    fn context_window(&self) -> usize;

    /// Tokens `text` takes in this model's vocabulary (an estimate for backends that cannot tokenize
    /// locally), for fitting the prompt into [`Backend::context_window`].
    fn count_tokens(&self, text: &str) -> usize;

    /// Generates a chat reply to `prompt`, calling `on_text` with each new piece of text as it is
    /// decoded, and returns when the model stops, `max_tokens` is reached or `cancel` is set (then
    /// with [`Finish::Cancelled`] and the text so far).
    fn generate(
        &mut self,
        prompt: &Prompt,
        params: &GenParams,
        cancel: &Cancel,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Generation, LlmError>;
}

/// Why a model could not be loaded or could not generate.
#[derive(Debug)]
pub enum LlmError {
    /// No model file at the configured path.
    MissingModel {
        path: PathBuf,
    },
    /// The file exists but is not a usable model (not GGUF, truncated, missing tensors or metadata).
    Corrupt {
        path: PathBuf,
        reason: String,
    },
    /// A valid GGUF of an architecture lqls cannot run.
    Unsupported {
        path: PathBuf,
        reason: String,
    },
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// The HTTP backend failed: connection, status or a malformed reply.
    Http(String),
    /// The forward pass or the tokenizer failed on this input.
    Inference(String),
}

impl fmt::Display for LlmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LlmError::MissingModel { path } => write!(
                f,
                "language model not found at {}; run scripts/setup-models.sh to install the default \
                 (SmolLM2-135M-Instruct), or set [llm] model in lqls.toml to a GGUF file",
                path.display()
            ),
            LlmError::Corrupt { path, reason } => write!(
                f,
                "{} is not a usable GGUF model: {reason}",
                path.display()
            ),
            LlmError::Unsupported { path, reason } => {
                write!(f, "{} cannot be run by lqls: {reason}", path.display())
            }
            LlmError::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            LlmError::Http(e) => write!(f, "language model server: {e}"),
            LlmError::Inference(e) => write!(f, "language model failed: {e}"),
        }
    }
}

impl std::error::Error for LlmError {}
