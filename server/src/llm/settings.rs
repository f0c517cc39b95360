//! `[llm]` in lqls.toml (or the client's `lqls.llm` settings):
//!
//! ```toml
//! [llm]
//! backend = "candle"          # "candle" (local GGUF, the default), "openai" (an HTTP server) or "off"
//! model = "~/models/qwen2.5-0.5b-instruct-q8_0.gguf"  # default: the SmolLM2 setup-models.sh installs
//! tokenizer = "tokenizer.json"  # optional: instead of the tokenizer in the GGUF's metadata
//! template = "chatml"          # optional: the chat template (default: chosen by architecture)
//! threads = 2                  # default: the machine's cores
//! context = 2048               # tokens of context at most (default: the model's, capped at 2048)
//! max-tokens = 384
//! temperature = 0.0            # 0 = greedy
//! top-p = 0.9
//! seed = 299792458
//! repeat-penalty = 1.1         # 1 = off
//! diagnostics = false          # also publish finished reviews as information diagnostics (lqls-ai)
//!
//! # backend = "openai"
//! base-url = "http://localhost:8080/v1"
//! api-model = "qwen2.5-7b-instruct"
//! api-key-env = "OPENAI_API_KEY"   # the environment variable holding the key (never the key itself)
//! timeout-secs = 120
//! ```

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::rules::config_files::{expand_home, ConfigFiles};

/// Which backend runs the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    Candle,
    OpenAi,
    Off,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LlmSettings {
    pub backend: BackendKind,
    /// The GGUF file; `None` is the default model.
    pub model: Option<PathBuf>,
    pub tokenizer: Option<PathBuf>,
    pub template: Option<String>,
    /// `None`: as many as the machine has cores.
    pub threads: Option<usize>,
    pub context: usize,
    pub max_tokens: usize,
    pub temperature: f64,
    pub top_p: Option<f64>,
    pub seed: u64,
    pub repeat_penalty: f32,
    pub diagnostics: bool,
    pub base_url: String,
    pub api_model: Option<String>,
    pub api_key_env: Option<String>,
    pub timeout_secs: u64,
}

/// The folder `scripts/setup-models.sh` installs the default model under, and its file.
pub const DEFAULT_MODEL_DIR: &str = "smollm2-135m-instruct";
pub const DEFAULT_MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

impl Default for LlmSettings {
    fn default() -> Self {
        LlmSettings {
            backend: BackendKind::Candle,
            model: None,
            tokenizer: None,
            template: None,
            threads: None,
            context: 2048,
            max_tokens: 384,
            temperature: 0.0,
            top_p: None,
            seed: 299_792_458,
            repeat_penalty: 1.1,
            diagnostics: false,
            base_url: "http://127.0.0.1:8080/v1".to_string(),
            api_model: None,
            api_key_env: None,
            timeout_secs: 120,
        }
    }
}

impl LlmSettings {
    /// Reads the `llm` section, resolving relative paths against `base` (lqls.toml's folder). Invalid
    /// values keep their defaults.
    pub fn from_section(section: Option<&Value>, base: &Path) -> LlmSettings {
        let mut s = LlmSettings::default();
        let Some(v) = section else {
            return s;
        };
        let str_of = |key: &str| v.get(key).and_then(Value::as_str);
        let num = |key: &str| v.get(key).and_then(Value::as_f64);
        let int = |key: &str| v.get(key).and_then(Value::as_u64);
        match str_of("backend") {
            Some("openai") => s.backend = BackendKind::OpenAi,
            Some("off") => s.backend = BackendKind::Off,
            _ => {}
        }
        s.model = str_of("model").map(|m| expand_home(m, base));
        s.tokenizer = str_of("tokenizer").map(|m| expand_home(m, base));
        s.template = str_of("template").map(str::to_string);
        if let Some(t) = int("threads") {
            s.threads = Some((t as usize).clamp(1, 256));
        }
        if let Some(c) = int("context") {
            s.context = (c as usize).clamp(256, 131_072);
        }
        if let Some(m) = int("max-tokens") {
            s.max_tokens = (m as usize).clamp(1, 8192);
        }
        if let Some(t) = num("temperature") {
            s.temperature = t.clamp(0.0, 5.0);
        }
        if let Some(p) = num("top-p") {
            s.top_p = Some(p.clamp(0.0, 1.0));
        }
        if let Some(seed) = int("seed") {
            s.seed = seed;
        }
        if let Some(p) = num("repeat-penalty") {
            s.repeat_penalty = p.clamp(1.0, 2.0) as f32;
        }
        if let Some(d) = v.get("diagnostics").and_then(Value::as_bool) {
            s.diagnostics = d;
        }
        if let Some(u) = str_of("base-url") {
            s.base_url = u.trim_end_matches('/').to_string();
        }
        s.api_model = str_of("api-model").map(str::to_string);
        s.api_key_env = str_of("api-key-env").map(str::to_string);
        if let Some(t) = int("timeout-secs") {
            s.timeout_secs = t.clamp(1, 3600);
        }
        s
    }

    /// The settings for a workspace folder: the `[llm]` section of the nearest lqls.toml.
    pub fn for_folder(configs: &ConfigFiles, dir: &Path) -> LlmSettings {
        let (section, base) = configs.section_for_folder(dir, "llm");
        LlmSettings::from_section(section.as_ref(), &base)
    }

    /// The GGUF to load: configured, else the default model's place in the model cache.
    pub fn model_path(&self) -> PathBuf {
        self.model.clone().unwrap_or_else(|| {
            crate::kb::embed::models_dir()
                .join(DEFAULT_MODEL_DIR)
                .join(DEFAULT_MODEL_FILE)
        })
    }

    pub fn threads(&self) -> usize {
        self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
    }

    pub fn gen_params(&self) -> super::GenParams {
        super::GenParams {
            max_tokens: self.max_tokens,
            temperature: self.temperature,
            top_p: self.top_p,
            seed: self.seed,
            stop: Vec::new(),
            repeat_penalty: self.repeat_penalty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_and_overrides() {
        let base = Path::new("/proj");
        let d = LlmSettings::from_section(None, base);
        assert_eq!(d.backend, BackendKind::Candle);
        assert!(d.model_path().ends_with(DEFAULT_MODEL_FILE));
        let s = LlmSettings::from_section(
            Some(
                &json!({"backend": "openai", "model": "m.gguf", "threads": 0, "top-p": 2.0,
                         "base-url": "http://h:1/v1/", "api-key-env": "K", "context": 10}),
            ),
            base,
        );
        assert_eq!(s.backend, BackendKind::OpenAi);
        assert_eq!(s.model_path(), PathBuf::from("/proj/m.gguf"));
        assert_eq!(s.threads(), 1);
        assert_eq!(s.top_p, Some(1.0));
        assert_eq!(s.base_url, "http://h:1/v1");
        assert_eq!(s.api_key_env.as_deref(), Some("K"));
        assert_eq!(s.context, 256);
    }
}
