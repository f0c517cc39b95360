//! A decoder-only transformer over quantized GGUF weights, for the llama family of architectures
//! (`llama`, which also covers Mistral and SmolLM; `qwen2`; `qwen3`).
//!
//! Candle ships a model per architecture, but each keeps its KV cache private and grows it by
//! concatenation. Reviews need more: the cache must be truncated back to the prompt prefix shared
//! with the previous request (the fixed system prompt) and extended from there, and growing by
//! concatenation copies the whole cache for every generated token (about 70 MB per token for SmolLM2
//! at 1,500 tokens of context). So this one preallocates the cache, writes new positions in place and
//! makes truncation a length change. The three architectures differ only in details read from the
//! GGUF: attention biases (qwen2), per-head query/key norms (qwen3), rotary layout (interleaved for
//! llama, split halves for qwen) and an optional separate output matrix.

use std::io::{Read, Seek};
use std::sync::Arc;

use candle_core::quantized::{gguf_file, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Result, Tensor, D};

/// The architectures this module runs; the name is GGUF's `general.architecture`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    Llama,
    Qwen2,
    Qwen3,
}

impl Arch {
    /// The architecture of a GGUF's `general.architecture`, or why it cannot run.
    pub fn from_gguf_name(name: &str) -> std::result::Result<Arch, String> {
        match name {
            "llama" | "mistral" => Ok(Arch::Llama),
            "qwen2" => Ok(Arch::Qwen2),
            "qwen3" => Ok(Arch::Qwen3),
            _ => Err(format!(
                "architecture `{name}` is not supported (supported: llama, mistral, qwen2, qwen3)"
            )),
        }
    }
}

/// Hyperparameters from the GGUF metadata.
#[derive(Clone, Debug)]
pub struct Config {
    pub arch: Arch,
    pub n_layer: usize,
    pub n_embd: usize,
    pub n_head: usize,
    pub n_kv_head: usize,
    pub head_dim: usize,
    pub rope_base: f32,
    pub rms_eps: f64,
    /// The context the model was trained for.
    pub context_length: usize,
}

impl Config {
    pub fn from_gguf(ct: &gguf_file::Content) -> std::result::Result<Config, String> {
        let arch_name = meta_str(ct, "general.architecture")?;
        let arch = Arch::from_gguf_name(&arch_name)?;
        let key = |k: &str| format!("{arch_name}.{k}");
        let n_embd = meta_u32(ct, &key("embedding_length"))?;
        let n_head = meta_u32(ct, &key("attention.head_count"))?;
        if n_head == 0 {
            return Err("attention.head_count is 0".into());
        }
        let n_kv_head = meta_u32(ct, &key("attention.head_count_kv")).unwrap_or(n_head);
        if n_kv_head == 0 || n_head % n_kv_head != 0 {
            return Err(format!(
                "head_count {n_head} is not a multiple of head_count_kv {n_kv_head}"
            ));
        }
        let head_dim = meta_u32(ct, &key("attention.key_length")).unwrap_or(n_embd / n_head);
        Ok(Config {
            arch,
            n_layer: meta_u32(ct, &key("block_count"))?,
            n_embd,
            n_head,
            n_kv_head,
            head_dim,
            rope_base: meta_f32(ct, &key("rope.freq_base")).unwrap_or(10_000.0),
            rms_eps: meta_f32(ct, &key("attention.layer_norm_rms_epsilon")).unwrap_or(1e-6) as f64,
            context_length: meta_u32(ct, &key("context_length")).unwrap_or(2048),
        })
    }

    /// llama.cpp's GGUF conversion permutes llama's query/key weights for interleaved rotary pairs;
    /// qwen models keep the halves layout (NEOX in llama.cpp's terms).
    fn interleaved_rope(&self) -> bool {
        self.arch == Arch::Llama
    }
}

pub(crate) fn meta_str(ct: &gguf_file::Content, key: &str) -> std::result::Result<String, String> {
    ct.metadata
        .get(key)
        .ok_or_else(|| format!("metadata `{key}` is missing"))?
        .to_string()
        .cloned()
        .map_err(|e| format!("metadata `{key}`: {e}"))
}

fn meta_u32(ct: &gguf_file::Content, key: &str) -> std::result::Result<usize, String> {
    let v = ct
        .metadata
        .get(key)
        .ok_or_else(|| format!("metadata `{key}` is missing"))?;
    v.to_u32()
        .map(|x| x as usize)
        .or_else(|_| v.to_u64().map(|x| x as usize))
        .map_err(|e| format!("metadata `{key}`: {e}"))
}

fn meta_f32(ct: &gguf_file::Content, key: &str) -> std::result::Result<f32, String> {
    let v = ct
        .metadata
        .get(key)
        .ok_or_else(|| format!("metadata `{key}` is missing"))?;
    v.to_f32()
        .or_else(|_| v.to_f64().map(|x| x as f32))
        .map_err(|e| format!("metadata `{key}`: {e}"))
}

struct Attention {
    /// The query, key and value projections, fused into one matrix when they share a quantisation.
    qkv: Projections,
    o: QMatMul,
    /// qwen2: biases of the query, key and value projections.
    bias: Option<[Tensor; 3]>,
    /// qwen3: RMS norms applied to each head of the queries and keys before rotation.
    qk_norm: Option<[Tensor; 2]>,
}

struct Layer {
    attn_norm: Tensor,
    attn: Attention,
    ffn_norm: Tensor,
    /// The gate and up projections of the feed-forward block.
    gate_up: Projections,
    down: QMatMul,
}

/// Projections of one input. Fused, the rows of all matrices are stacked into one, so a token costs
/// one quantisation of the input and one parallel dispatch instead of one per matrix (in generation,
/// where each matrix-vector product is short, the dispatches were a measurable share of the time).
enum Projections {
    Fused { mm: QMatMul, sizes: Vec<usize> },
    Separate(Vec<QMatMul>),
}

impl Projections {
    fn new(parts: Vec<Arc<QTensor>>) -> std::result::Result<Projections, String> {
        let same = parts.windows(2).all(|w| {
            w[0].dtype() == w[1].dtype() && w[0].shape().dims().get(1) == w[1].shape().dims().get(1)
        });
        if same && parts[0].shape().dims().len() == 2 {
            if let Ok(fused) = fuse_rows(&parts) {
                let sizes = parts.iter().map(|p| p.shape().dims()[0]).collect();
                return Ok(Projections::Fused {
                    mm: QMatMul::from_arc(Arc::new(fused)).map_err(|e| e.to_string())?,
                    sizes,
                });
            }
        }
        parts
            .into_iter()
            .map(|p| QMatMul::from_arc(p).map_err(|e| e.to_string()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Projections::Separate)
    }

    /// Each projection of `x`, in order.
    fn forward(&self, x: &Tensor) -> Result<Vec<Tensor>> {
        match self {
            Projections::Separate(mms) => mms.iter().map(|m| m.forward(x)).collect(),
            Projections::Fused { mm, sizes } => {
                let y = mm.forward(x)?;
                let mut at = 0;
                sizes
                    .iter()
                    .map(|&n| {
                        let part = y.narrow(D::Minus1, at, n)?.contiguous();
                        at += n;
                        part
                    })
                    .collect()
            }
        }
    }
}

/// Stacks quantized matrices with the same columns and block type: their rows are whole blocks, so
/// the stacked data is the concatenation of each one's bytes.
fn fuse_rows(parts: &[Arc<QTensor>]) -> Result<QTensor> {
    let mut data = Vec::new();
    let mut rows = 0;
    for p in parts {
        data.extend_from_slice(&p.data()?);
        rows += p.shape().dims()[0];
    }
    let cols = parts[0].shape().dims()[1];
    let storage = candle_core::quantized::QStorage::from_data(
        std::borrow::Cow::Owned(data),
        &Device::Cpu,
        parts[0].dtype(),
    )?;
    QTensor::new(storage, (rows, cols))
}

/// Keys and values of every layer for positions `0..len`, in buffers with room for `capacity`.
struct KvCache {
    /// Per layer: keys and values, each `[1, n_kv_head, capacity, head_dim]`.
    layers: Vec<(Tensor, Tensor)>,
    capacity: usize,
    len: usize,
}

pub struct Model {
    cfg: Config,
    /// The token embeddings in f16: half the memory of f32, converted per looked-up row.
    embed: Tensor,
    layers: Vec<Layer>,
    norm: Tensor,
    output: QMatMul,
    cos: Tensor,
    sin: Tensor,
    /// The longest sequence this instance will hold (prompt and generation).
    max_len: usize,
    cache: KvCache,
    device: Device,
}

/// The cache grows in steps of this many positions, so short reviews do not pay for the whole window.
const CACHE_STEP: usize = 512;

impl Model {
    /// Loads the weights; `max_len` caps the context (and so the cache's memory).
    pub fn load<R: Read + Seek>(
        ct: &gguf_file::Content,
        reader: &mut R,
        max_len: usize,
    ) -> std::result::Result<Model, String> {
        let cfg = Config::from_gguf(ct)?;
        let device = Device::Cpu;
        let qt = |reader: &mut R, name: &str| -> std::result::Result<Arc<QTensor>, String> {
            ct.tensor(reader, name, &device)
                .map(Arc::new)
                .map_err(|e| format!("tensor `{name}`: {e}"))
        };
        let dense = |reader: &mut R, name: &str| -> std::result::Result<Tensor, String> {
            qt(reader, name)?
                .dequantize(&device)
                .map_err(|e| format!("tensor `{name}`: {e}"))
        };
        let has = |name: &str| ct.tensor_infos.contains_key(name);
        let mm = |t: Arc<QTensor>| QMatMul::from_arc(t).map_err(|e| e.to_string());

        let embed_q = qt(reader, "token_embd.weight")?;
        let embed = embed_q
            .dequantize_f16(&device)
            .map_err(|e| format!("token_embd.weight: {e}"))?;
        let output = if has("output.weight") {
            mm(qt(reader, "output.weight")?)?
        } else {
            mm(embed_q)?
        };
        let mut layers = Vec::with_capacity(cfg.n_layer);
        for i in 0..cfg.n_layer {
            let p = format!("blk.{i}");
            let bias = if has(&format!("{p}.attn_q.bias")) {
                Some([
                    dense(reader, &format!("{p}.attn_q.bias"))?,
                    dense(reader, &format!("{p}.attn_k.bias"))?,
                    dense(reader, &format!("{p}.attn_v.bias"))?,
                ])
            } else {
                None
            };
            let qk_norm = if has(&format!("{p}.attn_q_norm.weight")) {
                Some([
                    dense(reader, &format!("{p}.attn_q_norm.weight"))?,
                    dense(reader, &format!("{p}.attn_k_norm.weight"))?,
                ])
            } else {
                None
            };
            layers.push(Layer {
                attn_norm: dense(reader, &format!("{p}.attn_norm.weight"))?,
                attn: Attention {
                    qkv: Projections::new(vec![
                        qt(reader, &format!("{p}.attn_q.weight"))?,
                        qt(reader, &format!("{p}.attn_k.weight"))?,
                        qt(reader, &format!("{p}.attn_v.weight"))?,
                    ])?,
                    o: mm(qt(reader, &format!("{p}.attn_output.weight"))?)?,
                    bias,
                    qk_norm,
                },
                ffn_norm: dense(reader, &format!("{p}.ffn_norm.weight"))?,
                gate_up: Projections::new(vec![
                    qt(reader, &format!("{p}.ffn_gate.weight"))?,
                    qt(reader, &format!("{p}.ffn_up.weight"))?,
                ])?,
                down: mm(qt(reader, &format!("{p}.ffn_down.weight"))?)?,
            });
        }
        let norm = dense(reader, "output_norm.weight")?;
        let max_len = max_len.min(cfg.context_length).max(16);
        let (cos, sin) = rope_tables(&cfg, max_len, &device).map_err(|e| e.to_string())?;
        let cache = KvCache {
            layers: Vec::new(),
            capacity: 0,
            len: 0,
        };
        Ok(Model {
            cfg,
            embed,
            layers,
            norm,
            output,
            cos,
            sin,
            max_len,
            cache,
            device,
        })
    }

    /// The longest sequence (prompt plus generated tokens) this instance holds.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// Forgets cached positions from `len` on (a length change; the buffers stay).
    pub fn truncate(&mut self, len: usize) {
        self.cache.len = self.cache.len.min(len);
    }

    /// Runs `tokens` at the positions after the cached ones and returns the logits of the last one (`[vocab]`).
    pub fn forward(&mut self, tokens: &[u32]) -> Result<Tensor> {
        let seq = tokens.len();
        let pos = self.cache.len;
        if seq == 0 {
            candle_core::bail!("forward needs at least one token");
        }
        if pos + seq > self.max_len {
            candle_core::bail!(
                "sequence of {} tokens exceeds the context of {}",
                pos + seq,
                self.max_len
            );
        }
        self.reserve(pos + seq)?;
        let ids = Tensor::new(tokens, &self.device)?;
        let mut x = self
            .embed
            .index_select(&ids, 0)?
            .to_dtype(DType::F32)?
            .unsqueeze(0)?;
        let mask = if seq > 1 {
            Some(self.causal_mask(seq, pos)?)
        } else {
            None
        };
        let cos = self.cos.narrow(0, pos, seq)?;
        let sin = self.sin.narrow(0, pos, seq)?;
        for (i, layer) in self.layers.iter().enumerate() {
            let h = candle_nn::ops::rms_norm(&x, &layer.attn_norm, self.cfg.rms_eps as f32)?;
            let (k_cache, v_cache) = &self.cache.layers[i];
            let h = attention(
                &self.cfg,
                &layer.attn,
                &h,
                (&cos, &sin),
                (k_cache, v_cache),
                pos,
                mask.as_ref(),
            )?;
            x = (x + h)?;
            let h = candle_nn::ops::rms_norm(&x, &layer.ffn_norm, self.cfg.rms_eps as f32)?;
            let [gate, up]: [Tensor; 2] = layer
                .gate_up
                .forward(&h)?
                .try_into()
                .map_err(|_| candle_core::Error::Msg("two feed-forward projections".into()))?;
            let h = layer.down.forward(&(candle_nn::ops::silu(&gate)? * up)?)?;
            x = (x + h)?;
        }
        self.cache.len = pos + seq;
        let last = x.narrow(1, seq - 1, 1)?;
        let last = candle_nn::ops::rms_norm(&last, &self.norm, self.cfg.rms_eps as f32)?;
        self.output.forward(&last)?.flatten_all()
    }

    /// Grows the cache buffers to hold `needed` positions, keeping what they hold.
    fn reserve(&mut self, needed: usize) -> Result<()> {
        if needed <= self.cache.capacity {
            return Ok(());
        }
        let capacity = needed
            .div_ceil(CACHE_STEP)
            .saturating_mul(CACHE_STEP)
            .min(self.max_len);
        let shape = (1, self.cfg.n_kv_head, capacity, self.cfg.head_dim);
        let mut layers = Vec::with_capacity(self.cfg.n_layer);
        for i in 0..self.cfg.n_layer {
            let k = Tensor::zeros(shape, DType::F32, &self.device)?;
            let v = Tensor::zeros(shape, DType::F32, &self.device)?;
            if let Some((old_k, old_v)) = self.cache.layers.get(i) {
                if self.cache.len > 0 {
                    k.slice_set(&old_k.narrow(2, 0, self.cache.len)?.contiguous()?, 2, 0)?;
                    v.slice_set(&old_v.narrow(2, 0, self.cache.len)?.contiguous()?, 2, 0)?;
                }
            }
            layers.push((k, v));
        }
        self.cache.layers = layers;
        self.cache.capacity = capacity;
        Ok(())
    }

    /// The additive mask for `seq` new queries at `pos` against `pos + seq` keys, repeated for the
    /// query heads that share a key head (they are stacked along the rows, see [`attention`]).
    fn causal_mask(&self, seq: usize, pos: usize) -> Result<Tensor> {
        let n = pos + seq;
        let groups = self.cfg.n_head / self.cfg.n_kv_head;
        let mut m = Vec::with_capacity(groups * seq * n);
        for _ in 0..groups {
            for i in 0..seq {
                for j in 0..n {
                    m.push(if j > pos + i { f32::NEG_INFINITY } else { 0.0 });
                }
            }
        }
        Tensor::from_vec(m, (groups * seq, n), &self.device)
    }
}

/// Self-attention of one layer for `x` (`[1, seq, n_embd]`) at positions `pos..pos+seq`, writing the
/// new keys and values into the cache buffers.
///
/// Query heads that share a key/value head are stacked into one matrix per key head
/// (`[n_kv, groups*seq, head_dim]`), so grouped-query attention is two batched matmuls against the
/// cache as it lies in memory, without repeating keys and values per query head.
fn attention(
    cfg: &Config,
    a: &Attention,
    x: &Tensor,
    (cos, sin): (&Tensor, &Tensor),
    (k_cache, v_cache): (&Tensor, &Tensor),
    pos: usize,
    mask: Option<&Tensor>,
) -> Result<Tensor> {
    let (_, seq, _) = x.dims3()?;
    let (hd, nh, nkv) = (cfg.head_dim, cfg.n_head, cfg.n_kv_head);
    let [mut q, mut k, mut v]: [Tensor; 3] = a
        .qkv
        .forward(x)?
        .try_into()
        .map_err(|_| candle_core::Error::Msg("three attention projections".into()))?;
    if let Some([bq, bk, bv]) = &a.bias {
        q = q.broadcast_add(bq)?;
        k = k.broadcast_add(bk)?;
        v = v.broadcast_add(bv)?;
    }
    let mut q = q.reshape((1, seq, nh, hd))?;
    let mut k = k.reshape((1, seq, nkv, hd))?;
    if let Some([nq, nk]) = &a.qk_norm {
        q = candle_nn::ops::rms_norm(&q.contiguous()?, nq, cfg.rms_eps as f32)?;
        k = candle_nn::ops::rms_norm(&k.contiguous()?, nk, cfg.rms_eps as f32)?;
    }
    let q = q.transpose(1, 2)?.contiguous()?;
    let k = k.transpose(1, 2)?.contiguous()?;
    let v = v
        .reshape((1, seq, nkv, hd))?
        .transpose(1, 2)?
        .contiguous()?;
    let (q, k) = if cfg.interleaved_rope() {
        (
            candle_nn::rotary_emb::rope_i(&q, cos, sin)?,
            candle_nn::rotary_emb::rope_i(&k, cos, sin)?,
        )
    } else {
        (
            candle_nn::rotary_emb::rope(&q, cos, sin)?,
            candle_nn::rotary_emb::rope(&k, cos, sin)?,
        )
    };
    k_cache.slice_set(&k, 2, pos)?;
    v_cache.slice_set(&v, 2, pos)?;
    let n = pos + seq;
    let keys = k_cache.narrow(2, 0, n)?;
    let values = v_cache.narrow(2, 0, n)?;
    let groups = nh / nkv;
    let q = (q.reshape((1, nkv, groups * seq, hd))? * (1.0 / (hd as f64).sqrt()))?;
    let mut att = q.matmul(&keys.t()?)?;
    if let Some(mask) = mask {
        att = att.broadcast_add(mask)?;
    }
    let att = candle_nn::ops::softmax_last_dim(&att)?;
    let y = att.matmul(&values)?; // [1, nkv, groups*seq, hd]
    let y = y
        .reshape((1, nh, seq, hd))?
        .transpose(1, 2)?
        .reshape((1, seq, nh * hd))?;
    a.o.forward(&y)
}

/// Rotary tables for positions `0..len`: cos and sin of `pos / base^(2i/head_dim)`.
fn rope_tables(cfg: &Config, len: usize, device: &Device) -> Result<(Tensor, Tensor)> {
    let half = cfg.head_dim / 2;
    let inv: Vec<f32> = (0..half)
        .map(|i| 1.0 / cfg.rope_base.powf(2.0 * i as f32 / cfg.head_dim as f32))
        .collect();
    let inv = Tensor::from_vec(inv, (1, half), device)?;
    let pos = Tensor::arange(0u32, len as u32, device)?
        .to_dtype(DType::F32)?
        .reshape((len, 1))?;
    let freqs = pos.broadcast_mul(&inv)?;
    Ok((freqs.cos()?, freqs.sin()?))
}

/// The index of the largest logit (greedy decoding without the sampler's setup).
pub fn argmax(logits: &Tensor) -> Result<u32> {
    logits.argmax(D::Minus1)?.to_scalar::<u32>()
}
