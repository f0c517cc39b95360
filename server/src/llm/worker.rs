//! The review worker: one dedicated thread owns the model (loaded lazily, on the first job) and runs
//! one review at a time, so neither loading nor generating ever holds up an editor request.
//!
//! A job is keyed by document and changeset. A newer job for the same key supersedes the older one
//! (a pending one is dropped, a running one cancelled); edits and closes cancel a document's jobs.
//! Cancellation is checked between tokens. A panic while loading or generating is caught: loading
//! failures are reported once and remembered (later jobs fail at once with the same message), a
//! panic while generating drops the model so the next job loads a fresh one.

use std::collections::{HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::{Backend, Cancel, Finish, GenParams, LlmError};
use crate::review::{self, cache::ReviewCache, Review, ReviewInput, SourceRef};

/// Builds the backend (on the worker thread).
pub type Loader = Box<dyn Fn() -> Result<Box<dyn Backend>, LlmError> + Send>;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JobKey {
    pub uri: String,
    pub changeset: String,
}

pub struct Job {
    /// Unique per submission: events name it, so a superseded job's events are told apart from
    /// those of the job that replaced it under the same key.
    pub id: u64,
    pub key: JobKey,
    pub input: ReviewInput,
    pub sources: Vec<SourceRef>,
    pub cache_key: String,
    pub params: GenParams,
    pub cancel: Cancel,
    /// Guideline ids that exist, for the citation check.
    pub known: Arc<HashSet<String>>,
}

#[derive(Clone, Debug)]
pub enum Event {
    ModelLoading,
    ModelReady {
        name: String,
        ms: f64,
    },
    /// Sent once per worker; later jobs end with [`Outcome::Failed`] quietly.
    ModelFailed(String),
    Started {
        id: u64,
        key: JobKey,
    },
    /// The review so far (sent at most every [`STREAM_EVERY`]).
    Text {
        id: u64,
        key: JobKey,
        so_far: String,
        tokens: usize,
    },
    /// The job is over: every job ends with exactly one of these.
    Ended {
        id: u64,
        key: JobKey,
        outcome: Outcome,
    },
}

/// How a job ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    Done(Box<Review>),
    /// Superseded, or its document was edited or closed.
    Cancelled,
    Failed(String),
}

/// How often streamed text is sent: often enough to read as it is written, rarely enough not to
/// flood the client with a notification per token.
pub const STREAM_EVERY: Duration = Duration::from_millis(80);

/// Jobs waiting at most; the oldest is dropped beyond (a whole-file review of a huge changelog must
/// not hold unbounded memory).
const MAX_PENDING: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub enum ModelState {
    NotLoaded,
    Loading,
    Ready(String),
    Failed(String),
}

struct Queue {
    pending: VecDeque<Job>,
    running: Option<(JobKey, Cancel)>,
    closed: bool,
    state: ModelState,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

pub struct Worker {
    shared: Arc<Shared>,
}

type Sink = Box<dyn Fn(Event) + Send>;

impl Worker {
    /// Starts the thread. `sink` receives every event (it must not block).
    pub fn spawn(
        loader: Loader,
        cache: Option<ReviewCache>,
        sink: Sink,
    ) -> std::io::Result<Worker> {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                pending: VecDeque::new(),
                running: None,
                closed: false,
                state: ModelState::NotLoaded,
            }),
            wake: Condvar::new(),
        });
        let for_thread = shared.clone();
        std::thread::Builder::new()
            .name("lqls-llm".into())
            .spawn(move || run(for_thread, loader, cache, sink))?;
        Ok(Worker { shared })
    }

    /// Queues a job, superseding any job with the same key.
    pub fn submit(&self, job: Job) {
        let mut q = self.shared.queue.lock().unwrap();
        q.pending.retain(|j| {
            let superseded = j.key == job.key;
            if superseded {
                j.cancel.cancel();
            }
            !superseded
        });
        if let Some((key, cancel)) = &q.running {
            if *key == job.key {
                cancel.cancel();
            }
        }
        if q.pending.len() >= MAX_PENDING {
            if let Some(old) = q.pending.pop_front() {
                old.cancel.cancel();
            }
        }
        q.pending.push_back(job);
        self.shared.wake.notify_one();
    }

    /// Cancels the pending and running jobs whose key matches.
    pub fn cancel_where(&self, matches: impl Fn(&JobKey) -> bool) {
        let mut q = self.shared.queue.lock().unwrap();
        q.pending.retain(|j| {
            let hit = matches(&j.key);
            if hit {
                j.cancel.cancel();
            }
            !hit
        });
        if let Some((key, cancel)) = &q.running {
            if matches(key) {
                cancel.cancel();
            }
        }
    }

    pub fn state(&self) -> ModelState {
        self.shared.queue.lock().unwrap().state.clone()
    }
}

impl Drop for Worker {
    /// Ends the thread after its current token.
    fn drop(&mut self) {
        let mut q = self.shared.queue.lock().unwrap();
        q.closed = true;
        for j in q.pending.drain(..) {
            j.cancel.cancel();
        }
        if let Some((_, cancel)) = &q.running {
            cancel.cancel();
        }
        self.shared.wake.notify_all();
    }
}

fn run(shared: Arc<Shared>, loader: Loader, cache: Option<ReviewCache>, sink: Sink) {
    let mut backend: Option<Box<dyn Backend>> = None;
    loop {
        let job = {
            let mut q = shared.queue.lock().unwrap();
            loop {
                if q.closed {
                    return;
                }
                if let Some(job) = q.pending.pop_front() {
                    q.running = Some((job.key.clone(), job.cancel.clone()));
                    break job;
                }
                q = shared.wake.wait(q).unwrap();
            }
        };
        let set_state = |s: ModelState| shared.queue.lock().unwrap().state = s;
        let outcome = (|| {
            if job.cancel.is_cancelled() {
                return Outcome::Cancelled;
            }
            if let Some(review) = cache.as_ref().and_then(|c| c.get(&job.cache_key)) {
                return Outcome::Done(Box::new(review));
            }
            if backend.is_none() {
                let failed = match &shared.queue.lock().unwrap().state {
                    ModelState::Failed(m) => Some(m.clone()),
                    _ => None,
                };
                if let Some(m) = failed {
                    return Outcome::Failed(m);
                }
                set_state(ModelState::Loading);
                sink(Event::ModelLoading);
                let start = Instant::now();
                let loaded = catch_unwind(AssertUnwindSafe(&loader)).unwrap_or_else(|p| {
                    Err(LlmError::Inference(format!(
                        "loading the model panicked: {}",
                        panic_message(&p)
                    )))
                });
                match loaded {
                    Ok(b) => {
                        let name = b.display_name();
                        set_state(ModelState::Ready(name.clone()));
                        sink(Event::ModelReady {
                            name,
                            ms: start.elapsed().as_secs_f64() * 1e3,
                        });
                        backend = Some(b);
                    }
                    Err(e) => {
                        let m = e.to_string();
                        set_state(ModelState::Failed(m.clone()));
                        sink(Event::ModelFailed(m.clone()));
                        return Outcome::Failed(m);
                    }
                }
            }
            let b = backend.as_mut().expect("loaded above");
            sink(Event::Started {
                id: job.id,
                key: job.key.clone(),
            });
            let mut so_far = String::new();
            let mut tokens = 0;
            let mut last = Instant::now();
            let known = |id: &str| job.known.contains(id);
            let result = catch_unwind(AssertUnwindSafe(|| {
                review::generate(
                    b.as_mut(),
                    &job.input,
                    &job.sources,
                    &job.params,
                    &job.cancel,
                    &mut |piece| {
                        so_far.push_str(piece);
                        tokens += 1;
                        if last.elapsed() >= STREAM_EVERY {
                            last = Instant::now();
                            sink(Event::Text {
                                id: job.id,
                                key: job.key.clone(),
                                so_far: so_far.clone(),
                                tokens,
                            });
                        }
                    },
                    &known,
                )
            }));
            match result {
                Err(p) => {
                    // The model's state is unknown after a panic: load it again next time.
                    backend = None;
                    set_state(ModelState::NotLoaded);
                    Outcome::Failed(format!("the model panicked: {}", panic_message(&p)))
                }
                Ok(Err(e)) => Outcome::Failed(e.to_string()),
                Ok(Ok((_, Finish::Cancelled))) => Outcome::Cancelled,
                Ok(Ok((review, _))) => {
                    if let Some(c) = &cache {
                        if let Err(e) = c.put(&job.cache_key, &review) {
                            tracing::warn!("cannot cache the review: {e}");
                        }
                    }
                    Outcome::Done(Box::new(review))
                }
            }
        })();
        // A job cancelled while it ran reports that, whatever it produced: it is stale.
        let outcome = if job.cancel.is_cancelled() {
            Outcome::Cancelled
        } else {
            outcome
        };
        shared.queue.lock().unwrap().running = None;
        sink(Event::Ended {
            id: job.id,
            key: job.key,
            outcome,
        });
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
