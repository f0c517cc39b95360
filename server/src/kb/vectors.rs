//! The on-disk embedding cache: vectors keyed by the sha256 of the embedded text, one file per model
//! (`<cache>/kb/embeddings-<model>.bin`), so that editing one guideline re-embeds one chunk and a new
//! model never reads an old model's vectors.
//!
//! Format: the magic `LQLSEMB1`, the dimension (u32 LE), then records of 32 hash bytes and `dim` f32 LE.
//! A file with the wrong magic or dimension is ignored (and replaced on the next save); a truncated last
//! record is dropped; a vector that is not finite and unit-length is dropped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"LQLSEMB1";

pub struct VectorCache {
    path: PathBuf,
    dim: usize,
    vectors: HashMap<[u8; 32], Vec<f32>>,
    dirty: bool,
}

impl VectorCache {
    /// The cache file for `model_id` under `dir`.
    pub fn path_for(dir: &Path, model_id: &str) -> PathBuf {
        let short = &model_id[..model_id.len().min(16)];
        dir.join(format!("embeddings-{short}.bin"))
    }

    /// Reads the cache (an absent or unreadable file is an empty cache).
    pub fn open(path: PathBuf, dim: usize) -> VectorCache {
        let vectors = std::fs::read(&path)
            .ok()
            .map(|bytes| decode(&bytes, dim))
            .unwrap_or_default();
        VectorCache {
            path,
            dim,
            vectors,
            dirty: false,
        }
    }

    pub fn get(&self, hash: &[u8; 32]) -> Option<&[f32]> {
        self.vectors.get(hash).map(Vec::as_slice)
    }

    pub fn insert(&mut self, hash: [u8; 32], vector: Vec<f32>) {
        if vector.len() == self.dim {
            self.vectors.insert(hash, vector);
            self.dirty = true;
        }
    }

    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// Keeps only the entries in `live` (chunks that no longer exist stop taking space).
    pub fn retain(&mut self, live: &std::collections::HashSet<[u8; 32]>) {
        let before = self.vectors.len();
        self.vectors.retain(|h, _| live.contains(h));
        self.dirty |= self.vectors.len() != before;
    }

    /// Writes the cache when it changed: to a temporary file renamed into place, so a crash or a
    /// concurrent writer never leaves half a file.
    pub fn save(&mut self) -> std::io::Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let mut out = Vec::with_capacity(12 + self.vectors.len() * (32 + 4 * self.dim));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.dim as u32).to_le_bytes());
        let mut keys: Vec<_> = self.vectors.keys().collect();
        keys.sort();
        for k in keys {
            out.extend_from_slice(k);
            for x in &self.vectors[k] {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        write_atomic(&self.path, &out)?;
        self.dirty = false;
        Ok(())
    }
}

fn decode(bytes: &[u8], dim: usize) -> HashMap<[u8; 32], Vec<f32>> {
    let mut out = HashMap::new();
    if bytes.len() < 12 || &bytes[..8] != MAGIC || bytes[8..12] != (dim as u32).to_le_bytes() {
        return out;
    }
    let record = 32 + 4 * dim;
    for r in bytes[12..].chunks_exact(record) {
        let hash: [u8; 32] = r[..32].try_into().unwrap();
        let v: Vec<f32> = r[32..]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect();
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if v.iter().all(|x| x.is_finite()) && (norm - 1.0).abs() < 1e-3 {
            out.insert(hash, v);
        }
    }
    out
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Unique per process and call: two threads of one process writing the same file must not share
    // a temporary file.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp{}-{n}", std::process::id()));
    let tmp = path.with_file_name(name);
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(dim: usize, i: usize) -> Vec<f32> {
        let mut v = vec![0.0; dim];
        v[i] = 1.0;
        v
    }

    #[test]
    fn round_trip_and_corruption() {
        let dir = std::env::temp_dir().join(format!("lqls-vec-{}", std::process::id()));
        let path = VectorCache::path_for(&dir, "abcdef0123456789ffff");
        let mut c = VectorCache::open(path.clone(), 4);
        assert!(c.is_empty());
        c.insert([1; 32], unit(4, 0));
        c.insert([2; 32], unit(4, 1));
        c.insert([3; 32], vec![1.0; 3]); // wrong dimension: ignored
        c.save().unwrap();
        let c2 = VectorCache::open(path.clone(), 4);
        assert_eq!(c2.len(), 2);
        assert_eq!(c2.get(&[2; 32]).unwrap(), &unit(4, 1)[..]);
        // Another dimension: the file is not trusted.
        assert!(VectorCache::open(path.clone(), 8).is_empty());
        // A truncated file keeps its whole records only.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        assert_eq!(VectorCache::open(path.clone(), 4).len(), 1);
        // Garbage is an empty cache.
        std::fs::write(&path, b"garbage").unwrap();
        assert!(VectorCache::open(path, 4).is_empty());
        let _ = std::fs::remove_dir_all(dir);
    }
}
