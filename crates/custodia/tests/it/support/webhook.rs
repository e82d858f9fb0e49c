//! An HTTP receiver on 127.0.0.1 for webhook tests: records every request (method,
//! path and query, headers, body) and answers 204, or a chosen status to the next few,
//! or 200 with a chosen JSON body for a given `Custodia-Event` (a tool answering
//! Custodia's dataset questions).
//!
//! ```ignore
//! let receiver = WebhookReceiver::start().await;
//! receiver.fail_next(1, 500);
//! // ... post to receiver.url("/hooks") twice ...
//! let [first, second] = &receiver.wait_for(2, Duration::from_secs(10)).await[..] else { panic!() };
//! assert_eq!((first.status, second.status), (500, 204));
//! ```

use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// One request as the receiver saw it, and the status it answered.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub status: u16,
}

impl Delivery {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }
}

#[derive(Default)]
struct Script {
    fail_next: usize,
    fail_status: u16,
    delay: Duration,
    /// `Custodia-Event` value -> JSON answered with 200.
    answers: std::collections::HashMap<String, String>,
}

struct State {
    deliveries: Mutex<Vec<Delivery>>,
    count: watch::Sender<usize>,
    script: Mutex<Script>,
}

/// The receiver; stops serving when dropped.
pub struct WebhookReceiver {
    pub addr: SocketAddr,
    state: Arc<State>,
    server: JoinHandle<()>,
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn record(
    Extract(state): Extract<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let event = headers
        .get("custodia-event")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (status, delay, answer) = {
        let mut script = state.script.lock().unwrap();
        let answer = script.answers.get(&event).cloned();
        let status = if script.fail_next > 0 {
            script.fail_next -= 1;
            script.fail_status
        } else if answer.is_some() {
            200
        } else {
            204
        };
        (status, script.delay, answer)
    };
    let delivery = Delivery {
        method: method.to_string(),
        path: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |p| p.to_string()),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: body.to_vec(),
        status,
    };
    {
        let mut deliveries = state.deliveries.lock().unwrap();
        deliveries.push(delivery);
        state.count.send_replace(deliveries.len());
    }
    tokio::time::sleep(delay).await;
    let body = if status == 200 {
        answer.unwrap_or_default()
    } else {
        String::new()
    };
    (StatusCode::from_u16(status).unwrap(), body)
}

impl WebhookReceiver {
    /// Listens on 127.0.0.1 on a free port; runs on the calling Tokio runtime.
    pub async fn start() -> WebhookReceiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            deliveries: Mutex::new(Vec::new()),
            count: watch::channel(0).0,
            script: Mutex::new(Script::default()),
        });
        let app = axum::Router::new()
            .fallback(record)
            .with_state(Arc::clone(&state));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        WebhookReceiver {
            addr,
            state,
            server,
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Answers `status` to the next `n` requests (then 204 again).
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut script = self.state.script.lock().unwrap();
        script.fail_next = n;
        script.fail_status = status;
    }

    /// Answers 200 with `json` to requests whose `Custodia-Event` is `event`.
    pub fn answer(&self, event: &str, json: &str) {
        let mut script = self.state.script.lock().unwrap();
        script.answers.insert(event.to_owned(), json.to_owned());
    }

    /// Holds every answer back for `delay`, after recording the request.
    pub fn set_delay(&self, delay: Duration) {
        self.state.script.lock().unwrap().delay = delay;
    }

    /// Every request so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.state.deliveries.lock().unwrap().clone()
    }

    /// Every request so far, once there are at least `n`; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Delivery> {
        let mut count = self.state.count.subscribe();
        let wait = count.wait_for(|c| *c >= n);
        if tokio::time::timeout(timeout, wait).await.is_err() {
            panic!(
                "{} of {n} deliveries within {timeout:?}",
                self.deliveries().len()
            );
        }
        self.deliveries()
    }
}
