//! The tokenizer built from the GGUF's metadata gives llama.cpp's ids for the default model
//! (fixtures/llm/tokenizer_smollm2.json, written by scripts/tokenizer_reference.py), decodes back to
//! the text, streams text as the whole decode does, and unreadable files are clean errors.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lqls::llm::convert::read_gguf;
use lqls::llm::gguf_tokenizer::{from_gguf, GgufTokenizer};
use lqls::llm::LlmError;

struct Case {
    text: String,
    ids: Vec<u32>,
}

fn fixture() -> Vec<Case> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/llm/tokenizer_smollm2.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            text: c["text"].as_str().unwrap().to_string(),
            ids: c["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_u64().unwrap() as u32)
                .collect(),
        })
        .collect()
}

/// The default model's tokenizer, built once; `None` when the model is not installed.
fn tokenizer() -> Option<&'static (PathBuf, GgufTokenizer)> {
    static TOK: OnceLock<Option<(PathBuf, GgufTokenizer)>> = OnceLock::new();
    TOK.get_or_init(|| {
        let path = common::llm_model()?;
        let (_, content) = read_gguf(&path).unwrap_or_else(|e| panic!("{e}"));
        let tok = from_gguf(&content, &path).unwrap_or_else(|e| panic!("{e}"));
        Some((path, tok))
    })
    .as_ref()
}

#[test]
fn ids_match_llama_cpp() {
    let Some((_, tok)) = tokenizer() else { return };
    let cases = fixture();
    assert!(cases.len() >= 20);
    let mut wrong = Vec::new();
    for c in &cases {
        let ids = tok.encode(&c.text, false).unwrap();
        if ids != c.ids {
            wrong.push(format!(
                "{:?}\n  llama.cpp: {:?}\n  lqls:      {:?}",
                c.text, c.ids, ids
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} strings tokenize differently from llama.cpp:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
    // SmolLM2 adds no BOS: encoding with the special tokens gives the same ids.
    assert!(!tok.adds_bos());
    assert_eq!(
        tok.encode("Hello", true).unwrap(),
        tok.encode("Hello", false).unwrap()
    );
}

#[test]
fn special_ids() {
    let Some((_, tok)) = tokenizer() else { return };
    assert_eq!(tok.vocab_size(), 49152);
    assert_eq!(tok.bos_id(), Some(1));
    assert_eq!(tok.id_of("<|im_start|>"), Some(1));
    assert_eq!(tok.id_of("<|im_end|>"), Some(2));
    // EOS (<|im_end|>) first, then <|endoftext|>.
    assert_eq!(tok.eos_ids(), &[2, 0]);
    assert_eq!(tok.encode("<|im_start|>", false).unwrap(), vec![1]);
}

#[test]
fn decode_round_trips() {
    let Some((_, tok)) = tokenizer() else { return };
    for c in fixture() {
        assert_eq!(tok.decode(&c.ids).unwrap(), c.text);
    }
}

#[test]
fn streaming_gives_the_whole_decode() {
    let Some((_, tok)) = tokenizer() else { return };
    for c in fixture() {
        let mut stream = tok.stream();
        let mut text = String::new();
        for &id in &c.ids {
            let piece = stream.push(tok, id).unwrap();
            assert!(!piece.contains('\u{FFFD}'), "{:?} in {:?}", piece, c.text);
            text.push_str(&piece);
        }
        text.push_str(&stream.finish(tok).unwrap());
        assert_eq!(text, c.text);
    }
    // The unicode string has characters split over tokens: some steps give nothing.
    let ids = tok.encode("café – naïve 日本語 🚀", false).unwrap();
    let mut stream = tok.stream();
    let empty = ids
        .iter()
        .filter(|&&id| stream.push(tok, id).unwrap().is_empty())
        .count();
    assert!(empty > 0, "no token held back in {ids:?}");
}

/// More strings against a llama.cpp build, when LQLS_LLAMA_BIN names its bin folder.
#[test]
fn live_llama_tokenize() {
    let Some(bin) = std::env::var_os("LQLS_LLAMA_BIN") else {
        eprintln!("live llama.cpp comparison skipped: LQLS_LLAMA_BIN is not set");
        return;
    };
    let Some((model, tok)) = tokenizer() else {
        return;
    };
    let exe = Path::new(&bin).join("llama-tokenize");
    let texts = [
        "<include file=\"db/changelog/2024/01-users.xml\" relativeToChangelogFile=\"true\"/>",
        "preConditions:\n  onFail: MARK_RAN\n  - tableExists:\n      tableName: users\n",
        "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = '42' AND AUTHOR = 'me';",
        "Don't drop   columns\t\tin production!!! 100% sure?? 3.0.0-rc1",
        "Ωμέγα → Größe ≥ 10 µs ✓ 🧪🧪 中文字符 한국어",
        " \n \n  \n",
        "<|im_start|>user\n<|im_end|><|im_end|>\n<|endoftext|>",
        "a'b'c 'll 've '",
        "1234567890 00 0.001 -42 +7 1e-9 ١٢٣",
    ];
    for text in texts {
        let out = std::process::Command::new(&exe)
            .args(["-m"])
            .arg(model)
            .args([
                "--stdin",
                "--no-escape",
                "--no-bos",
                "--ids",
                "--log-disable",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(text.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap_or_else(|e| panic!("{}: {e}", exe.display()));
        assert!(out.status.success(), "llama-tokenize failed on {text:?}");
        let expected: Vec<u32> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(tok.encode(text, false).unwrap(), expected, "{text:?}");
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lqls-llm-tok-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn expect_corrupt(path: &Path) {
    match read_gguf(path).and_then(|(_, c)| from_gguf(&c, path)) {
        Err(LlmError::Corrupt { reason, .. }) => assert!(!reason.is_empty()),
        Err(e) => panic!("{}: {e:?}, expected Corrupt", path.display()),
        Ok(_) => panic!("{}: read fine, expected Corrupt", path.display()),
    }
}

#[test]
fn truncated_and_random_files_are_corrupt() {
    let dir = temp_dir("corrupt");
    // Random bytes (a fixed xorshift stream), with and without the GGUF magic and version.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let random: Vec<u8> = (0..65536)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let p = dir.join("random.gguf");
    std::fs::write(&p, &random).unwrap();
    expect_corrupt(&p);
    let mut magic = b"GGUF\x03\x00\x00\x00".to_vec();
    magic.extend_from_slice(&random);
    std::fs::write(&p, &magic).unwrap();
    expect_corrupt(&p);
    std::fs::write(&p, b"").unwrap();
    expect_corrupt(&p);

    // Cuts of the real model: in the header, in the vocabulary, in the weights, the last byte.
    if let Some((model, _)) = tokenizer() {
        let bytes = std::fs::read(model).unwrap();
        for cut in [4, 100, 300_000, 1_500_000, bytes.len() / 2, bytes.len() - 1] {
            let p = dir.join(format!("cut-{cut}.gguf"));
            std::fs::write(&p, &bytes[..cut]).unwrap();
            expect_corrupt(&p);
            std::fs::remove_file(&p).unwrap();
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
