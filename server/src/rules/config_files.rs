//! Which configuration applies to a changelog: the nearest `lqls.toml` upward from it, layered over
//! the client's settings, cached per configuration file.
//!
//! A file is read again when its modification time or length changes, or when an editor buffer of it
//! replaces the disk text (the language server passes open `lqls.toml` buffers in). A TOML syntax
//! error keeps the last good configuration of that file in force; its problem is still reported.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use super::config::{Config, Problem, FILE_NAME};

/// Where a configuration file's text came from, to know when to read it again.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    Disk(Option<SystemTime>, u64),
    Buffer(Arc<str>),
}

struct Cached {
    source: Source,
    read: FileRead,
}

/// A configuration file as last read.
#[derive(Clone, Debug)]
pub struct FileRead {
    /// The last configuration that read without a syntax error.
    pub good: Option<Arc<Config>>,
    pub problems: Arc<Vec<Problem>>,
    /// The text the problems' spans refer to.
    pub text: Arc<str>,
    /// The current text gave no configuration (not valid TOML, or not readable): `good`, if any, is
    /// an earlier one.
    pub broken: bool,
}

impl FileRead {
    fn unreadable(message: String, good: Option<Arc<Config>>) -> Self {
        FileRead {
            good,
            problems: Arc::new(vec![Problem {
                span: crate::model::Span::new(0, 0),
                message,
                severity: crate::model::Severity::Error,
            }]),
            text: Arc::from(""),
            broken: true,
        }
    }
}

/// The configuration for one changelog.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// Client settings with the file's `lqls.toml` on top.
    pub config: Arc<Config>,
    /// The `lqls.toml` used, if any.
    pub path: Option<PathBuf>,
    /// Its problems (spans into `text`).
    pub problems: Arc<Vec<Problem>>,
    /// The configuration text the problems refer to.
    pub text: Arc<str>,
    /// Whether the file's current text gave no configuration (see [`FileRead::broken`]).
    pub broken: bool,
}

/// The per-file configuration cache. Cheap to share (`&self` everywhere).
#[derive(Default)]
pub struct ConfigFiles {
    /// The client settings layer (defaults when none).
    base: RwLock<Arc<Config>>,
    /// `--config FILE`: used for every changelog instead of discovery.
    forced: Option<PathBuf>,
    files: Mutex<HashMap<PathBuf, Cached>>,
    /// Editor buffers of configuration files, which replace the disk text.
    buffers: Mutex<HashMap<PathBuf, Arc<str>>>,
}

impl ConfigFiles {
    pub fn new(base: Config) -> Self {
        ConfigFiles {
            base: RwLock::new(Arc::new(base)),
            ..Default::default()
        }
    }

    /// Every changelog uses `path` (the CLI's `--config`).
    pub fn forced(base: Config, path: PathBuf) -> Self {
        ConfigFiles {
            base: RwLock::new(Arc::new(base)),
            forced: Some(path),
            ..Default::default()
        }
    }

    /// Replaces the client settings layer.
    pub fn set_base(&self, base: Config) {
        *self.base.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(base);
    }

    pub fn base(&self) -> Arc<Config> {
        self.base.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Uses `text` instead of the disk content of the configuration file `path` (an open editor
    /// buffer); `None` goes back to the disk.
    pub fn set_buffer(&self, path: &Path, text: Option<&str>) {
        let mut buffers = self.buffers.lock().unwrap_or_else(|e| e.into_inner());
        match text {
            Some(t) => {
                buffers.insert(path.to_path_buf(), Arc::from(t));
            }
            None => {
                buffers.remove(path);
            }
        }
    }

    /// Forgets what was read (after a file watcher event); the next resolve reads again.
    pub fn invalidate(&self, path: &Path) {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
    }

    /// The nearest configuration file for a changelog in `dir`: an open buffer or a file on disk.
    pub fn find_for_dir(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(p) = &self.forced {
            return Some(p.clone());
        }
        let buffers = self.buffers.lock().unwrap_or_else(|e| e.into_inner());
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| buffers.contains_key(p) || p.is_file())
    }

    /// The configuration for the changelog at `file` (`None`: no file, client settings only).
    /// A section owned by another stage (`knowledge-base`, `llm`) as it applies to folder `dir`: from
    /// the nearest lqls.toml (over the client's settings), with the folder its relative paths are
    /// relative to (that file's, else `dir`).
    pub fn section_for_folder(
        &self,
        dir: &Path,
        name: &str,
    ) -> (Option<serde_json::Value>, PathBuf) {
        let resolved = self.resolve(Some(&dir.join(super::config::FILE_NAME)));
        let base = resolved
            .path
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(dir)
            .to_path_buf();
        (resolved.config.settings.sections.get(name).cloned(), base)
    }

    pub fn resolve(&self, file: Option<&Path>) -> Resolved {
        let base = self.base();
        let dir = file.and_then(Path::parent);
        let found = match (&self.forced, dir) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(d)) => self.find_for_dir(d),
            (None, None) => None,
        };
        let Some(path) = found else {
            return Resolved {
                config: base,
                path: None,
                problems: Arc::default(),
                text: Arc::from(""),
                broken: false,
            };
        };
        let read = self.load(&path);
        let config = match &read.good {
            Some(c) => Arc::new(base.layered(c)),
            None => base,
        };
        Resolved {
            config,
            path: Some(path),
            problems: read.problems,
            text: read.text,
            broken: read.broken,
        }
    }

    /// The configuration file as read now (read again if it changed), with its last good configuration.
    pub fn load(&self, path: &Path) -> FileRead {
        let buffer = self
            .buffers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .cloned();
        let source = match &buffer {
            Some(b) => Some(Source::Buffer(b.clone())),
            None => std::fs::metadata(path)
                .ok()
                .map(|m| Source::Disk(m.modified().ok(), m.len())),
        };
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let Some(source) = source else {
            files.remove(path);
            return FileRead::unreadable(format!("cannot read {}", path.display()), None);
        };
        if let Some(c) = files.get(path) {
            if c.source == source {
                return c.read.clone();
            }
        }
        let previous = files.get(path).and_then(|c| c.read.good.clone());
        let text: Arc<str> = match &source {
            Source::Buffer(b) => b.clone(),
            Source::Disk(..) => match std::fs::read(path) {
                Ok(bytes) => Arc::from(String::from_utf8_lossy(&bytes).as_ref()),
                Err(e) => {
                    let message = format!("cannot read {}: {e}", path.display());
                    return FileRead::unreadable(message, None);
                }
            },
        };
        let loaded = Config::from_toml(&text);
        let read = FileRead {
            broken: loaded.config.is_none(),
            good: loaded.config.map(Arc::new).or(previous),
            problems: Arc::new(loaded.problems),
            text,
        };
        files.insert(
            path.to_path_buf(),
            Cached {
                source,
                read: read.clone(),
            },
        );
        read
    }
}

/// A path from a settings file: `~/` is the home folder, a relative path is relative to `base`.
pub fn expand_home(p: &str, base: &Path) -> PathBuf {
    if let (Some(rest), Some(home)) = (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        return PathBuf::from(home).join(rest);
    }
    base.join(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;
    use crate::rules::registry;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "lqls-config-files-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    }

    fn lb101_on(r: &Resolved) -> bool {
        r.config
            .resolve(registry::by_code("LB101").expect("LB101"))
            .is_some()
    }

    /// Writes with a different length each time, so that the change is seen even when the clock is
    /// too coarse to move the modification time.
    fn write(path: &Path, text: &str) {
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn finds_the_nearest_file_upward() {
        let d = temp_dir("upward");
        let deep = d.join("db/changelog/v1");
        std::fs::create_dir_all(&deep).unwrap();
        write(&d.join(FILE_NAME), "[rules]\nLB101 = \"off\"\n");
        let files = ConfigFiles::default();
        let r = files.resolve(Some(&deep.join("a.xml")));
        assert_eq!(r.path.as_deref(), Some(d.join(FILE_NAME).as_path()));
        assert!(!lb101_on(&r));
        // a nearer one wins
        write(&d.join("db").join(FILE_NAME), "databases = [\"oracle\"]\n");
        let r = files.resolve(Some(&deep.join("a.xml")));
        assert_eq!(
            r.path.as_deref(),
            Some(d.join("db").join(FILE_NAME).as_path())
        );
        assert!(lb101_on(&r));
        assert_eq!(r.config.settings.databases, vec!["oracle".to_string()]);
        // no file: the client layer alone
        assert!(files.resolve(None).path.is_none());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn reloads_on_change_and_keeps_the_last_good_one() {
        let d = temp_dir("reload");
        let cfg = d.join(FILE_NAME);
        let file = d.join("a.xml");
        write(&cfg, "[rules]\nLB101 = \"off\"\n");
        let files = ConfigFiles::default();
        assert!(!lb101_on(&files.resolve(Some(&file))));
        write(&cfg, "[rules]\nLB101 = \"error\"\n\n");
        let r = files.resolve(Some(&file));
        let lb101 = registry::by_code("LB101").unwrap();
        assert_eq!(
            r.config.resolve(lb101).map(|x| x.severity),
            Some(Severity::Error)
        );
        // a syntax error: the error configuration stays, and the problem is reported
        write(&cfg, "[rules\nLB101 = \"off\"\n\n\n");
        let r = files.resolve(Some(&file));
        assert_eq!(
            r.config.resolve(lb101).map(|x| x.severity),
            Some(Severity::Error)
        );
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].message.contains("not valid TOML"));
        // an editor buffer replaces the disk text
        files.set_buffer(&cfg, Some("[rules]\nLB101 = \"off\"\n"));
        assert!(!lb101_on(&files.resolve(Some(&file))));
        files.set_buffer(&cfg, None);
        assert!(files.resolve(Some(&file)).problems.len() == 1);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn invalid_values_are_reported_with_spans() {
        let d = temp_dir("invalid");
        let cfg = d.join(FILE_NAME);
        let text = "[rules]\nLB101 = \"loud\"\nno-such-rule = \"off\"\n";
        write(&cfg, text);
        let files = ConfigFiles::default();
        let r = files.resolve(Some(&d.join("a.xml")));
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        let spans: Vec<&str> = r
            .problems
            .iter()
            .map(|p| &text[p.span.start..p.span.end])
            .collect();
        assert!(spans.contains(&"\"loud\""), "{spans:?}");
        assert!(spans.contains(&"no-such-rule"), "{spans:?}");
        assert!(lb101_on(&r), "a bad entry leaves the default");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn forced_file_is_used_everywhere() {
        let d = temp_dir("forced");
        let cfg = d.join("custom.toml");
        write(&cfg, "[rules]\nLB101 = \"off\"\n");
        let files = ConfigFiles::forced(Config::default(), cfg.clone());
        let r = files.resolve(Some(Path::new("/elsewhere/a.xml")));
        assert_eq!(r.path.as_deref(), Some(cfg.as_path()));
        assert!(!lb101_on(&r));
        let _ = std::fs::remove_dir_all(&d);
    }
}
