//! End to end: the emitter delivers 2,000 events over loopback to an axum
//! receiver (`WebhookLayer` + `MemoryStore`) that injects faults: 500s,
//! responses slower than the emitter's timeout, dropped connections (before
//! and after the handler ran) and 429 with Retry-After. Every event must be
//! processed by the handler exactly once, none may be lost, and the
//! emitter's metrics must agree with what the receiver saw.
//!
//! Fault decisions are a deterministic function of (seed, event id, attempt
//! number at that point), so a failure reproduces.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hookproof_axum::{Webhook, WebhookLayer};
use hookproof_emitter::{Emitter, EmitterConfig, OutgoingEvent};
use hookproof_events::{Envelope, GatewayEvent};
use hookproof_idempotency::MemoryStore;
use hookproof_verify::{Scheme, Secret, Verifier};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

const EVENTS: usize = 2_000;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const EMITTER_TIMEOUT: Duration = Duration::from_millis(200);
const HANDLER_SEED: u64 = 0x5eed_0001;
const NETWORK_SEED: u64 = 0x5eed_0002;

/// A number in [0, 1) fixed by (seed, id, n).
fn roll(seed: u64, id: &str, n: u64) -> f64 {
    let mut h = DefaultHasher::new();
    (seed, id, n).hash(&mut h);
    StdRng::seed_from_u64(h.finish()).random::<f64>()
}

// ---------------------------------------------------------------------------
// A listener whose connections can be killed from a request: the next read
// or write fails, hyper drops the connection, the client sees it reset.
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, Default)]
struct Kill(Arc<AtomicBool>);

struct KillIo {
    inner: TcpStream,
    kill: Kill,
}

impl KillIo {
    fn killed(&self) -> Option<io::Error> {
        self.kill.0.load(Ordering::SeqCst).then(|| {
            io::Error::new(
                io::ErrorKind::ConnectionReset,
                "fault injection: connection dropped",
            )
        })
    }
}

impl AsyncRead for KillIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(err) = this.killed() {
            return Poll::Ready(Err(err));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(err) = this.killed() {
            return Poll::Ready(Err(err));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(err) = this.killed() {
            return Poll::Ready(Err(err));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

struct KillListener(TcpListener);

impl axum::serve::Listener for KillListener {
    type Io = KillIo;
    type Addr = Kill;

    async fn accept(&mut self) -> (KillIo, Kill) {
        loop {
            if let Ok((inner, _)) = self.0.accept().await {
                let kill = Kill::default();
                return (
                    KillIo {
                        inner,
                        kill: kill.clone(),
                    },
                    kill,
                );
            }
        }
    }

    fn local_addr(&self) -> io::Result<Kill> {
        Ok(Kill::default())
    }
}

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, KillListener>>
    for Kill
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, KillListener>) -> Self {
        stream.remote_addr().clone()
    }
}

// ---------------------------------------------------------------------------
// The receiver.
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Seen {
    /// Requests that reached the server, per delivery id.
    requests: Mutex<HashMap<String, u64>>,
    /// Handler runs (past verification and deduplication), per id.
    handler_runs: Mutex<HashMap<String, u64>>,
    /// Completed processing, per id: must end at exactly 1 for every event.
    processed: Mutex<HashMap<String, u64>>,
    dropped_before: AtomicU64,
    dropped_after: AtomicU64,
    errors_500: AtomicU64,
    slow: AtomicU64,
    throttled: AtomicU64,
}

fn bump(map: &Mutex<HashMap<String, u64>>, id: &str) -> u64 {
    let mut map = map.lock().unwrap();
    let n = map.entry(id.to_owned()).or_default();
    *n += 1;
    *n
}

/// Outside the webhook layer: drops ~5% of connections, half before the
/// request is handled, half after (the handler ran, its answer is lost).
async fn network_faults(
    State(seen): State<Arc<Seen>>,
    ConnectInfo(kill): ConnectInfo<Kill>,
    req: Request,
    next: Next,
) -> Response {
    let id = req
        .headers()
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let n = bump(&seen.requests, &id);
    let r = roll(NETWORK_SEED, &id, n);
    if r < 0.025 {
        seen.dropped_before.fetch_add(1, Ordering::SeqCst);
        kill.0.store(true, Ordering::SeqCst);
        return StatusCode::OK.into_response();
    }
    let response = next.run(req).await;
    if r < 0.05 {
        seen.dropped_after.fetch_add(1, Ordering::SeqCst);
        kill.0.store(true, Ordering::SeqCst);
    }
    response
}

/// The handler: ~30% 500, ~10% slower than the emitter's timeout, ~5% 429
/// with Retry-After, otherwise processes the event.
async fn handler(
    State(seen): State<Arc<Seen>>,
    Webhook { event, meta, .. }: Webhook<GatewayEvent>,
) -> Response {
    assert!(matches!(event, GatewayEvent::WebhookTest(_)), "{event:?}");
    let id = meta.id.unwrap();
    let n = bump(&seen.handler_runs, &id);
    let r = roll(HANDLER_SEED, &id, n);
    if r < 0.30 {
        seen.errors_500.fetch_add(1, Ordering::SeqCst);
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if r < 0.35 {
        seen.throttled.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")]).into_response();
    }
    if r < 0.45 {
        seen.slow.fetch_add(1, Ordering::SeqCst);
        // Sleep first: if the emitter's disconnect cancels this future, the
        // event is not processed and the claim is released for a retry.
        tokio::time::sleep(EMITTER_TIMEOUT + Duration::from_millis(100)).await;
    }
    bump(&seen.processed, &id);
    StatusCode::OK.into_response()
}

async fn start_receiver(seen: Arc<Seen>) -> SocketAddr {
    let verifier = Verifier::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).unwrap(),
    );
    let app = Router::new()
        .route("/webhooks", post(handler))
        .layer(WebhookLayer::new(verifier).store(MemoryStore::new()))
        .layer(middleware::from_fn_with_state(seen.clone(), network_faults))
        .with_state(seen);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            KillListener(listener),
            app.into_make_service_with_connect_info::<Kill>(),
        )
        .await
        .unwrap();
    });
    addr
}

fn envelope_event(i: usize) -> OutgoingEvent {
    let id = format!("evt_e2e_{i:05}");
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let body = format!(
        r#"{{"id":"{id}","type":"webhook.test","timestamp":"{now}","version":"2026-11-01","data":{{"message":"e2e {i}"}}}}"#
    );
    OutgoingEvent::from_envelope(&Envelope::from_slice(body.as_bytes()).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emitter_delivers_every_event_exactly_once_through_faults() {
    let seen = Arc::new(Seen::default());
    let addr = start_receiver(seen.clone()).await;
    // The default retryable statuses: a 409 + Retry-After, which the webhook
    // layer answers while the same delivery is still in progress (after an
    // emitter-side timeout), is retried by the emitter's policy itself.
    let config = EmitterConfig::from_toml_str(&format!(
        r#"
        [[endpoints]]
        name = "e2e"
        url = "http://{addr}/webhooks"
        secret = "{SECRET}"
        allow_loopback = true

        [retry]
        max_attempts = 25
        initial_delay_ms = 5
        backoff_multiplier = 2.0
        max_delay_ms = 100

        [delivery]
        timeout_ms = {}
        concurrent_deliveries = 32
        queue_size = 256
        "#,
        EMITTER_TIMEOUT.as_millis()
    ))
    .unwrap();
    let emitter = Emitter::start(config).unwrap();
    let metrics = emitter.metrics_handle();
    for i in 0..EVENTS {
        // The queue (256) is smaller than the batch: `send` waits for room.
        emitter.send(envelope_event(i)).await.unwrap();
    }
    let leftovers = emitter.shutdown(Duration::from_secs(120)).await;
    assert!(
        leftovers.is_empty(),
        "{} events handed back",
        leftovers.len()
    );

    let m = metrics.snapshot();
    let processed = seen.processed.lock().unwrap().clone();
    let requests: u64 = seen.requests.lock().unwrap().values().sum();

    // Every event processed by the handler exactly once.
    assert_eq!(processed.len(), EVENTS);
    let twice: Vec<_> = processed.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "processed more than once: {twice:?}");
    for i in 0..EVENTS {
        assert!(processed.contains_key(&format!("evt_e2e_{i:05}")));
    }

    // None lost, and the metrics agree with the receiver.
    assert_eq!(m.sent, EVENTS as u64);
    assert_eq!(m.delivered + m.dead_lettered, m.sent);
    assert_eq!((m.delivered, m.dead_lettered), (EVENTS as u64, 0));
    assert_eq!((m.in_flight, m.handed_back, m.lost), (0, 0, 0));
    assert!(m.is_balanced(), "{m:?}");
    assert_eq!(m.success_rate, Some(1.0));
    assert_eq!(m.retries, m.attempts - m.delivered);
    assert_eq!(
        m.attempts, requests,
        "every attempt reached the receiver once"
    );
    assert!(m.latency_p50.is_some() && m.latency_p99 >= m.latency_p50);

    // The faults really happened.
    let count = |c: &AtomicU64| c.load(Ordering::SeqCst);
    for (name, n) in [
        ("500", count(&seen.errors_500)),
        ("slow", count(&seen.slow)),
        ("429", count(&seen.throttled)),
        ("dropped before", count(&seen.dropped_before)),
        ("dropped after", count(&seen.dropped_after)),
    ] {
        assert!(n >= 10, "too few `{name}` faults: {n}");
    }
    assert!(m.attempts as f64 > EVENTS as f64 * 1.4, "{m:?}");
    eprintln!(
        "e2e: {} events, {} attempts, 500:{} slow:{} 429:{} drop-before:{} drop-after:{}, p50 {:?}, p99 {:?}",
        EVENTS,
        m.attempts,
        count(&seen.errors_500),
        count(&seen.slow),
        count(&seen.throttled),
        count(&seen.dropped_before),
        count(&seen.dropped_after),
        m.latency_p50,
        m.latency_p99
    );
}
