//! Finished reviews on disk, one JSON file per key (a sha256 of the model, the prompt's version, the
//! changeset's text and findings, the knowledge base and the generation settings), so reopening a
//! file, or restarting the editor, shows the last review at once. Written atomically; unreadable
//! entries are misses. The folder is pruned to the newest [`MAX_ENTRIES`].

use std::fs;
use std::path::{Path, PathBuf};

use super::Review;

const MAX_ENTRIES: usize = 2000;

#[derive(Clone, Debug)]
pub struct ReviewCache {
    dir: PathBuf,
}

impl ReviewCache {
    pub fn new(dir: PathBuf) -> ReviewCache {
        ReviewCache { dir }
    }

    /// `$LQLS_CACHE/reviews` (by default `~/.cache/lqls/reviews`).
    pub fn default_dir() -> PathBuf {
        crate::kb::source::cache_dir().join("reviews")
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    pub fn get(&self, key: &str) -> Option<Review> {
        let bytes = fs::read(self.path(key)).ok()?;
        let mut review: Review = serde_json::from_slice(&bytes).ok()?;
        review.cached = true;
        Some(review)
    }

    pub fn put(&self, key: &str, review: &Review) -> std::io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let json = serde_json::to_vec_pretty(review).map_err(std::io::Error::other)?;
        crate::kb::vectors::write_atomic(&self.path(key), &json)?;
        prune(&self.dir);
        Ok(())
    }
}

fn prune(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() <= MAX_ENTRIES {
        return;
    }
    files.sort();
    for (_, p) in &files[..files.len() - MAX_ENTRIES] {
        let _ = fs::remove_file(p);
    }
}
