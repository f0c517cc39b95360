//! Where knowledge-base files come from: the project's own knowledge base (`.lqls/knowledge-base` or
//! `[knowledge-base] path`) and the bundled one compiled into the binary, which is written out once to
//! the cache folder so that citations open real files.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::chunk::{chunk_file, Chunk, Origin, Tier};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_kb.rs"));
}

/// The bundled files: (path inside the knowledge base, bytes).
pub fn bundled_files() -> &'static [(&'static str, &'static [u8])] {
    bundled::FILES
}

/// lqls's cache folder: `$LQLS_CACHE`, else `$XDG_CACHE_HOME/lqls`, else `~/.cache/lqls`, else a
/// folder under the system's temporary directory.
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("LQLS_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("lqls");
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(h) => PathBuf::from(h).join(".cache/lqls"),
        None => std::env::temp_dir().join("lqls-cache"),
    }
}

/// What loading gave: the chunks of every tier, and the files that were skipped, with why.
#[derive(Default)]
pub struct Loaded {
    pub chunks: Vec<Chunk>,
    pub warnings: Vec<String>,
    /// The knowledge bases read, project first.
    pub roots: Vec<(Origin, PathBuf)>,
}

/// Reads the project's knowledge base (when `project` is given and exists) and, unless `bundled` is
/// false, the bundled one. Project chunks come first within each tier.
pub fn load(project: Option<&Path>, bundled: bool) -> Loaded {
    let mut out = Loaded::default();
    if let Some(root) = project.filter(|p| p.is_dir()) {
        out.roots.push((Origin::Project, root.to_path_buf()));
        for tier in Tier::ALL {
            for path in files_under(&root.join(tier.folder()), &mut out.warnings) {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                match std::fs::read(&path).map(String::from_utf8) {
                    Ok(Ok(text)) => {
                        out.chunks
                            .extend(chunk_file(tier, Origin::Project, path, &rel, &text))
                    }
                    Ok(Err(_)) => out
                        .warnings
                        .push(format!("{}: not UTF-8 text, skipped", path.display())),
                    Err(e) => out
                        .warnings
                        .push(format!("{}: {e}, skipped", path.display())),
                }
            }
        }
    } else if let Some(p) = project {
        if p.exists() {
            out.warnings
                .push(format!("{}: not a folder, ignored", p.display()));
        }
    }
    if bundled {
        let root = materialize();
        out.roots.push((Origin::Bundled, root.clone()));
        for (rel, bytes) in bundled_files() {
            let Some(tier) = tier_of(rel) else { continue };
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    out.chunks
                        .extend(chunk_file(tier, Origin::Bundled, root.join(rel), rel, text))
                }
                Err(_) => out
                    .warnings
                    .push(format!("bundled {rel}: not UTF-8 text, skipped")),
            }
        }
    }
    out.chunks.sort_by_key(|c| (c.tier, c.origin));
    out
}

fn tier_of(rel: &str) -> Option<Tier> {
    let first = rel.split('/').next()?;
    Tier::ALL.into_iter().find(|t| t.folder() == first)
}

/// The files below `dir`, sorted, skipping hidden files and folders (editor swap files, `.git`). An
/// entry that cannot be read (a broken link) becomes a warning; a missing `dir` is simply empty.
fn files_under(dir: &Path, warnings: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|entry| match entry {
            Ok(e) => Some(e),
            Err(e) => {
                if let Some(p) = e.path().filter(|_| e.depth() > 0) {
                    warnings.push(format!("{}: {e}, skipped", p.display()));
                }
                None
            }
        })
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// A digest of every bundled file: names the folder it is written to, so that a new build never reads
/// an older build's copy.
pub fn bundled_digest() -> String {
    let mut h = Sha256::new();
    for (rel, bytes) in bundled_files() {
        h.update(rel.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    super::hex(&h.finalize()[..8])
}

/// Writes the bundled files to `<cache>/kb/bundled-<digest>/` and returns that folder. Each file is
/// checked (present, same length) and written only when it is not, through a temporary file renamed
/// into place: servers and tests running at once never see half a file, and a copy someone pruned
/// heals itself. When the cache cannot be written the folder is still returned: citations then name
/// files that do not exist, but search works, since chunks are read from the binary.
pub fn materialize() -> PathBuf {
    let dir = cache_dir()
        .join("kb")
        .join(format!("bundled-{}", bundled_digest()));
    for (rel, bytes) in bundled_files() {
        let path = dir.join(rel);
        let intact = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64);
        if intact {
            continue;
        }
        if let Err(e) = super::vectors::write_atomic(&path, bytes) {
            tracing::warn!(
                "cannot write the bundled knowledge base to {}: {e}",
                dir.display()
            );
            break;
        }
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_kb_comes_first_and_bad_files_are_skipped_with_a_warning() {
        let dir = tempdir("source");
        let g = dir.join("guidelines");
        std::fs::create_dir_all(&g).unwrap();
        std::fs::write(
            g.join("ours.md"),
            "# Ours\n\n## GL-OURS-001: Our rule\n\nAlways do it our way.\n",
        )
        .unwrap();
        std::fs::write(g.join("bad.md"), b"# Bad\n\n## S\n\n\xff\xfe broken\n").unwrap();
        let loaded = load(Some(&dir), true);
        assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
        assert!(loaded.warnings[0].contains("bad.md") && loaded.warnings[0].contains("UTF-8"));
        let first = &loaded.chunks[0];
        assert_eq!(first.guideline_id.as_deref(), Some("GL-OURS-001"));
        assert_eq!(first.origin, Origin::Project);
        assert_eq!(first.rel, "guidelines/ours.md");
        // Every bundled chunk's citation names a file that exists (the materialized copy).
        let bundled: Vec<_> = loaded
            .chunks
            .iter()
            .filter(|c| c.origin == Origin::Bundled)
            .collect();
        assert!(!bundled.is_empty());
        assert!(
            bundled.iter().all(|c| c.path.is_file()),
            "{:?}",
            bundled[0].path
        );
    }

    #[test]
    fn a_missing_project_kb_and_no_bundled_one_is_empty_not_an_error() {
        let loaded = load(Some(Path::new("/nonexistent/kb")), false);
        assert!(loaded.chunks.is_empty());
        assert!(loaded.warnings.is_empty());
    }

    pub(crate) fn tempdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("lqls-kb-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
