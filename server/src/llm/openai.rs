//! The `openai` backend: any server with an OpenAI-compatible `POST {base-url}/chat/completions`
//! (llama.cpp's llama-server, vLLM, Ollama, LM Studio, OpenAI itself).
//!
//! Replies are streamed (`"stream": true`) as server-sent events: one `data: {json}` line per chunk,
//! `data: [DONE]` at the end. The request runs on a short-lived reader thread that sends each parsed
//! chunk over a channel; the calling thread polls that channel and the [`Cancel`] flag, so a cancel is
//! seen within [`POLL`] even while the server is still processing the prompt and has sent nothing. On
//! cancel the caller returns at once with the text so far; the reader thread notices on its next line
//! (or at once, if it is between lines), stops reading and drops the connection, which is how
//! llama-server learns to stop generating.
//!
//! Timeouts: `timeout-secs` bounds connecting, waiting for the response headers (prompt processing) and
//! each read of the stream (a server that goes silent mid-reply), not the whole reply, which may
//! legitimately take longer on a slow model.
//!
//! The API key is read once, from the environment variable `api-key-env` names, and only ever sent in
//! the `Authorization` header: it is never logged nor part of an error message.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{Backend, Cancel, Finish, GenParams, Generation, LlmError, LlmSettings, Prompt};

/// How often the calling thread looks at the [`Cancel`] flag while it waits for the server.
const POLL: Duration = Duration::from_millis(20);
/// The longest line of the event stream read; a longer one is a broken server, not a chunk.
const MAX_LINE: u64 = 4 << 20;
/// How much of an error reply's body goes into the error message.
const MAX_ERROR_CHARS: usize = 400;
/// `GET /models` at construction is a convenience: it must not hold up a server that is down.
const MODELS_TIMEOUT: Duration = Duration::from_secs(10);

pub struct OpenAiBackend {
    agent: ureq::Agent,
    base_url: String,
    model: String,
    model_id: String,
    /// Never logged; `Debug` shows only whether there is one.
    api_key: Option<String>,
    context: usize,
    timeout_secs: u64,
}

impl std::fmt::Debug for OpenAiBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiBackend")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("context", &self.context)
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}

impl OpenAiBackend {
    /// Reads the API key (when `api-key-env` is set) and, without `api-model`, asks the server for the
    /// model it serves (`GET {base-url}/models`, first id; `"default"` when that fails: llama-server
    /// serves its one model whatever the name).
    pub fn new(settings: &LlmSettings) -> Result<OpenAiBackend, LlmError> {
        let base_url = settings.base_url.trim_end_matches('/').to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(LlmError::Http(format!(
                "base-url must start with http:// or https://, got {base_url:?}"
            )));
        }
        let api_key = match settings.api_key_env.as_deref() {
            None => None,
            Some(var) => match std::env::var(var) {
                Ok(key) if !key.trim().is_empty() => Some(key.trim().to_string()),
                _ => {
                    return Err(LlmError::Http(format!(
                        "api-key-env names the environment variable {var}, but it is not set or \
                         empty; set it to the API key, or remove api-key-env for a server without \
                         authentication"
                    )))
                }
            },
        };
        let timeout = Some(Duration::from_secs(settings.timeout_secs.max(1)));
        let agent = ureq::Agent::config_builder()
            // Error replies carry the server's reason in their body: read it rather than get a bare code.
            .http_status_as_error(false)
            .timeout_connect(timeout)
            .timeout_recv_response(timeout)
            .timeout_per_read(timeout)
            .timeout_per_write(timeout)
            .build()
            .new_agent();
        let mut backend = OpenAiBackend {
            agent,
            base_url,
            model: String::new(),
            model_id: String::new(),
            api_key,
            context: settings.context,
            timeout_secs: settings.timeout_secs,
        };
        backend.model = match settings.api_model.as_deref() {
            Some(m) if !m.trim().is_empty() => m.trim().to_string(),
            _ => backend.served_model().unwrap_or_else(|e| {
                tracing::warn!("{e}; naming the model \"default\"");
                "default".to_string()
            }),
        };
        backend.model_id = format!("openai:{}#{}", backend.base_url, backend.model);
        Ok(backend)
    }

    /// The first model id of `GET {base-url}/models`.
    fn served_model(&self) -> Result<String, LlmError> {
        let url = format!("{}/models", self.base_url);
        let mut req = self
            .agent
            .get(&url)
            .config()
            .timeout_per_call(Some(MODELS_TIMEOUT))
            .build();
        if let Some(key) = &self.api_key {
            req = req.header("Authorization", format!("Bearer {key}"));
        }
        let mut resp = req
            .call()
            .map_err(|e| transport_error("GET", &url, self.timeout_secs, e))?;
        if !resp.status().is_success() {
            return Err(status_error("GET", &url, resp));
        }
        let text = resp
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_string()
            .map_err(|e| LlmError::Http(format!("GET {url}: the reply broke off: {e}")))?;
        let body: Value = serde_json::from_str(&text)
            .map_err(|e| LlmError::Http(format!("GET {url}: malformed reply: {e}")))?;
        first_model_id(&body)
            .ok_or_else(|| LlmError::Http(format!("GET {url}: the reply lists no model")))
    }
}

/// `data[0].id` of an OpenAI `/models` reply (Ollama and llama-server also answer `models[0]`).
fn first_model_id(body: &Value) -> Option<String> {
    ["data", "models"].iter().find_map(|list| {
        let m = body.get(list)?.as_array()?.first()?;
        let id = m
            .get("id")
            .or_else(|| m.get("model"))
            .or_else(|| m.get("name"))?;
        Some(id.as_str()?.to_string()).filter(|s| !s.is_empty())
    })
}

/// The JSON body of a streamed chat-completions request.
pub(crate) fn request_body(model: &str, prompt: &Prompt, params: &GenParams) -> Value {
    let mut body = json!({
        "model": model,
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
        "max_tokens": params.max_tokens,
        "temperature": params.temperature,
    });
    let obj = body.as_object_mut().expect("a JSON object");
    if let Some(p) = params.top_p {
        obj.insert("top_p".into(), json!(p));
    }
    obj.insert("seed".into(), json!(params.seed));
    if !params.stop.is_empty() {
        obj.insert("stop".into(), json!(params.stop));
    }
    obj.insert("stream".into(), json!(true));
    // Ask for the token counts in a last chunk; servers that do not know the option ignore it.
    obj.insert("stream_options".into(), json!({"include_usage": true}));
    body
}

/// Token counts of a `usage` object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Usage {
    pub prompt_tokens: usize,
    pub completion_tokens: usize,
}

/// What one streamed chunk carries (any part may be missing).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Chunk {
    /// `choices[0].delta.content`.
    pub content: Option<String>,
    /// `choices[0].finish_reason`.
    pub finish: Option<Finish>,
    pub usage: Option<Usage>,
}

/// One line of the event stream, interpreted.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SseLine {
    /// A blank line (the end of an event), a `: comment`, or a field other than `data` (`event:`,
    /// `id:`, `retry:`).
    Ignore,
    /// `data: [DONE]`.
    Done,
    Chunk(Chunk),
    /// The server reported an error inside the stream (`data: {"error": ...}` or `error: ...`).
    ServerError(String),
}

/// Parses one line of a chat-completions event stream (without its line break). Every data line is
/// taken as a whole event, which is how OpenAI-compatible servers send them (one JSON object per line).
pub(crate) fn parse_sse_line(line: &str) -> Result<SseLine, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() || line.starts_with(':') {
        return Ok(SseLine::Ignore);
    }
    let (field, value) = match line.split_once(':') {
        Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
        None => (line, ""),
    };
    match field {
        "data" => {}
        "error" => return Ok(SseLine::ServerError(error_text(value))),
        _ => return Ok(SseLine::Ignore),
    }
    let value = value.trim();
    if value == "[DONE]" {
        return Ok(SseLine::Done);
    }
    let v: Value = serde_json::from_str(value).map_err(|e| {
        format!(
            "malformed event ({e}): {}",
            truncate(value, MAX_ERROR_CHARS)
        )
    })?;
    if let Some(err) = v.get("error") {
        return Ok(SseLine::ServerError(error_message(err)));
    }
    chunk_of(&v).map(SseLine::Chunk)
}

/// The parts of a chunk (or of a whole non-streamed reply, whose `choices[0]` has a `message`
/// instead of a `delta`).
fn chunk_of(v: &Value) -> Result<Chunk, String> {
    if !v.is_object() {
        return Err(format!(
            "malformed event (not a JSON object): {}",
            truncate(&v.to_string(), MAX_ERROR_CHARS)
        ));
    }
    let choice = v.get("choices").and_then(|c| c.get(0));
    let content = choice
        .and_then(|c| c.get("delta").or_else(|| c.get("message")))
        .and_then(|d| d.get("content"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let finish = choice
        .and_then(|c| c.get("finish_reason"))
        .and_then(Value::as_str)
        .map(|r| match r {
            "length" => Finish::Length,
            _ => Finish::Stop,
        });
    let usage = v.get("usage").filter(|u| u.is_object()).map(|u| {
        let n = |k: &str| u.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
        Usage {
            prompt_tokens: n("prompt_tokens"),
            completion_tokens: n("completion_tokens"),
        }
    });
    Ok(Chunk {
        content,
        finish,
        usage,
    })
}

/// The message of an error value: `{"message": ...}`, a string, or the JSON itself.
fn error_message(err: &Value) -> String {
    let text = match err {
        Value::String(s) => s.clone(),
        Value::Object(o) => match o.get("message").and_then(Value::as_str) {
            Some(m) => m.to_string(),
            None => err.to_string(),
        },
        _ => err.to_string(),
    };
    truncate(&text, MAX_ERROR_CHARS)
}

/// The message in an error reply's body: OpenAI's `{"error": {"message": ...}}`, `{"error": "..."}`,
/// `{"message"|"detail": ...}`, else the text itself.
fn error_text(body: &str) -> String {
    let body = body.trim();
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        if let Some(e) = v
            .get("error")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("detail"))
        {
            return error_message(e);
        }
    }
    truncate(body, MAX_ERROR_CHARS)
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A failure before any reply: refused, unreachable, timed out, TLS.
fn transport_error(method: &str, url: &str, timeout_secs: u64, e: ureq::Error) -> LlmError {
    let why = match &e {
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused (is the server running, and is base-url right?)".to_string()
        }
        ureq::Error::Timeout(t) => format!("no reply within timeout-secs = {timeout_secs} ({t})"),
        ureq::Error::HostNotFound => "host not found".to_string(),
        _ => e.to_string(),
    };
    LlmError::Http(format!("{method} {url}: {why}"))
}

/// A non-2xx reply, with the server's reason.
fn status_error(method: &str, url: &str, resp: ureq::http::Response<ureq::Body>) -> LlmError {
    let status = resp.status();
    let mut body = Vec::new();
    // Best effort: the status alone is still worth reporting when the body cannot be read.
    let _ = resp
        .into_body()
        .into_reader()
        .take(64 << 10)
        .read_to_end(&mut body);
    let text = error_text(&String::from_utf8_lossy(&body));
    let reason = status.canonical_reason().unwrap_or("");
    let mut msg = format!("{method} {url}: HTTP {} {reason}", status.as_u16());
    if !text.is_empty() {
        msg.push_str(": ");
        msg.push_str(&text);
    }
    LlmError::Http(msg)
}

/// What the reader thread sends.
enum Msg {
    Line(SseLine),
    /// The stream ended (end of body).
    Eof,
    Failed(LlmError),
}

/// The reader thread: sends the request, then each line of the reply, until the end, an error, the
/// caller hanging up (a closed channel) or `cancel`.
fn run_request(
    req: ureq::RequestBuilder<ureq::typestate::WithBody>,
    body: String,
    url: String,
    timeout_secs: u64,
    cancel: Cancel,
    tx: mpsc::Sender<Msg>,
) {
    let fail = |e: LlmError| {
        let _ = tx.send(Msg::Failed(e));
    };
    let resp = match req.send(body) {
        Ok(r) => r,
        Err(e) => return fail(transport_error("POST", &url, timeout_secs, e)),
    };
    if !resp.status().is_success() {
        return fail(status_error("POST", &url, resp));
    }
    let is_json = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().starts_with("application/json"));
    let mut reader = BufReader::new(resp.into_body().into_reader());
    let read_error =
        |e: std::io::Error| LlmError::Http(format!("POST {url}: the reply broke off: {e}"));
    if is_json {
        // A server that ignores "stream": one whole reply, a chunk with a message instead of a delta.
        let mut text = String::new();
        if let Err(e) = reader.take(64 << 20).read_to_string(&mut text) {
            return fail(read_error(e));
        }
        let msg = match serde_json::from_str::<Value>(&text) {
            Ok(v) if v.get("error").is_some() => {
                Msg::Line(SseLine::ServerError(error_message(&v["error"])))
            }
            Ok(v) => match chunk_of(&v) {
                Ok(c) => Msg::Line(SseLine::Chunk(c)),
                Err(e) => Msg::Failed(LlmError::Http(format!("POST {url}: {e}"))),
            },
            Err(e) => Msg::Failed(LlmError::Http(format!(
                "POST {url}: malformed reply ({e}): {}",
                truncate(&text, MAX_ERROR_CHARS)
            ))),
        };
        if tx.send(msg).is_ok() {
            let _ = tx.send(Msg::Line(SseLine::Done));
        }
        return;
    }
    let mut line = Vec::new();
    loop {
        if cancel.is_cancelled() {
            // Dropping the reader closes the connection: the server stops generating.
            return;
        }
        line.clear();
        match (&mut reader).take(MAX_LINE).read_until(b'\n', &mut line) {
            Ok(0) => {
                let _ = tx.send(Msg::Eof);
                return;
            }
            Ok(_) => {}
            Err(e) => return fail(read_error(e)),
        }
        if line.last() != Some(&b'\n') && line.len() as u64 >= MAX_LINE {
            return fail(LlmError::Http(format!(
                "POST {url}: an event longer than {MAX_LINE} bytes"
            )));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        let msg = match parse_sse_line(text) {
            Ok(SseLine::Ignore) => continue,
            Ok(l) => Msg::Line(l),
            Err(e) => Msg::Failed(LlmError::Http(format!("POST {url}: {e}"))),
        };
        let stop = matches!(msg, Msg::Failed(_));
        if tx.send(msg).is_err() || stop {
            return;
        }
    }
}

impl Backend for OpenAiBackend {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    /// The served model's name; llama-server names its model by the GGUF's path, shortened here to
    /// the file name.
    fn display_name(&self) -> String {
        match self.model.rsplit_once('/') {
            Some((_, file)) if self.model.starts_with('/') && !file.is_empty() => file.to_string(),
            _ => self.model.clone(),
        }
    }

    fn context_window(&self) -> usize {
        self.context
    }

    /// An estimate: the model runs elsewhere and its tokenizer is not available here. Three characters
    /// a token over-counts English and code a little (BPE vocabularies average nearer four), so a
    /// prompt fitted by this estimate fits the real context window.
    fn count_tokens(&self, text: &str) -> usize {
        text.chars().count().div_ceil(3)
    }

    fn generate(
        &mut self,
        prompt: &Prompt,
        params: &GenParams,
        cancel: &Cancel,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Generation, LlmError> {
        let start = Instant::now();
        let url = format!("{}/chat/completions", self.base_url);
        let body = request_body(&self.model, prompt, params).to_string();
        let mut req = self
            .agent
            .post(&url)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream");
        if let Some(key) = &self.api_key {
            req = req.header("Authorization", format!("Bearer {key}"));
        }
        let (tx, rx) = mpsc::channel();
        let (thread_cancel, thread_url, timeout_secs) =
            (cancel.clone(), url.clone(), self.timeout_secs);
        std::thread::Builder::new()
            .name("lqls-openai".into())
            .spawn(move || run_request(req, body, thread_url, timeout_secs, thread_cancel, tx))
            .map_err(|e| LlmError::Http(format!("cannot start the request thread: {e}")))?;

        let mut text = String::new();
        let mut pieces = 0usize;
        let mut first_token_ms = None;
        let mut finish = None;
        let mut usage = None;
        let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
        let outcome = loop {
            if cancel.is_cancelled() {
                break Finish::Cancelled;
            }
            let msg = match rx.recv_timeout(POLL) {
                Ok(m) => m,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(LlmError::Http(format!(
                        "POST {url}: the request thread ended without a reply"
                    )))
                }
            };
            match msg {
                Msg::Line(SseLine::Chunk(c)) => {
                    if let Some(piece) = c.content {
                        first_token_ms.get_or_insert_with(|| ms(start));
                        pieces += 1;
                        text.push_str(&piece);
                        on_text(&piece);
                    }
                    if c.finish.is_some() {
                        finish = c.finish;
                    }
                    if c.usage.is_some() {
                        usage = c.usage;
                    }
                }
                Msg::Line(SseLine::Done) => break finish.unwrap_or(Finish::Stop),
                Msg::Line(SseLine::ServerError(e)) => {
                    return Err(LlmError::Http(format!(
                        "POST {url}: the server failed: {e}"
                    )))
                }
                Msg::Line(SseLine::Ignore) => {}
                // Some servers close the stream after the last chunk without `[DONE]`.
                Msg::Eof => match finish {
                    Some(f) => break f,
                    None => {
                        return Err(LlmError::Http(format!(
                            "POST {url}: the reply ended before the model finished"
                        )))
                    }
                },
                Msg::Failed(e) => return Err(e),
            }
        };
        // Dropping `rx` tells the reader thread to stop (after a cancel it also sees the flag).
        drop(rx);
        let (prompt_tokens, generated_tokens) = match usage {
            Some(u) if u.prompt_tokens > 0 || u.completion_tokens > 0 => {
                (u.prompt_tokens, u.completion_tokens)
            }
            // Without counts from the server: each streamed piece is about one token.
            _ => (
                self.count_tokens(&prompt.system) + self.count_tokens(&prompt.user),
                pieces,
            ),
        };
        let total_ms = ms(start);
        Ok(Generation {
            text,
            finish: outcome,
            prompt_tokens,
            reused_tokens: 0,
            generated_tokens,
            first_token_ms: first_token_ms.unwrap_or(total_ms),
            total_ms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(content: Option<&str>, finish: Option<Finish>) -> SseLine {
        SseLine::Chunk(Chunk {
            content: content.map(str::to_string),
            finish,
            usage: None,
        })
    }

    #[test]
    fn sse_lines() {
        assert_eq!(parse_sse_line(""), Ok(SseLine::Ignore));
        assert_eq!(parse_sse_line("\r"), Ok(SseLine::Ignore));
        assert_eq!(parse_sse_line(": keep-alive"), Ok(SseLine::Ignore));
        assert_eq!(parse_sse_line("event: message"), Ok(SseLine::Ignore));
        assert_eq!(parse_sse_line("id: 7"), Ok(SseLine::Ignore));
        assert_eq!(parse_sse_line("data: [DONE]"), Ok(SseLine::Done));
        assert_eq!(parse_sse_line("data:[DONE]\r"), Ok(SseLine::Done));
        assert_eq!(
            parse_sse_line(r#"data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#),
            Ok(chunk(Some("Hel"), None))
        );
        // The role-only first chunk and an empty content carry no text.
        assert_eq!(
            parse_sse_line(r#"data: {"choices":[{"delta":{"role":"assistant","content":null}}]}"#),
            Ok(chunk(None, None))
        );
        assert_eq!(
            parse_sse_line(r#"data: {"choices":[{"delta":{"content":""},"finish_reason":null}]}"#),
            Ok(chunk(None, None))
        );
        assert_eq!(
            parse_sse_line(r#"data: {"choices":[{"delta":{},"finish_reason":"length"}]}"#),
            Ok(chunk(None, Some(Finish::Length)))
        );
        assert_eq!(
            parse_sse_line(r#"data: {"choices":[{"delta":{},"finish_reason":"stop"}]}"#),
            Ok(chunk(None, Some(Finish::Stop)))
        );
        assert_eq!(
            parse_sse_line(r#"data: {"choices":[{"delta":{},"finish_reason":"content_filter"}]}"#),
            Ok(chunk(None, Some(Finish::Stop)))
        );
        // Content with a line break and non-ASCII text, escaped inside the JSON.
        assert_eq!(
            parse_sse_line(r#"data: {"choices":[{"delta":{"content":"a\nb é"}}]}"#),
            Ok(chunk(Some("a\nb é"), None))
        );
    }

    #[test]
    fn sse_usage_and_errors() {
        assert_eq!(
            parse_sse_line(
                r#"data: {"choices":[],"usage":{"prompt_tokens":31,"completion_tokens":5,"total_tokens":36}}"#
            ),
            Ok(SseLine::Chunk(Chunk {
                content: None,
                finish: None,
                usage: Some(Usage {
                    prompt_tokens: 31,
                    completion_tokens: 5
                }),
            }))
        );
        assert_eq!(
            parse_sse_line(r#"data: {"error":{"code":500,"message":"out of memory"}}"#),
            Ok(SseLine::ServerError("out of memory".into()))
        );
        assert_eq!(
            parse_sse_line(r#"error: {"code":400,"message":"too long"}"#),
            Ok(SseLine::ServerError("too long".into()))
        );
        let bad = parse_sse_line("data: {\"choices\": [").unwrap_err();
        assert!(bad.starts_with("malformed event"), "{bad}");
        assert!(parse_sse_line("data: 42")
            .unwrap_err()
            .contains("not a JSON object"));
    }

    #[test]
    fn body() {
        let prompt = Prompt {
            system: "You review changesets.".into(),
            user: "Review this.".into(),
        };
        let params = GenParams {
            max_tokens: 64,
            temperature: 0.0,
            top_p: None,
            seed: 7,
            stop: Vec::new(),
            repeat_penalty: 1.0,
        };
        let b = request_body("m", &prompt, &params);
        assert_eq!(
            b,
            json!({
                "model": "m",
                "messages": [
                    {"role": "system", "content": "You review changesets."},
                    {"role": "user", "content": "Review this."},
                ],
                "max_tokens": 64,
                "temperature": 0.0,
                "seed": 7,
                "stream": true,
                "stream_options": {"include_usage": true},
            })
        );
        assert!(b.get("top_p").is_none() && b.get("stop").is_none());
        let b = request_body(
            "m",
            &prompt,
            &GenParams {
                top_p: Some(0.9),
                stop: vec!["\n\n".into(), "END".into()],
                temperature: 0.7,
                ..params
            },
        );
        assert_eq!(b["top_p"], json!(0.9));
        assert_eq!(b["stop"], json!(["\n\n", "END"]));
        assert_eq!(b["temperature"], json!(0.7));
    }

    #[test]
    fn error_bodies() {
        assert_eq!(
            error_text(
                r#"{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}"#
            ),
            "File Not Found"
        );
        assert_eq!(
            error_text(r#"{"error":"model not loaded"}"#),
            "model not loaded"
        );
        assert_eq!(error_text(r#"{"detail":"Not Found"}"#), "Not Found");
        assert_eq!(
            error_text("  <html>Bad Gateway</html>\n"),
            "<html>Bad Gateway</html>"
        );
        let long = "x".repeat(1000);
        assert_eq!(error_text(&long).chars().count(), MAX_ERROR_CHARS + 1);
    }

    #[test]
    fn models_reply() {
        assert_eq!(
            first_model_id(&json!({"object": "list", "data": [{"id": "qwen", "object": "model"}]})),
            Some("qwen".into())
        );
        assert_eq!(
            first_model_id(&json!({"models": [{"name": "llama3:8b", "model": "llama3:8b"}]})),
            Some("llama3:8b".into())
        );
        assert_eq!(first_model_id(&json!({"data": []})), None);
    }

    #[test]
    fn settings_errors_and_names() {
        let mut s = LlmSettings {
            base_url: "localhost:8080/v1".into(),
            api_model: Some("m".into()),
            ..LlmSettings::default()
        };
        let e = OpenAiBackend::new(&s).expect_err("a bad URL").to_string();
        assert!(e.contains("http://"), "{e}");
        s.base_url = "http://127.0.0.1:9/v1/".into();
        let b = OpenAiBackend::new(&s).expect("no request needed with api-model");
        assert_eq!(b.model_id(), "openai:http://127.0.0.1:9/v1#m");
        assert_eq!(b.display_name(), "m");
        assert_eq!(b.context_window(), s.context);
        assert_eq!(b.count_tokens(""), 0);
        assert_eq!(b.count_tokens("abcd"), 2);
        assert_eq!(b.count_tokens("ééé"), 1);
        s.api_key_env = Some("PATH".into());
        let b = OpenAiBackend::new(&s).unwrap();
        let debug = format!("{b:?}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert!(!debug.contains(&std::env::var("PATH").unwrap()), "{debug}");
    }
}
