//! Resource paths as Liquibase names files: `/`-separated, relative to a search path
//! (`db/changelog/parts/0001.xml`), never escaping it. Include targets are resolved on these strings,
//! not on the file system, so that what lqls reports is what Liquibase stores in DATABASECHANGELOG.

use std::path::{Path, PathBuf};

/// Normalises a written path into a resource path: `\` becomes `/`, a `classpath:` prefix and
/// leading `/` are dropped (Liquibase resolves both against the search paths), `.` segments vanish
/// and `..` pops its parent. `None` when `..` would climb above the search path: such a path is never
/// read (an include must not reach outside the project).
pub fn normalize(written: &str) -> Option<String> {
    let written = written.trim().replace('\\', "/");
    let written = written.strip_prefix("classpath:").unwrap_or(&written);
    let mut parts: Vec<&str> = Vec::new();
    for seg in written.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The folder part of a resource path (`a/b/c.xml` → `a/b`; `c.xml` → ``).
pub fn parent(resource: &str) -> &str {
    resource.rfind('/').map_or("", |i| &resource[..i])
}

/// `written` resolved against the folder `base` (a resource path).
pub fn join(base: &str, written: &str) -> Option<String> {
    if base.is_empty() {
        normalize(written)
    } else {
        normalize(&format!("{base}/{written}"))
    }
}

/// The resource path of `file` under `root`, when it is inside it.
pub fn resource_of(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// The file a resource path names under `root`.
pub fn under(root: &Path, resource: &str) -> PathBuf {
    let mut p = root.to_path_buf();
    for seg in resource.split('/').filter(|s| !s.is_empty()) {
        p.push(seg);
    }
    p
}

/// Lexically normalised absolute path (no symlink resolution: a workspace may be reached through a
/// symlink and the editor sends the path it knows).
pub fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_liquibase() {
        assert_eq!(
            normalize("classpath:/db/a/../b.xml").as_deref(),
            Some("db/b.xml")
        );
        assert_eq!(normalize("db\\x\\.\\y.xml").as_deref(), Some("db/x/y.xml"));
        assert_eq!(normalize("../outside.xml"), None);
        assert_eq!(join("a/b", "../c.xml").as_deref(), Some("a/c.xml"));
        assert_eq!(join("a", "../../c.xml"), None);
        assert_eq!(parent("a/b/c.xml"), "a/b");
        assert_eq!(parent("c.xml"), "");
    }

    #[test]
    fn resource_paths_map_to_files_and_back() {
        let root = Path::new("/w/src/main/resources");
        let f = under(root, "db/changelog/x.xml");
        assert_eq!(f, Path::new("/w/src/main/resources/db/changelog/x.xml"));
        assert_eq!(resource_of(root, &f).as_deref(), Some("db/changelog/x.xml"));
        assert_eq!(resource_of(root, Path::new("/w/other.xml")), None);
        assert_eq!(absolute(Path::new("/a/./b/../c")), Path::new("/a/c"));
    }
}
