//! The default model (Q4_1, which Candle has no fast CPU path for) converts to a Q8_0 copy that opens,
//! keeps the metadata and tokenizes the same; the second call reuses it.

mod common;

use std::time::Instant;

use candle_core::quantized::GgmlDType;
use candle_core::{Device, Tensor};
use candle_transformers::models::quantized_llama::ModelWeights;
use lqls::llm::convert::{ensure_fast, has_fast_matmul, needs_conversion, read_gguf};
use lqls::llm::gguf_tokenizer::from_gguf;

#[test]
fn converts_the_default_model_once() {
    let Some(model) = common::llm_model() else {
        return;
    };
    let cache = std::env::temp_dir().join(format!("lqls-llm-convert-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);

    let started = Instant::now();
    let (out, _, _) = ensure_fast(&model, &cache).unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    let size = std::fs::metadata(&out).unwrap().len();
    eprintln!(
        "converted {} ({:.1} MiB) in {:.2}s: {} ({:.1} MiB)",
        model.display(),
        std::fs::metadata(&model).unwrap().len() as f64 / 1048576.0,
        took.as_secs_f64(),
        out.display(),
        size as f64 / 1048576.0
    );

    let (_, src) = read_gguf(&model).unwrap();
    let (_, conv) = read_gguf(&out).unwrap();
    assert!(needs_conversion(&src));
    assert!(!needs_conversion(&conv));
    assert_eq!(src.metadata.len(), conv.metadata.len());
    for (k, v) in &src.metadata {
        assert_eq!(format!("{v:?}"), format!("{:?}", conv.metadata[k]), "{k}");
    }
    assert_eq!(src.tensor_infos.len(), conv.tensor_infos.len());
    for (name, s) in &src.tensor_infos {
        let c = &conv.tensor_infos[name];
        assert_eq!(s.shape, c.shape, "{name}");
        let expected = if has_fast_matmul(s.ggml_dtype) || s.shape.rank() < 2 {
            s.ggml_dtype
        } else {
            GgmlDType::Q8_0
        };
        assert_eq!(c.ggml_dtype, expected, "{name}");
    }
    let text = "<|im_start|>user\nAdd a NOT NULL column VARCHAR(255)<|im_end|>\n";
    assert_eq!(
        from_gguf(&src, &model)
            .unwrap()
            .encode(text, false)
            .unwrap(),
        from_gguf(&conv, &out).unwrap().encode(text, false).unwrap()
    );

    // The converted model computes what the original does: the same next token, nearly the same
    // logits; and a decoding step is faster.
    let prompt = from_gguf(&src, &model)
        .unwrap()
        .encode(text, false)
        .unwrap();
    let (a, a_ms) = run(&model, &prompt);
    let (b, b_ms) = run(&out, &prompt);
    let argmax = |v: &[f32]| {
        v.iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1))
            .unwrap()
            .0
    };
    assert_eq!(argmax(&a), argmax(&b));
    let dot: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    let cos = dot / (norm(&a) * norm(&b));
    eprintln!(
        "logits cosine {cos:.5}; one decoding step: Q4_1 {a_ms:.1} ms, converted {b_ms:.1} ms"
    );
    assert!(cos > 0.99, "cosine {cos}");

    let mtime = std::fs::metadata(&out).unwrap().modified().unwrap();
    let started = Instant::now();
    assert_eq!(ensure_fast(&model, &cache).unwrap().0, out);
    eprintln!("reused in {:.3}s", started.elapsed().as_secs_f64());
    assert_eq!(std::fs::metadata(&out).unwrap().modified().unwrap(), mtime);
    let _ = std::fs::remove_dir_all(&cache);
}

/// The logits after `prompt`, and the median milliseconds of a one-token step after it.
fn run(path: &std::path::Path, prompt: &[u32]) -> (Vec<f32>, f64) {
    let (mut file, content) = read_gguf(path).unwrap();
    let mut m = ModelWeights::from_gguf(content, &mut file, &Device::Cpu).unwrap();
    let x = Tensor::new(prompt, &Device::Cpu)
        .unwrap()
        .unsqueeze(0)
        .unwrap();
    let logits: Vec<f32> = m
        .forward(&x, 0)
        .unwrap()
        .squeeze(0)
        .unwrap()
        .to_vec1()
        .unwrap();
    let mut steps = Vec::new();
    for i in 0..9 {
        let x = Tensor::new(&[prompt[0]], &Device::Cpu)
            .unwrap()
            .unsqueeze(0)
            .unwrap();
        let t = Instant::now();
        m.forward(&x, prompt.len() + i).unwrap();
        steps.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    steps.sort_by(f64::total_cmp);
    (logits, steps[steps.len() / 2])
}
