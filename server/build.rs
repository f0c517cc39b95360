//! Embeds the bundled knowledge base (`../knowledge-base`) in the binary, so that an installed `lqls`
//! (a VS Code extension's copy, a CI image) has it without the repository beside it. The generated file
//! lists every tier file with its bytes; `kb::source` writes them out once to a cache folder so that
//! citations can link to real files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const TIERS: &[&str] = &["guidelines", "examples", "liquibase-docs"];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let kb = manifest.join("../knowledge-base");
    // A directory makes cargo rerun when anything below it changes.
    println!("cargo:rerun-if-changed={}", kb.display());
    let mut files = Vec::new();
    for tier in TIERS {
        collect(&kb.join(tier), &mut files);
    }
    files.sort();
    let mut out = String::from(
        "/// Bundled knowledge-base files: (path inside the knowledge base, bytes).\n",
    );
    out.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&kb)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let abs = f.canonicalize().unwrap();
        let _ = writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.to_string_lossy()
        );
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled_kb.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p
            .file_name()
            .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        {
            out.push(p);
        }
    }
}
