//! Sentence embeddings with all-MiniLM-L6-v2 on Candle (CPU).
//!
//! The vectors must match what sentence-transformers computes for the same model (the knowledge base
//! may be built by one and queried by the other): BERT over the tokens, mean pooling over the real
//! (unpadded) tokens, then L2 normalisation, with inputs truncated at the model's 256 tokens.
//! `scripts/setup-models.sh` installs the model files; `tests/embed.rs` checks the vectors against
//! reference vectors from sentence-transformers.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use sha2::{Digest, Sha256};
use tokenizers::{
    pad_encodings, Encoding, PaddingDirection, PaddingParams, PaddingStrategy, Tokenizer,
    TruncationDirection, TruncationParams, TruncationStrategy,
};

/// The length of every embedding vector (the model's hidden size).
pub const DIM: usize = 384;

/// Texts per forward pass unless the caller says otherwise. On 2 cores and changeset-like texts (73
/// tokens on average) batch 16 embeds about 50 texts/s, batch 1 31/s, batch 32 no more than 16
/// (`benches/embed.rs`); smaller batches also keep one long text from padding many short ones.
pub const DEFAULT_BATCH: usize = 16;

/// The model's `max_seq_length` (its sentence_bert_config.json): longer inputs are cut, as
/// sentence-transformers does, so both give the same vector for a long text.
const MAX_TOKENS: usize = 256;

/// The folder name `scripts/setup-models.sh` installs the model under.
const MODEL_NAME: &str = "all-minilm-l6-v2";

/// The files the embedder reads, in the order they enter the model id.
const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Where the model id of a model folder is cached (see [`Embedder::model_id`]).
const ID_SIDECAR: &str = ".lqls-model-id";

/// Why the embedder could not be loaded or could not embed.
#[derive(Debug)]
pub enum EmbedError {
    /// The model folder or some of its files do not exist.
    MissingModel { dir: PathBuf, missing: Vec<String> },
    /// A model file exists but cannot be used.
    Corrupt { file: PathBuf, reason: String },
    /// A model file could not be read.
    Io { file: PathBuf, source: io::Error },
    /// The tokenizer rejected an input.
    Tokenize(String),
    /// The forward pass failed (a bug or an inconsistent model, not bad input).
    Inference(String),
}

impl fmt::Display for EmbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmbedError::MissingModel { dir, missing } => write!(
                f,
                "embedding model not found in {} (missing: {}); run scripts/setup-models.sh to install it, \
                 or set LQLS_EMBED_MODEL to a folder holding {}",
                dir.display(),
                missing.join(", "),
                MODEL_FILES.join(", ")
            ),
            EmbedError::Corrupt { file, reason } => write!(
                f,
                "embedding model file {} is unusable: {reason}; run scripts/setup-models.sh to reinstall it",
                file.display()
            ),
            EmbedError::Io { file, source } => write!(f, "cannot read {}: {source}", file.display()),
            EmbedError::Tokenize(e) => write!(f, "tokenizer failed: {e}"),
            EmbedError::Inference(e) => write!(f, "embedding model failed: {e}"),
        }
    }
}

impl std::error::Error for EmbedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EmbedError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<candle_core::Error> for EmbedError {
    fn from(e: candle_core::Error) -> Self {
        EmbedError::Inference(e.to_string())
    }
}

/// The model folder: `$LQLS_EMBED_MODEL`, else `$LQLS_MODELS/all-minilm-l6-v2`, else
/// `~/.cache/lqls/models/all-minilm-l6-v2` (where `scripts/setup-models.sh` puts it by default).
pub fn default_model_dir() -> PathBuf {
    if let Some(dir) = non_empty_env("LQLS_EMBED_MODEL") {
        return dir;
    }
    models_dir().join(MODEL_NAME)
}

/// Where `scripts/setup-models.sh` installs every model: `$LQLS_MODELS`, else `~/.cache/lqls/models`.
pub fn models_dir() -> PathBuf {
    non_empty_env("LQLS_MODELS").unwrap_or_else(|| {
        let home = non_empty_env("HOME").unwrap_or_else(|| PathBuf::from("."));
        home.join(".cache/lqls/models")
    })
}

fn non_empty_env(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// all-MiniLM-L6-v2, loaded once and shared: `embed` takes `&self`, so one `Arc<Embedder>` serves the
/// server's worker thread and the CLI alike.
pub struct Embedder {
    model: BertModel,
    /// Truncates at [`MAX_TOKENS`] and never pads: padding is per batch, after sorting by length.
    tokenizer: Tokenizer,
    padding: PaddingParams,
    device: Device,
    model_id: String,
}

// The server moves the embedder to a worker thread and may share it; fail the build, not the server,
// if a dependency ever stops being thread-safe.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Embedder>();
};

impl Embedder {
    /// Loads the model from `dir` (see [`default_model_dir`]).
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        check_files(dir)?;
        let config = load_config(&dir.join("config.json"))?;
        let (tokenizer, padding) = load_tokenizer(&dir.join("tokenizer.json"))?;
        let device = Device::Cpu;
        let model = load_weights(&dir.join("model.safetensors"), &config, &device)?;
        let model_id = model_id(dir)?;
        Ok(Embedder {
            model,
            tokenizer,
            padding,
            device,
            model_id,
        })
    }

    /// A stable id of the model: the hex sha256 over its three files. An index built with another
    /// model (or another version of its files) has incomparable vectors, so it is stored with this id.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// One unit vector of [`DIM`] floats per text, in the order of `texts`.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed_batched(texts, DEFAULT_BATCH)
    }

    /// As [`Embedder::embed`], with at most `batch` texts per forward pass (0 counts as 1).
    ///
    /// Texts are grouped by token count so that a batch pads its short texts only up to similar
    /// lengths: padding costs as much as real tokens. Sorting by tokens rather than bytes halves the
    /// padding of changeset-like texts (13 % to 6 % of the tokens).
    pub fn embed_batched(&self, texts: &[&str], batch: usize) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| encodings[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(batch.max(1)) {
            let mut group: Vec<Encoding> = chunk
                .iter()
                .map(|&i| std::mem::take(&mut encodings[i]))
                .collect();
            pad_encodings(&mut group, &self.padding)
                .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
            for (&i, v) in chunk.iter().zip(self.embed_padded(&group)?) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// One forward pass over encodings of equal (padded) length: BERT, pooling, normalisation.
    fn embed_padded(&self, encodings: &[Encoding]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let ids = self.batch_tensor(encodings, |e| e.get_ids())?;
        let type_ids = self.batch_tensor(encodings, |e| e.get_type_ids())?;
        let mask = self.batch_tensor(encodings, |e| e.get_attention_mask())?;
        let hidden = self.model.forward(&ids, &type_ids, Some(&mask))?;
        let pooled = mean_pool(&hidden, &mask)?;
        Ok(l2_normalise(&pooled)?.to_vec2::<f32>()?)
    }

    /// A (batch, tokens) u32 tensor of one field of the encodings, all of the same (padded) length.
    fn batch_tensor(
        &self,
        encodings: &[Encoding],
        field: impl Fn(&Encoding) -> &[u32],
    ) -> Result<Tensor, EmbedError> {
        let len = encodings.first().map_or(0, |e| field(e).len());
        let flat: Vec<u32> = encodings.iter().flat_map(|e| field(e).to_vec()).collect();
        if flat.len() != encodings.len() * len {
            return Err(EmbedError::Tokenize(
                "encodings of one batch have different lengths".into(),
            ));
        }
        Ok(Tensor::from_vec(
            flat,
            (encodings.len(), len),
            &self.device,
        )?)
    }
}

/// The mean of the token vectors over the attention mask: padding does not count, so a text gets the
/// same vector in any batch. `hidden` is (batch, tokens, DIM), `mask` (batch, tokens).
fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let sum = hidden.broadcast_mul(&mask)?.sum(1)?;
    // Every text has at least [CLS] and [SEP]; the floor is what sentence-transformers uses anyway.
    let count = mask.sum(1)?.clamp(1e-9f32, f32::MAX)?;
    sum.broadcast_div(&count)
}

/// Each row divided by its Euclidean norm (floored like torch's `F.normalize`), so that the dot
/// product of two vectors is their cosine similarity.
fn l2_normalise(v: &Tensor) -> candle_core::Result<Tensor> {
    let norm = v.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12f32, f32::MAX)?;
    v.broadcast_div(&norm)
}

/// Fails with the list of missing files, so the message tells in one go what to install.
fn check_files(dir: &Path) -> Result<(), EmbedError> {
    let missing: Vec<String> = MODEL_FILES
        .iter()
        .filter(|f| !dir.join(f).is_file())
        .map(|f| f.to_string())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(EmbedError::MissingModel {
            dir: dir.to_path_buf(),
            missing,
        })
    }
}

fn load_config(path: &Path) -> Result<Config, EmbedError> {
    let text = fs::read_to_string(path).map_err(|source| EmbedError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    let config: Config = serde_json::from_str(&text).map_err(|e| corrupt(path, e))?;
    // The index stores DIM floats per vector; another hidden size means another model.
    if config.hidden_size != DIM {
        return Err(corrupt(
            path,
            format!("hidden_size is {}, expected {DIM}", config.hidden_size),
        ));
    }
    Ok(config)
}

/// The tokenizer, and the padding to apply per batch. The file pads every input to 128 tokens and cuts
/// there, which would waste work on short texts and change long ones: sentence-transformers cuts at
/// the model's 256 tokens and pads to the longest text of each batch, and so does the embedder.
fn load_tokenizer(path: &Path) -> Result<(Tokenizer, PaddingParams), EmbedError> {
    let mut tokenizer = Tokenizer::from_file(path).map_err(|e| corrupt(path, e))?;
    let padding = PaddingParams {
        strategy: PaddingStrategy::BatchLongest,
        direction: PaddingDirection::Right,
        pad_to_multiple_of: None,
        pad_id: tokenizer.token_to_id("[PAD]").unwrap_or(0),
        pad_type_id: 0,
        pad_token: "[PAD]".into(),
    };
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            direction: TruncationDirection::Right,
            max_length: MAX_TOKENS,
            strategy: TruncationStrategy::LongestFirst,
            stride: 0,
        }))
        .map_err(|e| corrupt(path, e))?;
    Ok((tokenizer, padding))
}

fn load_weights(path: &Path, config: &Config, device: &Device) -> Result<BertModel, EmbedError> {
    // SAFETY: the map is read while BertModel::load copies the weights into its own tensors and is
    // dropped before this returns; the file would have to be rewritten during those milliseconds
    // (setup-models.sh replaces files by rename, which leaves the mapped one intact).
    let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[path], DType::F32, device) }
        .map_err(|e| corrupt(path, e))?;
    BertModel::load(vb, config).map_err(|e| corrupt(path, e))
}

fn corrupt(path: &Path, reason: impl fmt::Display) -> EmbedError {
    EmbedError::Corrupt {
        file: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// The hex sha256 over the model files (each preceded by its name and size, so that bytes cannot move
/// between files unnoticed). Hashing 90 MB takes a noticeable part of a second, so the digest is kept in
/// a sidecar file keyed by each file's size and mtime, and recomputed when any of them changes. A
/// read-only model folder just means hashing at every load.
fn model_id(dir: &Path) -> Result<String, EmbedError> {
    let key = stamp(dir)?;
    let sidecar = dir.join(ID_SIDECAR);
    if let Some(id) = cached_id(&sidecar, &key) {
        return Ok(id);
    }
    let id = hash_files(dir)?;
    write_sidecar(&sidecar, &format!("{key}{id}\n"));
    Ok(id)
}

/// Writes through a temporary file and a rename, so that another process starting at the same time
/// never reads half a sidecar. Best effort: a failure only costs the next load a rehash.
fn write_sidecar(sidecar: &Path, text: &str) {
    let _ = super::vectors::write_atomic(sidecar, text.as_bytes());
}

/// One line per model file: name, size, mtime in nanoseconds.
fn stamp(dir: &Path) -> Result<String, EmbedError> {
    let mut key = String::new();
    for name in MODEL_FILES {
        let path = dir.join(name);
        let meta = fs::metadata(&path).map_err(|source| EmbedError::Io { file: path, source })?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        key.push_str(&format!("{name} {} {mtime}\n", meta.len()));
    }
    Ok(key)
}

/// The id in the sidecar when its key lines equal `key`; the id is the last line.
fn cached_id(sidecar: &Path, key: &str) -> Option<String> {
    let text = fs::read_to_string(sidecar).ok()?;
    let id = text.strip_prefix(key)?.trim();
    let is_digest = id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit());
    is_digest.then(|| id.to_string())
}

fn hash_files(dir: &Path) -> Result<String, EmbedError> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    for name in MODEL_FILES {
        let path = dir.join(name);
        let io_err = |source| EmbedError::Io {
            file: path.clone(),
            source,
        };
        let mut file = File::open(&path).map_err(io_err)?;
        let len = file.metadata().map_err(io_err)?.len();
        hasher.update(format!("{name}\0{len}\0").as_bytes());
        loop {
            let n = file.read(&mut buf).map_err(io_err)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
    }
    Ok(super::hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh empty folder under the system temp folder.
    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lqls-embed-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn missing_folder_names_folder_and_fix() {
        let dir = std::env::temp_dir().join("lqls-embed-no-such-folder");
        let err = Embedder::load(&dir).err().expect("no model there");
        let msg = err.to_string();
        assert!(matches!(err, EmbedError::MissingModel { .. }), "{msg}");
        assert!(msg.contains(&dir.display().to_string()), "{msg}");
        assert!(msg.contains("scripts/setup-models.sh"), "{msg}");
        assert!(msg.contains("LQLS_EMBED_MODEL"), "{msg}");
        assert!(msg.contains("model.safetensors"), "{msg}");
    }

    #[test]
    fn corrupt_config_names_the_file() {
        let dir = temp_dir("corrupt");
        for f in MODEL_FILES {
            fs::write(dir.join(f), "not json").unwrap();
        }
        let err = Embedder::load(&dir).err().expect("corrupt model");
        assert!(matches!(err, EmbedError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("config.json"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn model_id_is_cached_and_follows_changes() {
        let dir = temp_dir("id");
        for f in MODEL_FILES {
            fs::write(dir.join(f), f).unwrap();
        }
        let first = model_id(&dir).unwrap();
        assert_eq!(first.len(), 64);
        assert!(dir.join(ID_SIDECAR).is_file());
        assert_eq!(model_id(&dir).unwrap(), first);
        // A file of another size changes the key, so the id is recomputed, not read back.
        fs::write(dir.join("config.json"), "{}{}").unwrap();
        let second = model_id(&dir).unwrap();
        assert_ne!(second, first);
        assert_eq!(second, hash_files(&dir).unwrap());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_stale_or_garbled_sidecar_is_ignored() {
        assert_eq!(cached_id(Path::new("/nonexistent/sidecar"), "k\n"), None);
        let dir = temp_dir("sidecar");
        let sidecar = dir.join(ID_SIDECAR);
        fs::write(&sidecar, "other key\nabc\n").unwrap();
        assert_eq!(cached_id(&sidecar, "k\n"), None);
        fs::write(&sidecar, "k\nnot-a-digest\n").unwrap();
        assert_eq!(cached_id(&sidecar, "k\n"), None);
        let digest = "ab".repeat(32);
        fs::write(&sidecar, format!("k\n{digest}\n")).unwrap();
        assert_eq!(cached_id(&sidecar, "k\n"), Some(digest));
        fs::remove_dir_all(&dir).unwrap();
    }
}
