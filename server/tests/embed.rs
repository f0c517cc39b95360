//! The embedder against sentence-transformers: the vectors of `tests/fixtures/embed_reference.json`
//! (made by `scripts/embed_reference.py`) must come out of `kb::embed` within 1e-4 per component.
//!
//! Needs the model (`scripts/setup-models.sh`). Without it these tests print a notice and pass, unless
//! LQLS_REQUIRE_MODELS=1 (as in CI), where a missing model is a failure.

mod common;

use common::embedder;
use lqls::kb::embed::{default_model_dir, Embedder, DIM};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    sentences: Vec<Sentence>,
}

#[derive(Deserialize)]
struct Sentence {
    text: String,
    tokens: usize,
    vector: Vec<f32>,
}

fn reference() -> Reference {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/embed_reference.json"
    );
    let text = std::fs::read_to_string(path).expect("reference fixture");
    serde_json::from_str(&text).expect("reference fixture is JSON")
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

#[test]
fn vectors_match_sentence_transformers() {
    let Some(e) = embedder() else { return };
    let reference = reference();
    // The fixture must exercise the tokenizer's 128 cut (replaced) and the model's 256 cut (kept).
    assert!(reference.sentences.iter().any(|s| s.tokens > 256));
    let mut worst = 0.0f32;
    for s in &reference.sentences {
        let got = e.embed(&[&s.text]).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].len(), DIM);
        let diff = max_abs_diff(&got[0], &s.vector);
        assert!(diff < 1e-4, "{diff} for {:?}", s.text);
        assert!((norm(&got[0]) - 1.0).abs() < 1e-5, "norm for {:?}", s.text);
        worst = worst.max(diff);
    }
    eprintln!("max abs difference to sentence-transformers: {worst:e}");
}

#[test]
fn a_batch_gives_the_vectors_of_one_by_one() {
    let Some(e) = embedder() else { return };
    let reference = reference();
    let texts: Vec<&str> = reference
        .sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    // Batches of 4 still pad (sorted by tokens: 2 up to 14, 30 up to 152) and one batch of all pads 2
    // up to 256; the vectors must come back in input order.
    let batched = e.embed_batched(&texts, 4).unwrap();
    let whole = e.embed_batched(&texts, 64).unwrap();
    assert_eq!(batched.len(), texts.len());
    for (i, t) in texts.iter().enumerate() {
        let alone = e.embed(&[t]).unwrap().remove(0);
        assert!(
            max_abs_diff(&batched[i], &alone) < 1e-5,
            "batch of 4, {t:?}"
        );
        assert!(max_abs_diff(&whole[i], &alone) < 1e-5, "one batch, {t:?}");
    }
}

#[test]
fn empty_input_and_odd_text() {
    let Some(e) = embedder() else { return };
    assert!(e.embed(&[]).unwrap().is_empty());
    // Batch size 0 is treated as 1; control characters and U+FFFD are ordinary input.
    let v = e
        .embed_batched(&["", "\0\u{1}\u{fffd}", &"x ".repeat(5000)], 0)
        .unwrap();
    assert_eq!(v.len(), 3);
    for x in &v {
        assert_eq!(x.len(), DIM);
        assert!((norm(x) - 1.0).abs() < 1e-5);
    }
}

#[test]
fn model_id_is_stable() {
    let Some(e) = embedder() else { return };
    let id = e.model_id();
    assert_eq!(id.len(), 64);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    // A second load reads the cached digest and must agree with the first.
    let again = Embedder::load(&default_model_dir()).unwrap();
    assert_eq!(again.model_id(), id);
}

#[test]
fn usable_from_several_threads() {
    let Some(e) = embedder() else { return };
    let expected = e.embed(&["addColumn"]).unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| s.spawn(|| e.embed(&["addColumn"]).unwrap()))
            .collect();
        for h in handles {
            assert!(max_abs_diff(&h.join().unwrap()[0], &expected[0]) < 1e-6);
        }
    });
}

#[test]
fn missing_folder_is_a_clear_error() {
    let dir = std::env::temp_dir().join("lqls-no-model-here");
    let err = Embedder::load(&dir).err().expect("no model");
    let msg = err.to_string();
    assert!(msg.contains(&*dir.to_string_lossy()), "{msg}");
    assert!(msg.contains("scripts/setup-models.sh"), "{msg}");
    assert!(msg.contains("LQLS_EMBED_MODEL"), "{msg}");
}
