//! The `openai` backend against a real OpenAI-compatible server: llama.cpp's llama-server serving the
//! default review model (SmolLM2-135M-Instruct). Skipped, with a notice, when LQLS_LLAMA_BIN or the
//! model is missing, unless LQLS_REQUIRE_MODELS=1 (see `common::missing_model`).
//!
//! Tests running at the same time share one server (it stops when the last of them is done), so the
//! file costs about one model load.

mod common;

use std::io::Write as _;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, Weak};
use std::time::{Duration, Instant};

use common::{free_port, greedy, streamed, LlamaServer};
use lqls::llm::openai::OpenAiBackend;
use lqls::llm::settings::BackendKind;
use lqls::llm::{Backend, Cancel, Finish, GenParams, LlmError, LlmSettings, Prompt};

/// Tests sharing the server hold this for reading; a test with a server of its own holds it for
/// writing, so that two servers never compete for the cores.
static SERVERS: RwLock<()> = RwLock::new(());

/// The shared server (started by the first test that needs it) and the read guard to keep while using
/// it; `None` when skipped.
fn server() -> Option<(RwLockReadGuard<'static, ()>, Arc<LlamaServer>)> {
    static SHARED: Mutex<Weak<LlamaServer>> = Mutex::new(Weak::new());
    let (bin, model) = common::llama_server_and_model()?;
    let guard = SERVERS.read().unwrap_or_else(|e| e.into_inner());
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = shared.upgrade() {
        return Some((guard, s));
    }
    let s = Arc::new(LlamaServer::start(&bin, &model, &[]));
    *shared = Arc::downgrade(&s);
    Some((guard, s))
}

fn settings(base_url: String) -> LlmSettings {
    LlmSettings {
        backend: BackendKind::OpenAi,
        base_url,
        timeout_secs: 30,
        ..LlmSettings::default()
    }
}

fn backend(server: &LlamaServer) -> OpenAiBackend {
    OpenAiBackend::new(&settings(server.base_url())).expect("the backend")
}

fn prompt(user: &str) -> Prompt {
    Prompt {
        system: "You are a helpful assistant.".into(),
        user: user.into(),
    }
}

fn http_error(r: Result<impl std::fmt::Debug, LlmError>) -> String {
    match r {
        Err(LlmError::Http(m)) => m,
        other => panic!("expected LlmError::Http, got {other:?}"),
    }
}

#[test]
fn greedy_generation_streams_the_text() {
    let Some((_guard, server)) = server() else {
        return;
    };
    let mut b = backend(&server);
    // No api-model: the name comes from GET /models.
    assert_ne!(b.display_name(), "default");
    let id = b.model_id();
    assert!(
        id.starts_with(&format!("openai:{}#", server.base_url())),
        "{id}"
    );
    assert!(id.ends_with(&b.display_name()), "{id}");
    let p = prompt("Write a short poem about databases.");
    let (g, pieces) = streamed(&mut b, &p, &greedy(24)).unwrap();
    assert!(!pieces.is_empty(), "{g:?}");
    assert_eq!(pieces.concat(), g.text);
    assert!(matches!(g.finish, Finish::Stop | Finish::Length), "{g:?}");
    assert!(g.generated_tokens > 0 && g.generated_tokens <= 24, "{g:?}");
    assert!(g.prompt_tokens > 0, "{g:?}");
    assert!(
        g.first_token_ms > 0.0 && g.first_token_ms <= g.total_ms,
        "{g:?}"
    );

    // A reply cut by max_tokens says so, and the server's token count is used.
    let (g, _) = streamed(&mut b, &p, &greedy(5)).unwrap();
    assert_eq!(g.finish, Finish::Length, "{g:?}");
    assert_eq!(g.generated_tokens, 5, "{g:?}");
}

#[test]
fn cancel_from_the_callback_stops_promptly() {
    let Some((_guard, server)) = server() else {
        return;
    };
    let mut b = backend(&server);
    let p = prompt("Count from 1 to 200, one number per line.");
    let cancel = Cancel::new();
    let mut pieces = Vec::new();
    let mut cancelled_at = None;
    let g = b
        .generate(&p, &greedy(300), &cancel, &mut |piece| {
            pieces.push(piece.to_string());
            if pieces.len() == 3 {
                cancel.cancel();
                cancelled_at = Some(Instant::now());
            }
        })
        .unwrap();
    let latency = cancelled_at.expect("3 pieces").elapsed();
    assert_eq!(g.finish, Finish::Cancelled, "{g:?}");
    assert_eq!(pieces.len(), 3, "no piece after the cancel");
    assert_eq!(g.text, pieces.concat());
    assert!(latency < Duration::from_millis(500), "{latency:?}");

    // The dropped connection leaves the server serving.
    let (g, _) = streamed(&mut b, &p, &greedy(4)).unwrap();
    assert_eq!(g.finish, Finish::Length);
}

/// A cancel is seen while the server is still processing the prompt and has sent nothing.
#[test]
fn cancel_before_the_first_token_stops_promptly() {
    let Some((_guard, server)) = server() else {
        return;
    };
    let mut b = backend(&server);
    let p = prompt(&format!(
        "{}\nSummarise the text above.",
        "Each changeset of a Liquibase changelog needs a rollback. ".repeat(40)
    ));
    let cancel = Cancel::new();
    let canceller = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            cancel.cancel();
            Instant::now()
        })
    };
    let g = b.generate(&p, &greedy(300), &cancel, &mut |_| {}).unwrap();
    let latency = canceller.join().unwrap().elapsed();
    assert_eq!(g.finish, Finish::Cancelled, "{g:?}");
    assert!(latency < Duration::from_millis(300), "{latency:?}");
}

/// The server's replies to one prompt can differ a little from run to run (requests that run at the same
/// time are batched together, which changes the arithmetic), so the stop string is one any list has:
/// a line break.
#[test]
fn stop_sequences_end_the_reply() {
    let Some((_guard, server)) = server() else {
        return;
    };
    let mut b = backend(&server);
    let p = prompt("List five colours, one per line.");
    let (full, _) = streamed(&mut b, &p, &greedy(24)).unwrap();
    assert!(full.text.trim().contains('\n'), "{full:?}");
    let params = GenParams {
        stop: vec!["\n".into()],
        ..greedy(24)
    };
    let (g, pieces) = streamed(&mut b, &p, &params).unwrap();
    assert_eq!(g.finish, Finish::Stop, "{g:?}");
    assert!(!g.text.contains('\n'), "{g:?}");
    assert!(g.generated_tokens < 24, "{g:?}");
    assert_eq!(pieces.concat(), g.text);
}

#[test]
fn a_closed_port_fails_fast_and_clearly() {
    let start = Instant::now();
    let url = format!("http://127.0.0.1:{}/v1", free_port());
    // Without api-model the lookup fails too, and the name falls back.
    let mut b = OpenAiBackend::new(&settings(url.clone())).unwrap();
    assert_eq!(b.display_name(), "default");
    let msg = http_error(streamed(&mut b, &prompt("Hi"), &greedy(8)));
    assert!(msg.contains("connection refused"), "{msg}");
    assert!(msg.contains(&format!("{url}/chat/completions")), "{msg}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_missing_api_key_variable_is_named() {
    let var = "LQLS_TEST_NO_SUCH_API_KEY_VARIABLE";
    assert!(std::env::var_os(var).is_none());
    let s = LlmSettings {
        api_key_env: Some(var.into()),
        ..settings("http://127.0.0.1:9/v1".into())
    };
    let msg = http_error(OpenAiBackend::new(&s).map(|_| ()));
    assert!(msg.contains(var) && msg.contains("not set"), "{msg}");
}

/// The key from the variable api-key-env names is sent as a bearer token: a server started with
/// `--api-key` accepts it, and refuses a request without it with its own message.
#[test]
fn the_api_key_is_sent() {
    let Some((bin, model)) = common::llama_server_and_model() else {
        return;
    };
    // A variable the test's process is sure to have (cargo sets it); its value is the key.
    let var = "CARGO_PKG_NAME";
    let Ok(key) = std::env::var(var) else {
        let _ = writeln!(std::io::stderr(), "api key test skipped: {var} is not set");
        return;
    };
    let _alone = SERVERS.write().unwrap_or_else(|e| e.into_inner());
    let server = LlamaServer::start(&bin, &model, &["--api-key", &key]);
    let s = LlmSettings {
        api_key_env: Some(var.into()),
        ..settings(server.base_url())
    };
    let mut b = OpenAiBackend::new(&s).unwrap();
    let (g, _) = streamed(&mut b, &prompt("Hi"), &greedy(3)).unwrap();
    assert!(g.generated_tokens > 0);

    let mut anonymous = backend(&server);
    let msg = http_error(streamed(&mut anonymous, &prompt("Hi"), &greedy(3)));
    assert!(msg.contains("HTTP 401"), "{msg}");
    assert!(msg.to_lowercase().contains("api key"), "{msg}");
    assert!(!msg.contains(&key), "the key is never in a message: {msg}");
}

#[test]
fn error_statuses_carry_the_servers_message() {
    let Some((_guard, server)) = server() else {
        return;
    };
    // A wrong path under the right server.
    let mut b = OpenAiBackend::new(&settings(format!(
        "http://127.0.0.1:{}/no-such-api",
        server.port
    )))
    .unwrap();
    let msg = http_error(streamed(&mut b, &prompt("Hi"), &greedy(8)));
    assert!(msg.contains("HTTP 404"), "{msg}");
    assert!(msg.contains("/no-such-api/chat/completions"), "{msg}");

    // A prompt longer than the server's context window.
    let mut b = backend(&server);
    let long = "Liquibase changelog review. ".repeat(1500);
    let msg = http_error(streamed(&mut b, &prompt(&long), &greedy(8)));
    assert!(msg.contains("HTTP 400"), "{msg}");
    assert!(msg.contains("context"), "{msg}");
}
