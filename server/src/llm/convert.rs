//! Opening GGUF files safely, and converting once the quantisations Candle has no fast CPU path for.
//!
//! Candle's CPU matmul on a quantized weight is a dot product of the weight's blocks with the
//! activations quantized to the weight's "vec-dot" type. Candle 0.11 has SIMD versions of that dot
//! product (AVX2 on x86-64, NEON on ARM) for Q4_0, Q8_0 and the K-quants (Q2_K … Q6_K, Q8_K); F32, F16
//! and BF16 weights are dequantized at load and go through the float matmul. Q4_1, Q5_0, Q5_1 and
//! Q8_1 only have the scalar reference loop, several times slower — and Q4_1 is what the default model
//! (SmolLM2-135M-Instruct) is published in. [`ensure_fast`] rewrites such a file once into the model
//! cache with those weights requantized to Q8_0.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use candle_core::quantized::gguf_file::{self, Content, Value};
use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::Device;
use sha2::{Digest, Sha256};

use super::LlmError;

/// Whether Candle multiplies by a weight of this type with SIMD code (or as a float tensor).
pub fn has_fast_matmul(dtype: GgmlDType) -> bool {
    use GgmlDType as D;
    match dtype {
        D::F32 | D::F16 | D::BF16 => true,
        D::Q4_0 | D::Q8_0 | D::Q2K | D::Q3K | D::Q4K | D::Q5K | D::Q6K | D::Q8K => true,
        D::Q4_1 | D::Q5_0 | D::Q5_1 | D::Q8_1 => false,
    }
}

/// Opens a GGUF and reads its header, checking that every tensor it lists lies inside the file (a
/// truncated download reads its metadata fine and fails only when the weights are loaded).
pub fn read_gguf(path: &Path) -> Result<(File, Content), LlmError> {
    let mut file = File::open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            LlmError::MissingModel {
                path: path.to_path_buf(),
            }
        } else {
            LlmError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let len = file
        .metadata()
        .map_err(|source| LlmError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    let corrupt = |reason: String| LlmError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let content = {
        let mut reader = BufReader::new(&mut file);
        // Candle checks lengths against the file size; the unwind guard is for what it does not
        // check (an alignment of 0 divides by zero).
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Content::read(&mut reader)))
            .map_err(|_| corrupt("the GGUF header is malformed".to_string()))?
            .map_err(|e| corrupt(format!("not a readable GGUF file: {e}")))?
    };
    for (name, info) in &content.tensor_infos {
        let elems = info.shape.elem_count() as u64;
        let block = info.ggml_dtype.block_size() as u64;
        if elems % block != 0 {
            return Err(corrupt(format!(
                "tensor {name} has {elems} elements, not a multiple of the {:?} block of {block}",
                info.ggml_dtype
            )));
        }
        let size = elems / block * info.ggml_dtype.type_size() as u64;
        let end = content
            .tensor_data_offset
            .checked_add(info.offset)
            .and_then(|s| s.checked_add(size));
        if end.is_none_or(|end| end > len) {
            return Err(corrupt(format!(
                "tensor {name} ends past the end of the file ({len} bytes): truncated?"
            )));
        }
    }
    Ok((file, content))
}

/// The GGUF to load for `path`: `path` itself when all its matrices have a fast CPU path, else a copy
/// with the slow ones requantized to Q8_0, written once into `cache_dir` and reused from then on.
///
/// Why Q8_0 rather than Q4_0, which would keep the file as small as the original: requantizing is a
/// second rounding on top of the first. A Q4_1 block is 16 evenly spaced levels from its minimum; Q8_0
/// puts 255 levels symmetrically around zero at 1/127 of the block's largest magnitude, so every Q4_1
/// value lands within half a Q8_0 step of itself (the test checks this), and the model behaves as the
/// published file does. Q4_0 has 16 levels centred on zero and no offset, which cannot represent a
/// block of Q4_1 levels that is not centred: the rounding error would add to Q4_1's own, in a 135M
/// model where every bit shows in the output. For speed, Q8_0's dot product is among Candle's fastest
/// (AVX2, and a repacked AVX-512 VNNI kernel where the shapes allow); on a model this small the
/// larger weights (8.5 instead of 5 bits a weight) still fit in cache far better than the scalar
/// Q4_1 loop runs.
///
/// Returns the file to run, opened, with its header (read once, and checked by [`read_gguf`]).
pub fn ensure_fast(path: &Path, cache_dir: &Path) -> Result<(PathBuf, File, Content), LlmError> {
    let (file, content) = read_gguf(path)?;
    if !needs_conversion(&content) {
        return Ok((path.to_path_buf(), file, content));
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("model");
    let key = &crate::kb::hex(&fingerprint(path, &file)?)[..16];
    let out = cache_dir.join(format!("{key}-{stem}.q8_0.gguf"));
    if let Ok((cached_file, cached)) = read_gguf(&out) {
        if !needs_conversion(&cached) {
            return Ok((out, cached_file, cached));
        }
    }
    let started = std::time::Instant::now();
    std::fs::create_dir_all(cache_dir).map_err(|source| LlmError::Io {
        path: cache_dir.to_path_buf(),
        source,
    })?;
    let tmp = cache_dir.join(format!(
        ".{}.tmp-{}",
        out.file_name().and_then(|n| n.to_str()).unwrap_or("model"),
        std::process::id()
    ));
    let written = write_converted(path, file, &content, &tmp).and_then(|()| {
        std::fs::rename(&tmp, &out).map_err(|source| LlmError::Io {
            path: out.clone(),
            source,
        })
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    tracing::info!(
        "converted {} to Q8_0 matrices in {:.1}s: {}",
        path.display(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    let (file, content) = read_gguf(&out)?;
    Ok((out, file, content))
}

/// Whether some matrix (a tensor of two or more dimensions: vectors such as norms are not multiplied
/// by) has no fast path.
pub fn needs_conversion(content: &Content) -> bool {
    content
        .tensor_infos
        .values()
        .any(|t| t.shape.rank() >= 2 && !has_fast_matmul(t.ggml_dtype))
}

/// The sha256 of a model file's size and its first and last MiB (the metadata and tensor table, and
/// the tail of the weights): a file replaced by another model or quantisation gets another
/// fingerprint, without hashing gigabytes. Names converted copies and keys review caches.
pub fn fingerprint(path: &Path, file: &File) -> Result<[u8; 32], LlmError> {
    const MIB: u64 = 1 << 20;
    let io = |source| LlmError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = file;
    let len = f.metadata().map_err(io)?.len();
    let mut h = Sha256::new();
    h.update(len.to_le_bytes());
    let mut buf = Vec::with_capacity(MIB as usize);
    f.seek(SeekFrom::Start(0)).map_err(io)?;
    f.take(MIB).read_to_end(&mut buf).map_err(io)?;
    h.update(&buf);
    buf.clear();
    f.seek(SeekFrom::Start(len.saturating_sub(MIB)))
        .map_err(io)?;
    f.take(MIB).read_to_end(&mut buf).map_err(io)?;
    h.update(&buf);
    Ok(h.finalize().into())
}

/// Writes `content` (with every tensor read from `file`) to `tmp`, slow matrices requantized.
///
/// All tensors are held in memory at once, as `gguf_file::write` takes them together: fine for the
/// small models lqls runs on a CPU.
fn write_converted(path: &Path, file: File, content: &Content, tmp: &Path) -> Result<(), LlmError> {
    let corrupt = |reason: String| LlmError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = BufReader::new(file);
    // In the original's order, which is the order of the data in the file.
    let mut names: Vec<&String> = content.tensor_infos.keys().collect();
    names.sort_by_key(|n| (content.tensor_infos[*n].offset, (*n).clone()));
    let mut tensors: Vec<(&str, QTensor)> = Vec::with_capacity(names.len());
    for name in names {
        let info = &content.tensor_infos[name];
        let q = content
            .tensor(&mut reader, name, &Device::Cpu)
            .map_err(|e| corrupt(format!("tensor {name}: {e}")))?;
        let q = if info.shape.rank() >= 2
            && !has_fast_matmul(info.ggml_dtype)
            && info.shape.dims().last().is_some_and(|d| d % 32 == 0)
        {
            let f = q
                .dequantize(&Device::Cpu)
                .map_err(|e| corrupt(format!("tensor {name}: {e}")))?;
            QTensor::quantize(&f, GgmlDType::Q8_0)
                .map_err(|e| LlmError::Inference(format!("requantizing {name}: {e}")))?
        } else {
            q
        };
        tensors.push((name.as_str(), q));
    }
    // Candle writes 32-byte alignment; a source that declared another must not keep saying so.
    let alignment = Value::U32(gguf_file::DEFAULT_ALIGNMENT as u32);
    let mut metadata: Vec<(&str, &Value)> = content
        .metadata
        .iter()
        .map(|(k, v)| {
            if k == "general.alignment" {
                (k.as_str(), &alignment)
            } else {
                (k.as_str(), v)
            }
        })
        .collect();
    metadata.sort_by_key(|(k, _)| *k);
    let tensor_refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (*n, t)).collect();

    let io = |source| LlmError::Io {
        path: tmp.to_path_buf(),
        source,
    };
    let out = File::create(tmp).map_err(io)?;
    let mut w = BufWriter::new(out);
    gguf_file::write(&mut w, &metadata, &tensor_refs)
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let out = w
        .into_inner()
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    out.sync_all().map_err(io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Tensor;

    /// A GGUF with two Q4_1 matrices of random values, an F32 norm and some metadata.
    fn write_tiny(path: &Path) -> Vec<(String, Value)> {
        let dev = Device::Cpu;
        let a = Tensor::randn(0f32, 0.5, (64, 96), &dev).unwrap();
        let b = Tensor::randn(0.1f32, 1.0, (32, 64), &dev).unwrap();
        let norm = Tensor::randn(1f32, 0.1, 96, &dev).unwrap();
        let qa = QTensor::quantize(&a, GgmlDType::Q4_1).unwrap();
        let qb = QTensor::quantize(&b, GgmlDType::Q4_1).unwrap();
        let qn = QTensor::quantize(&norm, GgmlDType::F32).unwrap();
        let meta = vec![
            (
                "general.architecture".to_string(),
                Value::String("llama".into()),
            ),
            ("llama.block_count".to_string(), Value::U32(1)),
            (
                "tokenizer.ggml.tokens".to_string(),
                Value::Array(vec![Value::String("a".into()), Value::String("b".into())]),
            ),
            ("general.file_type".to_string(), Value::U32(3)),
        ];
        let meta_refs: Vec<(&str, &Value)> = meta.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let mut f = File::create(path).unwrap();
        gguf_file::write(
            &mut f,
            &meta_refs,
            &[("blk.0.a", &qa), ("blk.0.b", &qb), ("blk.0.norm", &qn)],
        )
        .unwrap();
        meta
    }

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("lqls-convert-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn converts_q4_1_to_q8_0_once() {
        let dir = temp_dir("q41");
        let src = dir.join("tiny.Q4_1.gguf");
        let meta = write_tiny(&src);
        let cache = dir.join("cache");
        let (out, _, _) = ensure_fast(&src, &cache).unwrap();
        assert_ne!(out, src);
        let name = out.file_name().unwrap().to_str().unwrap();
        assert!(name.ends_with("-tiny.Q4_1.q8_0.gguf"), "{name}");
        assert_eq!(name.find('-'), Some(16), "{name}");

        let (mut fs, cs) = read_gguf(&src).unwrap();
        let (mut fo, co) = read_gguf(&out).unwrap();
        assert!(!needs_conversion(&co));
        for (k, v) in &meta {
            assert_eq!(
                format!("{:?}", co.metadata[k]),
                format!("{v:?}"),
                "metadata {k}"
            );
        }
        assert_eq!(co.metadata.len(), meta.len());
        assert_eq!(co.tensor_infos.len(), 3);
        for name in ["blk.0.a", "blk.0.b"] {
            assert_eq!(co.tensor_infos[name].ggml_dtype, GgmlDType::Q8_0);
            let s = cs.tensor(&mut fs, name, &Device::Cpu).unwrap();
            let o = co.tensor(&mut fo, name, &Device::Cpu).unwrap();
            assert_eq!(s.shape(), o.shape());
            let values = |t: candle_core::quantized::QTensor| -> Vec<f32> {
                let t = t.dequantize(&Device::Cpu).unwrap();
                t.flatten_all().unwrap().to_vec1().unwrap()
            };
            let (s, o) = (values(s), values(o));
            // Each Q8_0 value is within half a step (1/127 of its block's largest magnitude) of the
            // Q4_1 one, plus the rounding of the step to f16 (11 bits) times up to 127 steps.
            for (bs, bo) in s.chunks(32).zip(o.chunks(32)) {
                let amax = bs.iter().fold(0f32, |m, x| m.max(x.abs()));
                for (x, y) in bs.iter().zip(bo) {
                    assert!(
                        (x - y).abs() <= amax * (1.0 / 254.0 + 1.0 / 2048.0) + 1e-6,
                        "{x} vs {y} (block max {amax})"
                    );
                }
            }
        }
        // The norm is kept exactly.
        assert_eq!(co.tensor_infos["blk.0.norm"].ggml_dtype, GgmlDType::F32);
        let s = cs.tensor(&mut fs, "blk.0.norm", &Device::Cpu).unwrap();
        let o = co.tensor(&mut fo, "blk.0.norm", &Device::Cpu).unwrap();
        assert_eq!(s.data().unwrap(), o.data().unwrap());

        // The second call reuses the file.
        let mtime = std::fs::metadata(&out).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(ensure_fast(&src, &cache).unwrap().0, out);
        assert_eq!(std::fs::metadata(&out).unwrap().modified().unwrap(), mtime);
        // No temporary file is left behind.
        let leftovers: Vec<_> = std::fs::read_dir(&cache)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");

        // A converted file that no longer opens is written again.
        std::fs::write(&out, b"GGUF broken").unwrap();
        assert_eq!(ensure_fast(&src, &cache).unwrap().0, out);
        assert!(read_gguf(&out).is_ok());

        // A file that is fast already is used as it is.
        assert_eq!(ensure_fast(&out, &dir.join("other")).unwrap().0, out);
        assert!(!dir.join("other").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unreadable_files_are_clean_errors() {
        let dir = temp_dir("bad");
        let src = dir.join("tiny.gguf");
        write_tiny(&src);
        let bytes = std::fs::read(&src).unwrap();
        for cut in [0, 3, 10, 40, 200, bytes.len() / 2, bytes.len() - 1] {
            let p = dir.join(format!("cut{cut}.gguf"));
            std::fs::write(&p, &bytes[..cut]).unwrap();
            match ensure_fast(&p, &dir.join("cache")) {
                Err(LlmError::Corrupt { .. }) => {}
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        assert!(matches!(
            ensure_fast(&dir.join("absent.gguf"), &dir.join("cache")),
            Err(LlmError::MissingModel { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
