//! `lqls/status`: the knowledge base's and the model's state in one notification, for an editor's status
//! line (VS Code's status-bar item, Neovim's statusline). `$/progress` says what is running; this says
//! where things stand, including "failed" and "not loaded yet", which progress cannot.
//!
//! The knowledge-base thread, the review pump and the settings handlers only ring [`Status::changed`];
//! one task reads the state, drops repeats and sends. Ringing is cheap and allowed from any thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::Client;

use super::knowledge::{Knowledge, State};
use super::review::Reviews;
use crate::llm::worker::ModelState;

pub enum StatusNotification {}

impl Notification for StatusNotification {
    type Params = StatusParams;
    const METHOD: &'static str = "lqls/status";
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StatusParams {
    pub knowledge_base: Part,
    pub model: Part,
    pub reviews: Running,
}

/// One component's state word and its details.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Part {
    /// knowledgeBase: `indexing`, `ready`, `failed`; model: `off`, `idle`, `loading`, `ready`, `failed`.
    pub state: String,
    /// knowledgeBase: how many index builds have started (it grows on each reindex).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Running {
    pub running: usize,
}

/// The doorbell and the one fact the status task cannot read for itself.
#[derive(Default)]
pub struct Status {
    changed: tokio::sync::Notify,
    /// `[llm] backend = "off"` as last resolved by the server (settings live in the server's configs).
    llm_off: AtomicBool,
}

impl Status {
    /// Something the status shows may have changed.
    pub fn changed(&self) {
        self.changed.notify_one();
    }

    pub fn set_llm_off(&self, off: bool) {
        if self.llm_off.swap(off, Ordering::Relaxed) != off {
            self.changed();
        }
    }
}

pub fn current(knowledge: &Knowledge, reviews: &Reviews, llm_off: bool) -> StatusParams {
    let mut knowledge_base = match knowledge.state() {
        State::Indexing(done, total) => Part {
            state: "indexing".into(),
            embedded: Some(done),
            total: Some(total),
            ..Part::default()
        },
        State::Ready => word("ready"),
        State::Failed(m) => failed(m),
    };
    knowledge_base.build = Some(knowledge.builds());
    let model = if llm_off {
        word("off")
    } else {
        match reviews.model_state() {
            ModelState::NotLoaded => word("idle"),
            ModelState::Loading => word("loading"),
            ModelState::Ready(name) => Part {
                name: Some(name),
                ..word("ready")
            },
            ModelState::Failed(m) => failed(m),
        }
    };
    StatusParams {
        knowledge_base,
        model,
        reviews: Running {
            running: reviews.running(),
        },
    }
}

fn word(state: &str) -> Part {
    Part {
        state: state.into(),
        ..Part::default()
    }
}

fn failed(message: String) -> Part {
    Part {
        message: Some(message),
        ..word("failed")
    }
}

/// Sends the status now and after every change; embedding progress (reported every batch) at most
/// every 100 ms. A reindex from cached vectors can be over before this task wakes, so `build` is how a
/// client knows one happened.
pub async fn run(
    status: Arc<Status>,
    knowledge: Arc<Knowledge>,
    reviews: Arc<Reviews>,
    client: Client,
) {
    let mut last = None;
    loop {
        let now = current(&knowledge, &reviews, status.llm_off.load(Ordering::Relaxed));
        if last.as_ref() != Some(&now) {
            client
                .send_notification::<StatusNotification>(now.clone())
                .await;
            // Only progress counts are coalesced; a new state word goes out at once.
            let counting = now.knowledge_base.state == "indexing";
            last = Some(now);
            if counting {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        // A ring that was missed (none is, but the state is read, not pushed) shows within 5 s.
        let _ = tokio::time::timeout(Duration::from_secs(5), status.changed.notified()).await;
    }
}
