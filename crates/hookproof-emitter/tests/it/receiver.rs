//! A scriptable axum receiver on 127.0.0.1 that records every request.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hookproof_emitter::{Emitter, EmitterConfig, MetricsSnapshot, OutgoingEvent};
use hookproof_verify::{Scheme, Secret, Verifier};

pub(crate) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// One request as received.
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub(crate) path: String,
    pub(crate) id: String,
    pub(crate) timestamp: String,
    /// Whether the signature verified over the exact body.
    pub(crate) verified: bool,
    pub(crate) at: Instant,
}

/// What to answer.
pub(crate) enum Reply {
    Status(u16),
    WithHeader(u16, &'static str, String),
    SleepThen(Duration, u16),
}

type Script = dyn Fn(&Hit, usize) -> Reply + Send + Sync;

#[derive(Clone)]
struct Ctx {
    hits: Arc<Mutex<Vec<Hit>>>,
    per_id: Arc<Mutex<HashMap<(String, String), usize>>>,
    script: Arc<Script>,
    verifier: Verifier,
}

pub(crate) struct Receiver {
    pub(crate) addr: SocketAddr,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Receiver {
    /// Starts a receiver; `script(hit, n)` answers the `n`th request (from 1)
    /// for this path and delivery id.
    pub(crate) async fn start(
        script: impl Fn(&Hit, usize) -> Reply + Send + Sync + 'static,
    ) -> Receiver {
        let secret = Secret::from_standard(SECRET).unwrap();
        let ctx = Ctx {
            hits: Arc::default(),
            per_id: Arc::default(),
            script: Arc::new(script),
            verifier: Verifier::new(Scheme::StandardWebhooks, secret),
        };
        let hits = ctx.hits.clone();
        let app = Router::new().fallback(handle).with_state(ctx);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { addr, hits }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub(crate) fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

async fn handle(State(ctx): State<Ctx>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let verified = ctx.verifier.verify(&pairs[..], &body).is_ok();
    let hit = Hit {
        path: uri.path().to_owned(),
        id: get("webhook-id"),
        timestamp: get("webhook-timestamp"),
        verified,
        at: Instant::now(),
    };
    let n = {
        let mut per_id = ctx.per_id.lock().unwrap();
        let n = per_id
            .entry((hit.path.clone(), hit.id.clone()))
            .or_default();
        *n += 1;
        *n
    };
    ctx.hits.lock().unwrap().push(hit.clone());
    let status = |s: u16| StatusCode::from_u16(s).unwrap();
    match (ctx.script)(&hit, n) {
        Reply::Status(s) => status(s).into_response(),
        Reply::WithHeader(s, name, value) => (status(s), [(name, value)]).into_response(),
        Reply::SleepThen(d, s) => {
            tokio::time::sleep(d).await;
            status(s).into_response()
        }
    }
}

/// A config for one endpoint on loopback, with fast retries; `extra` is
/// appended TOML (e.g. a `[delivery]` table).
pub(crate) fn config(url: &str, endpoint_extra: &str, extra: &str) -> EmitterConfig {
    let text = format!(
        r#"
        [[endpoints]]
        name = "test"
        url = "{url}"
        secret = "{SECRET}"
        allow_loopback = true
        {endpoint_extra}

        [retry]
        max_attempts = 3
        initial_delay_ms = 10
        max_delay_ms = 50
        {extra}
        "#
    );
    EmitterConfig::from_toml_str(&text).unwrap()
}

pub(crate) fn event(id: &str) -> OutgoingEvent {
    OutgoingEvent::new(
        id,
        "request.completed",
        format!(r#"{{"id":"{id}","type":"request.completed"}}"#),
    )
}

/// Waits until `done(metrics)` or panics after 10 s.
pub(crate) async fn wait_for(
    emitter: &Emitter,
    done: impl Fn(&MetricsSnapshot) -> bool,
) -> MetricsSnapshot {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let m = emitter.metrics();
        if done(&m) {
            return m;
        }
        assert!(Instant::now() < deadline, "condition not reached: {m:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits until every accepted delivery has ended.
pub(crate) async fn settled(emitter: &Emitter) -> MetricsSnapshot {
    wait_for(emitter, |m| m.sent > 0 && m.in_flight == 0).await
}
