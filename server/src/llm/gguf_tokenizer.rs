//! The model's tokenizer, built from the GGUF's `tokenizer.ggml.*` metadata (or read from a
//! `tokenizer.json` beside the model), so that a prompt becomes exactly the ids llama.cpp would feed
//! the same GGUF.
//!
//! Byte-level BPE (`tokenizer.ggml.model = "gpt2"`: GPT-2, SmolLM, Qwen2, Llama 3 …) is built here:
//! the vocabulary and merges go into a `tokenizers` BPE model; the pre-tokenizer is the sequence of
//! split regexes llama.cpp uses for the file's `tokenizer.ggml.pre`, then the byte-to-unicode mapping;
//! control, user-defined and unknown tokens (`tokenizer.ggml.token_type` 3, 4, 2) are added tokens, so
//! `<|im_start|>` written in a prompt is one id, as llama.cpp parses it with special-token parsing on.
//! SentencePiece vocabularies (`"llama"`) and the others are not built from metadata: such a model needs
//! a `tokenizer.json` (`[llm] tokenizer`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use candle_core::quantized::gguf_file::{Content, Value};
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{Merges, Vocab, BPE};
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{AddedToken, PreTokenizerWrapper, SplitDelimiterBehavior, Tokenizer};

use super::LlmError;

/// GPT-2's split regex, as llama.cpp writes it (its own implementation also ends in `\s+`, which
/// `tokenizers` needs spelled out to keep trailing whitespace in one piece).
const GPT2_REGEX: &str =
    r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
/// Llama 3's, with the case-insensitive contractions spelled out as llama.cpp does.
const LLAMA3_REGEX: &str = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
/// Qwen2's: Llama 3's with single digits.
const QWEN2_REGEX: &str = r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
/// Tokens that end a turn in the common chat formats, besides `tokenizer.ggml.eos_token_id`.
const END_OF_TURN: &[&str] = &[
    "<|im_end|>",
    "<|eot_id|>",
    "<|endoftext|>",
    "<|end_of_text|>",
    "<|end|>",
    "<|eom_id|>",
    "<end_of_turn>",
];
/// Beginning-of-sequence tokens, for a `tokenizer.json` (which does not say which one it is).
const BEGIN: &[&str] = &["<|begin_of_text|>", "<s>", "<bos>", "<|startoftext|>"];
/// And its end-of-sequence tokens besides [`END_OF_TURN`].
const END: &[&str] = &["</s>", "<eos>"];

/// `tokenizer.ggml.token_type` values (llama.cpp's `llama_token_type`).
const TYPE_UNKNOWN: i64 = 2;
const TYPE_CONTROL: i64 = 3;
const TYPE_USER_DEFINED: i64 = 4;

/// A tokenizer for one model.
pub struct GgufTokenizer {
    inner: Tokenizer,
    bos: Option<u32>,
    /// For GGUF metadata: whether `encode(_, true)` starts with BOS / ends with EOS
    /// (`tokenizer.ggml.add_bos_token`, `add_eos_token`). A `tokenizer.json` adds its own.
    add_bos: bool,
    add_eos: bool,
    /// `encode(_, true)` passes `add_special_tokens` to the `tokenizer.json`'s post-processor.
    from_json: bool,
    /// The model's EOS first, then the end-of-turn tokens of its vocabulary.
    eos: Vec<u32>,
}

impl std::fmt::Debug for GgufTokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GgufTokenizer")
            .field("vocab_size", &self.vocab_size())
            .field("bos", &self.bos)
            .field("add_bos", &self.add_bos)
            .field("eos", &self.eos)
            .field("from_json", &self.from_json)
            .finish()
    }
}

/// Which of llama.cpp's pre-tokenizers a `tokenizer.ggml.pre` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PreTokenizer {
    /// Each digit alone, then GPT-2's regex (SmolLM, StarCoder, Command-R …).
    DigitsThenGpt2,
    Gpt2,
    Llama3,
    Qwen2,
    /// llama.cpp's fallback for a BPE vocabulary without (or with a "default") `pre`.
    Default,
}

impl PreTokenizer {
    fn for_name(pre: Option<&str>) -> PreTokenizer {
        match pre {
            None | Some("default") => PreTokenizer::Default,
            Some(
                "smollm" | "starcoder" | "refact" | "command-r" | "codeshell" | "exaone"
                | "minerva-7b",
            ) => PreTokenizer::DigitsThenGpt2,
            Some(
                "gpt2" | "gpt-2" | "phi-2" | "jina-es" | "jina-de" | "jina-v2-es" | "jina-v2-de"
                | "jina-v1-en" | "jina-v2-code" | "roberta-bpe" | "mpt" | "olmo" | "jais"
                | "exaone4",
            ) => PreTokenizer::Gpt2,
            Some(
                "llama3" | "llama-v3" | "llama-bpe" | "falcon3" | "falcon-h1" | "pixtral"
                | "midm-2.0" | "lfm2" | "dbrx" | "smaug-bpe",
            ) => PreTokenizer::Llama3,
            Some(
                "qwen2" | "deepseek-r1-qwen" | "megrez" | "stablelm2" | "hunyuan" | "kormo"
                | "f2llmv2" | "solar-open",
            ) => PreTokenizer::Qwen2,
            Some(other) => {
                tracing::warn!(
                    "unknown tokenizer.ggml.pre {other:?}: splitting words like GPT-2, which may \
                     tokenize differently from the model's training"
                );
                PreTokenizer::Gpt2
            }
        }
    }

    /// The split regexes, applied one after the other to the pieces of the previous one.
    fn regexes(self) -> &'static [&'static str] {
        match self {
            PreTokenizer::DigitsThenGpt2 => &[r"\p{N}", GPT2_REGEX],
            PreTokenizer::Gpt2 => &[GPT2_REGEX],
            PreTokenizer::Llama3 => &[LLAMA3_REGEX],
            PreTokenizer::Qwen2 => &[QWEN2_REGEX],
            PreTokenizer::Default => &[
                r"[\p{P}\$\+<=>\^~\|]+",
                GPT2_REGEX,
                r"\p{N}+",
                r"[0-9][0-9][0-9]",
            ],
        }
    }

    /// Whether BOS is added by default (llama.cpp's defaults, before `add_bos_token`).
    fn adds_bos(self) -> bool {
        self == PreTokenizer::Llama3
    }
}

fn corrupt(path: &Path, reason: impl Into<String>) -> LlmError {
    LlmError::Corrupt {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Reads typed `tokenizer.ggml.*` values, naming the key in errors.
struct Meta<'a> {
    content: &'a Content,
    path: &'a Path,
}

impl<'a> Meta<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.content.metadata.get(key)
    }

    fn wrong_type(&self, key: &str, expected: &str, v: &Value) -> LlmError {
        corrupt(
            self.path,
            format!(
                "metadata {key} is {:?}, expected {expected}",
                v.value_type()
            ),
        )
    }

    fn str(&self, key: &str) -> Result<Option<&'a str>, LlmError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.wrong_type(key, "a string", v)),
        }
    }

    fn bool(&self, key: &str) -> Result<Option<bool>, LlmError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => match int(v) {
                Some(i) => Ok(Some(i != 0)),
                None => Err(self.wrong_type(key, "a boolean", v)),
            },
        }
    }

    /// A token id: any non-negative integer type (converters differ).
    fn id(&self, key: &str) -> Result<Option<u32>, LlmError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match int(v).and_then(|i| u32::try_from(i).ok()) {
                Some(id) => Ok(Some(id)),
                None => Err(self.wrong_type(key, "a token id", v)),
            },
        }
    }

    fn array(&self, key: &str) -> Result<Option<&'a [Value]>, LlmError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(self.wrong_type(key, "an array", v)),
        }
    }

    fn strings(&self, key: &str) -> Result<Option<Vec<&'a str>>, LlmError> {
        let Some(a) = self.array(key)? else {
            return Ok(None);
        };
        a.iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.as_str()),
                v => Err(corrupt(
                    self.path,
                    format!(
                        "metadata {key}[{i}] is {:?}, expected a string",
                        v.value_type()
                    ),
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

fn int(v: &Value) -> Option<i64> {
    Some(match v {
        Value::U8(x) => i64::from(*x),
        Value::I8(x) => i64::from(*x),
        Value::U16(x) => i64::from(*x),
        Value::I16(x) => i64::from(*x),
        Value::U32(x) => i64::from(*x),
        Value::I32(x) => i64::from(*x),
        Value::U64(x) => i64::try_from(*x).ok()?,
        Value::I64(x) => *x,
        _ => return None,
    })
}

/// Builds the tokenizer the GGUF's metadata describes.
pub fn from_gguf(content: &Content, path: &Path) -> Result<GgufTokenizer, LlmError> {
    let meta = Meta { content, path };
    let model = meta
        .str("tokenizer.ggml.model")?
        .ok_or_else(|| corrupt(path, "no tokenizer.ggml.model in the metadata"))?;
    match model {
        "gpt2" => from_bpe_metadata(&meta),
        "llama" => Err(LlmError::Unsupported {
            path: path.to_path_buf(),
            reason:
                "its tokenizer is SentencePiece (tokenizer.ggml.model = \"llama\"), which lqls \
                     does not build from GGUF metadata; put the model's tokenizer.json beside the \
                     GGUF or set [llm] tokenizer in lqls.toml"
                    .to_string(),
        }),
        other => Err(LlmError::Unsupported {
            path: path.to_path_buf(),
            reason: format!(
                "its tokenizer type {other:?} (tokenizer.ggml.model) cannot be built from GGUF \
                 metadata; put the model's tokenizer.json beside the GGUF or set [llm] tokenizer \
                 in lqls.toml"
            ),
        }),
    }
}

fn from_bpe_metadata(meta: &Meta<'_>) -> Result<GgufTokenizer, LlmError> {
    let path = meta.path;
    let tokens = meta
        .strings("tokenizer.ggml.tokens")?
        .ok_or_else(|| corrupt(path, "no tokenizer.ggml.tokens in the metadata"))?;
    if tokens.is_empty() {
        return Err(corrupt(path, "tokenizer.ggml.tokens is empty"));
    }
    let n = tokens.len();
    let n_u32 = u32::try_from(n).map_err(|_| corrupt(path, "too many tokens"))?;
    let merges = meta
        .strings("tokenizer.ggml.merges")?
        .ok_or_else(|| corrupt(path, "no tokenizer.ggml.merges in the metadata"))?;
    let types: Vec<i64> = match meta.array("tokenizer.ggml.token_type")? {
        None => vec![1; n],
        Some(a) if a.len() < n => {
            return Err(corrupt(
                path,
                format!(
                    "tokenizer.ggml.token_type has {} entries for {n} tokens",
                    a.len()
                ),
            ))
        }
        Some(a) => a
            .iter()
            .take(n)
            .map(|v| int(v).ok_or_else(|| meta.wrong_type("tokenizer.ggml.token_type", "int", v)))
            .collect::<Result<_, _>>()?,
    };

    // The vocabulary; llama.cpp names empty tokens so that every id has a distinct text.
    let mut vocab = Vocab::with_capacity(n);
    let mut texts = Vec::with_capacity(n);
    for (id, t) in tokens.iter().enumerate() {
        let text = if t.is_empty() {
            format!("[EMPTY_{id}]")
        } else {
            (*t).to_string()
        };
        if let Some(first) = vocab.insert(text.clone(), id as u32) {
            return Err(corrupt(
                path,
                format!("tokenizer.ggml.tokens has {text:?} twice (ids {first} and {id})"),
            ));
        }
        texts.push(text);
    }
    let merges: Merges = merges
        .iter()
        .enumerate()
        .map(|(i, m)| match m.split_once(' ') {
            Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
            _ => Err(corrupt(
                path,
                format!("tokenizer.ggml.merges[{i}] = {m:?} is not two tokens"),
            )),
        })
        .collect::<Result<_, _>>()?;

    let pre = PreTokenizer::for_name(meta.str("tokenizer.ggml.pre")?);
    let bpe = BPE::builder()
        .vocab_and_merges(vocab, merges)
        // llama.cpp takes a Llama 3 word that is in the vocabulary as it is.
        .ignore_merges(pre == PreTokenizer::Llama3)
        .build()
        .map_err(|e| corrupt(path, format!("the BPE vocabulary and merges: {e}")))?;
    let mut inner = Tokenizer::new(bpe);
    let mut steps: Vec<PreTokenizerWrapper> = Vec::new();
    for re in pre.regexes() {
        let split = Split::new(
            SplitPattern::Regex((*re).to_string()),
            SplitDelimiterBehavior::Isolated,
            false,
        )
        .map_err(|e| LlmError::Inference(format!("pre-tokenizer regex {re:?}: {e}")))?;
        steps.push(split.into());
    }
    steps.push(ByteLevel::new(false, false, false).into());
    inner.with_pre_tokenizer(Some(Sequence::new(steps)));
    inner.with_decoder(Some(ByteLevelDecoder::new(false, false, false)));

    // Control, user-defined and unknown tokens are matched in the text before anything else.
    let added = |wanted: &[i64], special: bool| -> Vec<AddedToken> {
        texts
            .iter()
            .zip(&types)
            .filter(|(_, t)| wanted.contains(t))
            .map(|(text, _)| AddedToken::from(text.clone(), special).normalized(false))
            .collect()
    };
    let add_err = |e| corrupt(path, format!("adding the special tokens: {e}"));
    inner
        .add_special_tokens(added(&[TYPE_CONTROL, TYPE_UNKNOWN], true))
        .map_err(add_err)?;
    inner
        .add_tokens(added(&[TYPE_USER_DEFINED], false))
        .map_err(add_err)?;

    let in_vocab = |key: &str| -> Result<Option<u32>, LlmError> {
        Ok(meta.id(key)?.filter(|&id| {
            let ok = id < n_u32;
            if !ok {
                tracing::warn!("{key} = {id} is outside the vocabulary of {n}; ignored");
            }
            ok
        }))
    };
    let bos = in_vocab("tokenizer.ggml.bos_token_id")?;
    let mut eos: Vec<u32> = Vec::new();
    for key in [
        "tokenizer.ggml.eos_token_id",
        "tokenizer.ggml.eot_token_id",
        "tokenizer.ggml.eom_token_id",
    ] {
        eos.extend(in_vocab(key)?);
    }
    let by_text: HashMap<&str, u32> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i as u32))
        .collect();
    eos.extend(END_OF_TURN.iter().filter_map(|t| by_text.get(t).copied()));
    dedup(&mut eos);

    let add_bos = meta
        .bool("tokenizer.ggml.add_bos_token")?
        .unwrap_or(pre.adds_bos());
    let add_eos = meta.bool("tokenizer.ggml.add_eos_token")?.unwrap_or(false);
    Ok(GgufTokenizer {
        inner,
        bos,
        add_bos: add_bos && bos.is_some(),
        add_eos: add_eos && !eos.is_empty(),
        from_json: false,
        eos,
    })
}

fn dedup(ids: &mut Vec<u32>) {
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
}

/// Reads a `tokenizer.json` (the one published with the model), for vocabularies lqls does not build
/// from GGUF metadata. BOS and the end tokens are recognised by their usual texts.
pub fn from_file(tokenizer_json: &Path) -> Result<GgufTokenizer, LlmError> {
    let bytes = std::fs::read(tokenizer_json).map_err(|source| LlmError::Io {
        path: tokenizer_json.to_path_buf(),
        source,
    })?;
    let inner = Tokenizer::from_bytes(&bytes).map_err(|e| LlmError::Corrupt {
        path: tokenizer_json.to_path_buf(),
        reason: format!("not a tokenizer.json: {e}"),
    })?;
    let bos = BEGIN.iter().find_map(|t| inner.token_to_id(t));
    let mut eos: Vec<u32> = END
        .iter()
        .chain(END_OF_TURN)
        .filter_map(|t| inner.token_to_id(t))
        .collect();
    dedup(&mut eos);
    Ok(GgufTokenizer {
        inner,
        bos,
        add_bos: false,
        add_eos: false,
        from_json: true,
        eos,
    })
}

/// The tokenizer for the model at `gguf`: `tokenizer_json` if given (`[llm] tokenizer`), else a
/// `tokenizer.json` beside the model, else the GGUF's metadata.
pub fn for_model(
    content: &Content,
    gguf: &Path,
    tokenizer_json: Option<&Path>,
) -> Result<GgufTokenizer, LlmError> {
    if let Some(p) = tokenizer_json {
        return from_file(p);
    }
    let beside: Option<PathBuf> = gguf.parent().map(|d| d.join("tokenizer.json"));
    match beside {
        Some(p) if p.is_file() => from_file(&p),
        _ => from_gguf(content, gguf),
    }
}

impl GgufTokenizer {
    /// The ids of `text`. Special tokens written in it (`<|im_start|>`) are their own ids;
    /// `add_special` adds what the model wants around a sequence (BOS when `add_bos_token`).
    pub fn encode(&self, text: &str, add_special: bool) -> Result<Vec<u32>, LlmError> {
        let enc = self
            .inner
            .encode(text, add_special && self.from_json)
            .map_err(|e| LlmError::Inference(format!("tokenizer: {e}")))?;
        let ids = enc.get_ids();
        let mut out = Vec::with_capacity(ids.len() + 2);
        if add_special && self.add_bos {
            out.extend(self.bos);
        }
        out.extend_from_slice(ids);
        if add_special && self.add_eos {
            out.extend(self.eos.first());
        }
        Ok(out)
    }

    /// The text of `ids`, special tokens included as written. Bytes that are not valid UTF-8
    /// become U+FFFD.
    pub fn decode(&self, ids: &[u32]) -> Result<String, LlmError> {
        self.inner
            .decode(ids, false)
            .map_err(|e| LlmError::Inference(format!("tokenizer: {e}")))
    }

    /// An incremental decoder for generated ids.
    pub fn stream(&self) -> TokenStream {
        TokenStream::default()
    }

    /// The ids that end generation: the model's EOS, then end-of-turn tokens of its vocabulary
    /// (`<|im_end|>`, `<|eot_id|>`, `<|endoftext|>` …).
    pub fn eos_ids(&self) -> &[u32] {
        &self.eos
    }

    pub fn bos_id(&self) -> Option<u32> {
        self.bos
    }

    /// Whether [`GgufTokenizer::encode`] with `add_special` starts with BOS.
    pub fn adds_bos(&self) -> bool {
        self.add_bos
    }

    /// The id of a token by its text as stored in the vocabulary (`"<|im_end|>"`, `"Ġthe"`).
    pub fn id_of(&self, token: &str) -> Option<u32> {
        self.inner.token_to_id(token)
    }

    /// Ids run from 0 to `vocab_size() - 1`.
    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }
}

/// Decodes generated ids one at a time into text that can be shown at once: the text is always
/// complete UTF-8, a character split over several tokens is held back until its last byte arrives.
///
/// Each step decodes a short window (the ids of the previous piece plus the new ones) rather than
/// single ids, so decoders that depend on the neighbouring token (a SentencePiece leading space) give
/// the same text as decoding the whole sequence.
#[derive(Clone, Debug, Default)]
pub struct TokenStream {
    ids: Vec<u32>,
    /// `ids[prefix..read]` were already returned; they are kept as context for the next step.
    prefix: usize,
    read: usize,
}

impl TokenStream {
    /// Adds one id and returns the text it completes (often empty when a character is not finished).
    pub fn push(&mut self, tok: &GgufTokenizer, id: u32) -> Result<String, LlmError> {
        self.ids.push(id);
        let before = tok.decode(&self.ids[self.prefix..self.read])?;
        let after = tok.decode(&self.ids[self.prefix..])?;
        if after.ends_with('\u{FFFD}') {
            return Ok(String::new());
        }
        let Some(new) = after.strip_prefix(before.as_str()) else {
            // The decoder rewrote the context; show nothing rather than text twice.
            return Ok(String::new());
        };
        if new.is_empty() {
            return Ok(String::new());
        }
        let new = new.to_string();
        self.ids.drain(..self.read);
        self.prefix = 0;
        self.read = self.ids.len();
        Ok(new)
    }

    /// Whatever is held back (an unfinished character, shown as U+FFFD), at the end of generation.
    pub fn finish(&mut self, tok: &GgufTokenizer) -> Result<String, LlmError> {
        let before = tok.decode(&self.ids[self.prefix..self.read])?;
        let after = tok.decode(&self.ids[self.prefix..])?;
        let rest = after
            .strip_prefix(before.as_str())
            .map(str::to_string)
            .unwrap_or_default();
        self.ids.clear();
        self.prefix = 0;
        self.read = 0;
        Ok(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::quantized::gguf_file::VersionedMagic;

    /// A tiny byte-level BPE vocabulary: the 256 byte symbols, a few merges, two control tokens.
    fn tiny(pre: &str, extra: &[(&str, Value)]) -> Content {
        let mut tokens: Vec<String> = vec!["<|endoftext|>".into(), "<|im_end|>".into()];
        let bytes = ByteLevel::alphabet();
        let mut alphabet: Vec<char> = bytes.into_iter().collect();
        alphabet.sort();
        tokens.extend(alphabet.iter().map(|c| c.to_string()));
        tokens.extend(["he", "ll", "hell", "hello", "Ġw", "Ġwor", "Ġworld"].map(String::from));
        let merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "Ġw or", "Ġwor ld"];
        // "or" and "ld" must exist for their merges; add them and their merges first.
        tokens.extend(["or", "ld"].map(String::from));
        let mut all_merges = vec!["o r", "l d"];
        all_merges.extend(merges);
        let mut types = vec![Value::I32(3), Value::I32(3)];
        types.extend(std::iter::repeat_n(Value::I32(1), tokens.len() - 2));
        let mut metadata: HashMap<String, Value> = HashMap::from([
            ("tokenizer.ggml.model".into(), Value::String("gpt2".into())),
            ("tokenizer.ggml.pre".into(), Value::String(pre.into())),
            (
                "tokenizer.ggml.tokens".into(),
                Value::Array(tokens.into_iter().map(Value::String).collect()),
            ),
            (
                "tokenizer.ggml.merges".into(),
                Value::Array(
                    all_merges
                        .into_iter()
                        .map(|m| Value::String(m.into()))
                        .collect(),
                ),
            ),
            ("tokenizer.ggml.token_type".into(), Value::Array(types)),
            ("tokenizer.ggml.eos_token_id".into(), Value::U32(0)),
            ("tokenizer.ggml.bos_token_id".into(), Value::U32(0)),
        ]);
        for (k, v) in extra {
            metadata.insert((*k).to_string(), v.clone());
        }
        Content {
            magic: VersionedMagic::GgufV3,
            metadata,
            tensor_infos: HashMap::new(),
            tensor_data_offset: 0,
        }
    }

    #[test]
    fn bpe_from_metadata() {
        let t = from_gguf(&tiny("smollm", &[]), Path::new("t.gguf")).unwrap();
        let hello = t.id_of("hello").unwrap();
        let world = t.id_of("Ġworld").unwrap();
        let ids = t.encode("hello world<|im_end|>", false).unwrap();
        assert_eq!(ids, vec![hello, world, 1]);
        assert_eq!(t.decode(&ids).unwrap(), "hello world<|im_end|>");
        assert_eq!(t.eos_ids(), &[0, 1]);
        assert!(!t.adds_bos());
        // Digits one by one for smollm.
        let ids = t.encode("12", false).unwrap();
        assert_eq!(ids, vec![t.id_of("1").unwrap(), t.id_of("2").unwrap()]);
        // add_bos_token is honoured.
        let t = from_gguf(
            &tiny(
                "smollm",
                &[("tokenizer.ggml.add_bos_token", Value::Bool(true))],
            ),
            Path::new("t.gguf"),
        )
        .unwrap();
        assert_eq!(t.encode("hello", true).unwrap(), vec![0, hello]);
        assert_eq!(t.encode("hello", false).unwrap(), vec![hello]);
    }

    #[test]
    fn tokenizer_json_beside_the_model() {
        let dir = std::env::temp_dir().join(format!("lqls-tokjson-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let content = tiny("smollm", &[]);
        let built = from_gguf(&content, Path::new("t.gguf")).unwrap();
        let json = dir.join("tokenizer.json");
        built.inner.save(&json, false).unwrap();
        let gguf = dir.join("m.gguf");
        // for_model prefers the tokenizer.json beside the GGUF.
        let read = for_model(&content, &gguf, None).unwrap();
        assert!(read.from_json);
        let text = "hello world 42<|im_end|>";
        assert_eq!(
            read.encode(text, true).unwrap(),
            built.encode(text, false).unwrap()
        );
        assert_eq!(read.eos_ids(), &[1, 0]);
        assert_eq!(read.bos_id(), None);
        std::fs::write(&json, "{ not json").unwrap();
        assert!(matches!(from_file(&json), Err(LlmError::Corrupt { .. })));
        assert!(matches!(
            from_file(&dir.join("absent.json")),
            Err(LlmError::Io { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn stream_holds_back_partial_characters() {
        let t = from_gguf(&tiny("gpt2", &[]), Path::new("t.gguf")).unwrap();
        let text = "hé 日本 🚀 world";
        let ids = t.encode(text, false).unwrap();
        let mut s = t.stream();
        let mut out = String::new();
        for &id in &ids {
            let piece = s.push(&t, id).unwrap();
            assert!(!piece.contains('\u{FFFD}'), "{piece:?}");
            out.push_str(&piece);
        }
        out.push_str(&s.finish(&t).unwrap());
        assert_eq!(out, text);
        // A character cut off at the end comes out as U+FFFD from finish.
        let mut s = t.stream();
        let cut = &ids[..ids.len() - 1];
        let rocket = t.encode("🚀", false).unwrap();
        let mut out = String::new();
        for &id in cut.iter().chain(&rocket[..2]) {
            out.push_str(&s.push(&t, id).unwrap());
        }
        assert!(!out.ends_with('\u{FFFD}'));
        assert_eq!(s.finish(&t).unwrap(), "\u{FFFD}");
    }

    #[test]
    fn missing_and_wrong_metadata_is_corrupt() {
        let p = Path::new("m.gguf");
        for key in [
            "tokenizer.ggml.model",
            "tokenizer.ggml.tokens",
            "tokenizer.ggml.merges",
        ] {
            let mut c = tiny("gpt2", &[]);
            c.metadata.remove(key);
            match from_gguf(&c, p) {
                Err(LlmError::Corrupt { reason, .. }) => assert!(reason.contains(key), "{reason}"),
                other => panic!("{key}: {other:?}"),
            }
        }
        let c = tiny("gpt2", &[("tokenizer.ggml.tokens", Value::U32(3))]);
        assert!(matches!(from_gguf(&c, p), Err(LlmError::Corrupt { .. })));
        let c = tiny(
            "gpt2",
            &[(
                "tokenizer.ggml.merges",
                Value::Array(vec![Value::String("nospace".into())]),
            )],
        );
        assert!(matches!(from_gguf(&c, p), Err(LlmError::Corrupt { .. })));
        // A merge whose parts are not tokens.
        let c = tiny(
            "gpt2",
            &[(
                "tokenizer.ggml.merges",
                Value::Array(vec![Value::String("zz qq".into())]),
            )],
        );
        assert!(matches!(from_gguf(&c, p), Err(LlmError::Corrupt { .. })));
        let c = tiny(
            "gpt2",
            &[("tokenizer.ggml.model", Value::String("llama".into()))],
        );
        match from_gguf(&c, p) {
            Err(LlmError::Unsupported { reason, .. }) => assert!(reason.contains("tokenizer.json")),
            other => panic!("{other:?}"),
        }
        // Out-of-range special ids are ignored, as llama.cpp does.
        let c = tiny(
            "gpt2",
            &[("tokenizer.ggml.bos_token_id", Value::U32(1 << 20))],
        );
        assert_eq!(from_gguf(&c, p).unwrap().bos_id(), None);
    }

    #[test]
    fn pre_tokenizer_names() {
        assert_eq!(
            PreTokenizer::for_name(Some("smollm")),
            PreTokenizer::DigitsThenGpt2
        );
        assert_eq!(
            PreTokenizer::for_name(Some("llama-bpe")),
            PreTokenizer::Llama3
        );
        assert_eq!(PreTokenizer::for_name(Some("qwen2")), PreTokenizer::Qwen2);
        assert_eq!(PreTokenizer::for_name(None), PreTokenizer::Default);
        assert_eq!(
            PreTokenizer::for_name(Some("something-new")),
            PreTokenizer::Gpt2
        );
        // Every regex compiles.
        for p in [
            PreTokenizer::DigitsThenGpt2,
            PreTokenizer::Gpt2,
            PreTokenizer::Llama3,
            PreTokenizer::Qwen2,
            PreTokenizer::Default,
        ] {
            for re in p.regexes() {
                Split::new(
                    SplitPattern::Regex((*re).to_string()),
                    SplitDelimiterBehavior::Isolated,
                    false,
                )
                .unwrap();
            }
        }
    }
}
