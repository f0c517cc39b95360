//! Reading what a file looked like when it was committed, without ever making the editor wait.
//!
//! Every question goes to the `git` program (no library: the repository formats, worktrees, packs and
//! replace refs are git's business), each call with a hard timeout, no terminal prompt and no optional
//! locks. Answers are cached: a file's text at a commit never changes, so it is kept by (repository,
//! commit, path); the commits HEAD and the default branch's merge-base stand for are kept until one of
//! the files they are read from changes (`HEAD`, the ref it points to, `packed-refs`, the default
//! branch refs), which costs a few `stat`s per keystroke instead of a process.
//!
//! Anything that goes wrong (no repository, no git, an untracked file, a timeout, text that is not
//! UTF-8) reads as "nothing committed": the checks built on this stay silent rather than guess.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::model::Format;

/// How long one git call may take before it is killed: long enough for a cold `merge-base` on a big
/// repository, short enough that a hung network filesystem or credential helper never stalls typing.
const TIMEOUT: Duration = Duration::from_secs(2);
/// Cached file texts kept at most; the cache is emptied past it (a session rarely needs more).
const MAX_TEXTS: usize = 8192;
/// Committed files larger than this are not read (a generated changelog of that size is not edited by
/// hand, and holding it per commit would cost more than the check is worth).
const MAX_FILE: usize = 16 * 1024 * 1024;
/// How long a repository where git timed out is not asked again.
const SLOW_PAUSE: Duration = Duration::from_secs(60);

/// Where a repository is: its work tree (paths are relative to it) and its git directories.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Repo {
    pub work_tree: PathBuf,
    /// The per-worktree git directory (holds `HEAD`).
    git_dir: PathBuf,
    /// The shared git directory (holds `refs/` and `packed-refs`); the same as `git_dir` outside
    /// linked worktrees.
    common_dir: PathBuf,
}

/// A commit a file is compared against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rev {
    /// The full commit id.
    pub commit: String,
    /// What it is, for messages: `HEAD`, or `merge-base with origin/main`.
    pub which: String,
}

impl Rev {
    /// The abbreviated id shown to people.
    pub fn short(&self) -> &str {
        self.commit.get(..8).unwrap_or(&self.commit)
    }
}

/// The commits a path is compared against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Revs {
    pub head: Option<Rev>,
    /// The merge-base of HEAD with the default branch, when one is known and it is not HEAD itself.
    pub base: Option<Rev>,
}

/// One committed version of a file.
#[derive(Clone, Debug)]
pub struct Committed {
    pub rev: Rev,
    pub text: Arc<str>,
    /// (shared git directory, commit, path): what the text and its parse are cached under.
    key: TextKey,
}

type TextKey = (PathBuf, String, String);

/// The files whose change means HEAD or the default branch may have moved, with their modification
/// time and size when they exist.
type Fingerprint = Vec<Option<(SystemTime, u64)>>;

#[derive(Default)]
struct State {
    /// The git program could not be started: not asked again.
    missing: bool,
    /// Repositories (by work tree) where git timed out, and until when they are left alone: a hung
    /// git (a stale lock on a network share, a filter waiting for a password) costs one timeout
    /// per [`SLOW_PAUSE`], not one per keystroke or per call.
    slow: HashMap<PathBuf, Instant>,
    revs: HashMap<PathBuf, (Fingerprint, Revs)>,
    texts: HashMap<TextKey, Option<Arc<str>>>,
    /// What callers derive from committed texts (their parse, ...), so that a keystroke in the
    /// editor only costs the work on the buffer. Keyed by the type derived too.
    derived: HashMap<(TextKey, Format, TypeId), Arc<dyn Any + Send + Sync>>,
}

/// The git reader. One per server (or per `lqls check` run), shared between threads.
pub struct Git {
    program: PathBuf,
    state: Mutex<State>,
}

impl Default for Git {
    fn default() -> Self {
        Git::new()
    }
}

impl Git {
    /// Runs `git` from `PATH`.
    pub fn new() -> Self {
        Git::with_program("git")
    }

    /// Runs the given git executable (tests point it at one that does not exist).
    pub fn with_program(program: impl Into<PathBuf>) -> Self {
        Git {
            program: program.into(),
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the caches inconsistent (each is a plain
        // insert), so a poisoned lock is taken over.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The committed versions of `path` to compare with, HEAD first, then the merge-base with the
    /// default branch; only those commits that hold the file.
    pub fn committed(&self, path: &Path) -> Vec<Committed> {
        let Some((repo, rel)) = locate(path) else {
            return Vec::new();
        };
        let revs = self.revs(&repo);
        [revs.head, revs.base]
            .into_iter()
            .flatten()
            .filter_map(|rev| {
                let text = self.show(&repo, &rev.commit, &rel)?;
                let key = (repo.common_dir.clone(), rev.commit.clone(), rel.clone());
                Some(Committed { rev, text, key })
            })
            .collect()
    }

    /// Reads the committed versions of many files with one git process per repository and commit,
    /// so that `lqls check` on a large project does not start git once per file and commit. What is
    /// read lands in the cache [`Git::committed`] reads; anything that fails is simply left to it.
    pub fn prefetch(&self, paths: &[PathBuf]) {
        let mut by_repo: HashMap<Repo, Vec<String>> = HashMap::new();
        for p in paths {
            if let Some((repo, rel)) = locate(p) {
                // The batch protocol is line based.
                if !rel.contains(['\n', '\r']) {
                    by_repo.entry(repo).or_default().push(rel);
                }
            }
        }
        for (repo, rels) in by_repo {
            let revs = self.revs(&repo);
            for rev in [revs.head, revs.base].into_iter().flatten() {
                for chunk in rels.chunks(MAX_TEXTS / 4) {
                    self.prefetch_batch(&repo, &rev.commit, chunk);
                }
            }
        }
    }

    fn prefetch_batch(&self, repo: &Repo, commit: &str, rels: &[String]) {
        let input: String = rels.iter().map(|r| format!("{commit}:{r}\n")).collect();
        // One limit for the whole batch, as for a single call, plus a little per file.
        let timeout = TIMEOUT + Duration::from_millis(5) * rels.len() as u32;
        let cap = MAX_FILE * 4;
        let Some(out) = self.run_with(
            repo,
            &["cat-file", "--batch"],
            Some(input.into_bytes()),
            timeout,
            cap,
        ) else {
            return;
        };
        let mut at = 0;
        let mut read = Vec::new();
        for rel in rels {
            let Some(nl) = out.get(at..).and_then(|o| memchr::memchr(b'\n', o)) else {
                break;
            };
            let header = String::from_utf8_lossy(&out[at..at + nl]).into_owned();
            at += nl + 1;
            // `<id> <type> <size>`, or `<object> missing`: a file not in the commit.
            let fields: Vec<&str> = header.split(' ').collect();
            let text = match fields.as_slice() {
                // Checked first: the object name holds the path, which may contain spaces.
                _ if header.ends_with(" missing") || header.ends_with(" ambiguous") => None,
                [_, kind, size] => {
                    let Ok(size) = size.parse::<usize>() else {
                        break;
                    };
                    let Some(body) = out.get(at..at + size) else {
                        break;
                    };
                    at += size + 1;
                    (*kind == "blob" && size <= MAX_FILE)
                        .then(|| String::from_utf8(body.to_vec()).ok())
                        .flatten()
                        .map(Arc::<str>::from)
                }
                _ => break,
            };
            read.push((
                (repo.common_dir.clone(), commit.to_string(), rel.clone()),
                text,
            ));
        }
        let mut state = self.state();
        if state.texts.len() + read.len() > MAX_TEXTS {
            state.texts.clear();
        }
        state.texts.extend(read);
    }

    /// How many (repository, commit, path) texts are cached, read or known absent.
    #[cfg(test)]
    pub(crate) fn cached_texts(&self) -> usize {
        self.state().texts.len()
    }

    /// `make(text, format)` for a committed version, computed once and cached with the text (a
    /// commit's file never changes).
    pub fn derived<T: Any + Send + Sync>(
        &self,
        version: &Committed,
        format: Format,
        make: impl FnOnce(&str, Format) -> T,
    ) -> Arc<T> {
        let key = (version.key.clone(), format, TypeId::of::<T>());
        if let Some(hit) = self.state().derived.get(&key) {
            if let Ok(t) = hit.clone().downcast::<T>() {
                return t;
            }
        }
        let value = Arc::new(make(&version.text, format));
        let mut state = self.state();
        if state.derived.len() >= MAX_TEXTS {
            state.derived.clear();
        }
        state.derived.insert(key, value.clone());
        value
    }

    /// The version of `path` that is released: at the merge-base with the default branch when there is
    /// one, else at HEAD. `None` when there is no repository or git could not tell; `Some(None)` when
    /// the file is not in that commit (nothing of it is released).
    pub fn released(&self, path: &Path) -> Option<Option<Committed>> {
        let (repo, rel) = locate(path)?;
        let revs = self.revs(&repo);
        let rev = revs.base.or(revs.head)?;
        let text = self.show(&repo, &rev.commit, &rel);
        let key = (repo.common_dir.clone(), rev.commit.clone(), rel);
        Some(text.map(|text| Committed { rev, text, key }))
    }

    /// HEAD and the merge-base for a repository, from the cache while the ref files are unchanged.
    pub fn revs(&self, repo: &Repo) -> Revs {
        let print = fingerprint(repo);
        {
            let state = self.state();
            if state.missing {
                return Revs::default();
            }
            if let Some((p, revs)) = state.revs.get(&repo.git_dir) {
                if *p == print {
                    return revs.clone();
                }
            }
        }
        let revs = self.resolve(repo);
        let mut state = self.state();
        let slow = state
            .slow
            .get(&repo.work_tree)
            .is_some_and(|until| Instant::now() < *until);
        if !slow {
            state
                .revs
                .insert(repo.git_dir.clone(), (print, revs.clone()));
        }
        revs
    }

    fn resolve(&self, repo: &Repo) -> Revs {
        let Some(head) = self.commit_of(repo, "HEAD") else {
            return Revs::default();
        };
        let base = self.default_branch(repo).and_then(|branch| {
            let out = self.run(repo, &["merge-base", "HEAD", &branch.full])?;
            let commit = first_line(&out)?;
            (commit != head).then(|| Rev {
                commit,
                which: format!("merge-base with {}", branch.short),
            })
        });
        Revs {
            head: Some(Rev {
                commit: head,
                which: "HEAD".to_string(),
            }),
            base,
        }
    }

    /// The default branch: what `origin/HEAD` points to, else the first of the usual names that
    /// exists.
    fn default_branch(&self, repo: &Repo) -> Option<Branch> {
        if let Some(out) = self.run(repo, &["symbolic-ref", "-q", "refs/remotes/origin/HEAD"]) {
            if let Some(full) = first_line(&out) {
                let short = full
                    .strip_prefix("refs/remotes/")
                    .unwrap_or(&full)
                    .to_string();
                return Some(Branch { full, short });
            }
        }
        [
            "refs/remotes/origin/main",
            "refs/remotes/origin/master",
            "refs/heads/main",
            "refs/heads/master",
        ]
        .into_iter()
        .find(|r| self.commit_of(repo, r).is_some())
        .map(|full| Branch {
            full: full.to_string(),
            short: full
                .strip_prefix("refs/remotes/")
                .or_else(|| full.strip_prefix("refs/heads/"))
                .unwrap_or(full)
                .to_string(),
        })
    }

    fn commit_of(&self, repo: &Repo, rev: &str) -> Option<String> {
        let spec = format!("{rev}^{{commit}}");
        let out = self.run(repo, &["rev-parse", "--verify", "-q", &spec])?;
        first_line(&out)
    }

    /// The text of `rel` at `commit`, cached. `None` when the file is not in the commit, is too large
    /// or is not UTF-8.
    fn show(&self, repo: &Repo, commit: &str, rel: &str) -> Option<Arc<str>> {
        let key = (repo.common_dir.clone(), commit.to_string(), rel.to_string());
        if let Some(hit) = self.state().texts.get(&key) {
            return hit.clone();
        }
        // `commit:path` names a path from the top of the tree; `./` would make it relative to the
        // current directory instead, which is the work tree anyway, so both agree. Spaces and other
        // characters need no quoting: the argument is passed as is.
        let spec = format!("{commit}:{rel}");
        let text = self
            .run(repo, &["cat-file", "blob", &spec])
            .filter(|b| b.len() <= MAX_FILE)
            .and_then(|b| String::from_utf8(b).ok())
            .map(Arc::<str>::from);
        let mut state = self.state();
        if text.is_none() && state.slow.contains_key(&repo.work_tree) {
            // Perhaps only slow, not absent: asked again after the pause.
            return None;
        }
        if state.texts.len() >= MAX_TEXTS {
            state.texts.clear();
        }
        state.texts.insert(key, text.clone());
        text
    }

    /// Runs git in the work tree; its standard output when it exits with success within [`TIMEOUT`].
    fn run(&self, repo: &Repo, args: &[&str]) -> Option<Vec<u8>> {
        self.run_with(repo, args, None, TIMEOUT, MAX_FILE)
    }

    /// [`Git::run`] with `input` on standard input, a time limit and a cap on the output read.
    fn run_with(
        &self,
        repo: &Repo,
        args: &[&str],
        input: Option<Vec<u8>>,
        timeout: Duration,
        cap: usize,
    ) -> Option<Vec<u8>> {
        {
            let state = self.state();
            let paused = state
                .slow
                .get(&repo.work_tree)
                .is_some_and(|until| Instant::now() < *until);
            if state.missing || paused {
                return None;
            }
        }
        let spawned = Command::new(&self.program)
            .arg("-C")
            .arg(&repo.work_tree)
            .args(["-c", "core.quotePath=false"])
            .args(args)
            // The repository is the one found above the file: variables a git hook or a wrapper
            // set for another repository must not redirect the call.
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_COMMON_DIR")
            .env_remove("GIT_PREFIX")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("LC_ALL", "C")
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => {
                if e.kind() == std::io::ErrorKind::NotFound {
                    self.state().missing = true;
                }
                tracing::debug!("git cannot be started: {e}");
                return None;
            }
        };
        // The output is read on its own thread: a child blocked on a full pipe would otherwise
        // never exit, and would be killed for a timeout it did not cause.
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            // Written on its own thread too, for the same reason; closing it ends git's input.
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(&input);
            });
        }
        let mut stdout = child.stdout.take()?;
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.by_ref().take(cap as u64 + 1).read_to_end(&mut buf);
            // Drain the rest so that the child is not blocked writing it.
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
            buf
        });
        let deadline = Instant::now() + timeout;
        // Most calls take a millisecond or two: poll often at first, then less.
        let mut pause = Duration::from_micros(100);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(5));
                }
                _ => {
                    tracing::warn!(?args, "git took too long and was stopped");
                    self.state()
                        .slow
                        .insert(repo.work_tree.clone(), Instant::now() + SLOW_PAUSE);
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            }
        };
        // After a timeout the reader is not waited for: a grandchild of git may still hold the pipe
        // open, and the thread ends by itself when it closes.
        let status = status?;
        let out = reader.join().ok()?;
        (status.success() && out.len() <= cap).then_some(out)
    }
}

struct Branch {
    /// `refs/remotes/origin/main`
    full: String,
    /// `origin/main`
    short: String,
}

fn first_line(out: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(out).ok()?.lines().next()?.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The repository holding `path` and the path relative to its work tree, with `/` separators.
pub fn locate(path: &Path) -> Option<(Repo, String)> {
    let path = absolute(path)?;
    let mut dir = path.parent()?;
    loop {
        let dot_git = dir.join(".git");
        if let Some(repo) = repo_at(dir, &dot_git) {
            let rel = path.strip_prefix(dir).ok()?;
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            return Some((repo, parts?.join("/")));
        }
        dir = dir.parent()?;
    }
}

/// The canonical form of `path`, also for a file that is not (yet) on disk (an unsaved buffer).
fn absolute(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    let parent = parent.unwrap_or(Path::new(".")).canonicalize().ok()?;
    Some(parent.join(path.file_name()?))
}

/// The repository whose `.git` (a folder, or a file pointing to a linked worktree's git directory)
/// is `dot_git`.
fn repo_at(work_tree: &Path, dot_git: &Path) -> Option<Repo> {
    let meta = std::fs::metadata(dot_git).ok()?;
    let git_dir = if meta.is_dir() {
        dot_git.to_path_buf()
    } else {
        let content = std::fs::read_to_string(dot_git).ok()?;
        let target = content.lines().next()?.strip_prefix("gitdir:")?.trim();
        let target = Path::new(target);
        if target.is_absolute() {
            target.to_path_buf()
        } else {
            work_tree.join(target)
        }
    };
    let common_dir = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(c) => {
            let c = Path::new(c.trim());
            if c.is_absolute() {
                c.to_path_buf()
            } else {
                git_dir.join(c)
            }
        }
        Err(_) => git_dir.clone(),
    };
    Some(Repo {
        work_tree: work_tree.to_path_buf(),
        git_dir,
        common_dir,
    })
}

/// What the cached HEAD and merge-base depend on: `HEAD`, the ref HEAD names, `packed-refs` and the
/// default-branch refs. A commit, checkout, fetch or pack changes at least one of them.
fn fingerprint(repo: &Repo) -> Fingerprint {
    let stat = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
    };
    let head_file = repo.git_dir.join("HEAD");
    let mut files = vec![head_file.clone(), repo.common_dir.join("packed-refs")];
    if let Ok(head) = std::fs::read_to_string(&head_file) {
        if let Some(target) = head.trim().strip_prefix("ref:") {
            let target = target.trim();
            // Refs of the shared directory, except the per-worktree ones.
            files.push(repo.common_dir.join(target));
            files.push(repo.git_dir.join(target));
        }
    }
    if let Ok(origin) = std::fs::read_to_string(repo.common_dir.join("refs/remotes/origin/HEAD")) {
        if let Some(target) = origin.trim().strip_prefix("ref:") {
            files.push(repo.common_dir.join(target.trim()));
        }
    }
    for r in [
        "refs/remotes/origin/HEAD",
        "refs/remotes/origin/main",
        "refs/remotes/origin/master",
        "refs/heads/main",
        "refs/heads/master",
    ] {
        files.push(repo.common_dir.join(r));
    }
    files.iter().map(|f| stat(f)).collect()
}
