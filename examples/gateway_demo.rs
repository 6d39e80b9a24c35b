//! End-to-end demo: a gateway emitter delivers a few hundred events to a
//! hookproof receiver in the same process, through injected receiver faults,
//! and prints what happened.
//!
//! ```text
//! cargo run --example gateway_demo
//! ```
//!
//! - The **receiver** is an axum app on 127.0.0.1 (port chosen by the OS):
//!   `WebhookLayer` verifies each delivery and deduplicates it through a
//!   `MemoryStore`; the handler decodes a typed `GatewayEvent` and counts it.
//! - In front of it, a **fault injector** misbehaves on purpose, keyed on the
//!   event's number: some first attempts get `500`, some `429` with
//!   `Retry-After`, some are processed but answered only after the emitter's
//!   timeout (a lost acknowledgement), and every 50th event always fails.
//! - The **emitter** signs each event (gateway scheme) and delivers it with
//!   short retry delays; events come from the repository's `fixtures/gateway/`
//!   catalogue, one sample per event type, each sent with a fresh id.
//!
//! What to look for in the report: every event is either delivered or
//! dead-lettered, the handler saw each delivered event exactly once although
//! the emitter retried, and the retries after a lost acknowledgement were
//! answered from the idempotency store ("duplicates suppressed").

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse as _, Response};
use axum::routing::post;
use hookproof_axum::{Webhook, WebhookLayer};
use hookproof_emitter::{
    Emitter, EmitterConfig, EndpointConfig, OutgoingEvent, ssrf::AddressPolicy,
};
use hookproof_events::GatewayEvent;
use hookproof_idempotency::MemoryStore;
use hookproof_testkit::FixtureBody;
use hookproof_verify::{Scheme, Secret, Signer, Verifier};
use http::StatusCode;

/// The demo's shared secret (the example secret of the Standard Webhooks spec).
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// How many events to send and how impatient the emitter is.
#[derive(Clone, Debug)]
pub(crate) struct DemoConfig {
    /// Events to send (spread over every gateway event type).
    pub(crate) events: usize,
    /// The emitter's timeout per attempt.
    pub(crate) attempt_timeout: Duration,
    /// How long a "lost acknowledgement" answer is held back (longer than
    /// `attempt_timeout`).
    pub(crate) slow_ack: Duration,
    /// Give up waiting for the emitter after this long.
    pub(crate) deadline: Duration,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            events: 300,
            attempt_timeout: Duration::from_millis(500),
            slow_ack: Duration::from_millis(1000),
            deadline: Duration::from_secs(45),
        }
    }
}

/// The fault injected into one attempt, chosen by the event's number `i`
/// and the attempt number (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Answer normally.
    None,
    /// Answer 500 without processing.
    ServerError,
    /// Answer 429 with `Retry-After: 1` without processing.
    TooManyRequests,
    /// Process, then hold the answer past the emitter's timeout.
    SlowAck,
}

/// The fault plan: every 50th event always fails (it ends dead-lettered);
/// of the others, by `i % 10`: 1 → first attempt 500, 3 → first attempt
/// 429, 5 → first answer too slow, 7 → first two attempts 500.
pub(crate) fn fault(i: usize, attempt: u32) -> Fault {
    if i % 50 == 49 {
        return Fault::ServerError;
    }
    match (i % 10, attempt) {
        (1, 1) | (7, 1 | 2) => Fault::ServerError,
        (3, 1) => Fault::TooManyRequests,
        (5, 1) => Fault::SlowAck,
        _ => Fault::None,
    }
}

/// Whether event `i` is planned to fail on every attempt.
pub(crate) fn always_fails(i: usize) -> bool {
    fault(i, u32::MAX) == Fault::ServerError
}

/// What the receiver saw.
#[derive(Debug, Default)]
struct Receiver {
    /// Attempts per delivery id (counted by the fault injector).
    attempts: Mutex<HashMap<String, u32>>,
    /// Events the handler processed, by type.
    handled: Mutex<BTreeMap<String, u64>>,
    /// Delivery ids the handler processed (to catch double processing).
    handled_ids: Mutex<HashSet<String>>,
    /// Deliveries the handler saw a second time (should stay 0).
    handled_twice: AtomicU64,
    /// Answers replayed from the idempotency store.
    replayed: AtomicU64,
    injected_500: AtomicU64,
    injected_429: AtomicU64,
    injected_slow: AtomicU64,
}

/// The demo's outcome.
#[derive(Debug)]
pub(crate) struct DemoReport {
    /// Events handed to the emitter.
    pub(crate) sent: u64,
    /// Deliveries answered 2xx.
    pub(crate) delivered: u64,
    /// HTTP attempts made.
    pub(crate) attempts: u64,
    /// Attempts scheduled again after a failure.
    pub(crate) retried: u64,
    /// Ids of the events that exhausted their attempts.
    pub(crate) dead_lettered: Vec<String>,
    /// Events the fault plan fails on every attempt.
    pub(crate) planned_dead: usize,
    /// Retries answered from the idempotency store (handler not run).
    pub(crate) duplicates_suppressed: u64,
    /// Deliveries the handler processed twice (0 unless something is wrong).
    pub(crate) handled_twice: u64,
    /// Median time from event creation to its 2xx.
    pub(crate) latency_p50: Option<Duration>,
    /// 99th percentile of the same.
    pub(crate) latency_p99: Option<Duration>,
    /// Events the handler processed, per event type.
    pub(crate) handled_by_type: BTreeMap<String, u64>,
    /// Faults injected: (500s, 429s, slow answers).
    pub(crate) injected: (u64, u64, u64),
    /// Wall time of the run.
    pub(crate) elapsed: Duration,
}

/// Runs the whole demo: receiver, emitter, events, report.
///
/// # Errors
///
/// When the fixture catalogue cannot be loaded, the receiver cannot bind,
/// the emitter rejects its config, or delivery does not settle before the
/// deadline.
pub(crate) async fn run(config: DemoConfig) -> anyhow::Result<DemoReport> {
    let started = Instant::now();
    let samples = samples()?;

    // Receiver: fault injector -> WebhookLayer (verify + dedupe) -> handler.
    let state = Arc::new(Receiver::default());
    let verifier = Verifier::new(Scheme::gateway(), Secret::from_standard(SECRET)?);
    let app = Router::new()
        .route("/webhooks", post(handle))
        .layer(WebhookLayer::new(verifier).store(MemoryStore::new()))
        .layer(middleware::from_fn_with_state(
            (Arc::clone(&state), config.slow_ack),
            inject_faults,
        ))
        .with_state(Arc::clone(&state));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        hookproof_axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });

    // Emitter: gateway scheme, loopback allowed, short timeouts and delays.
    let signer = Signer::new(Scheme::gateway(), Secret::from_standard(SECRET)?);
    let url = format!("http://{addr}/webhooks").parse()?;
    let mut endpoint = EndpointConfig::new("demo-receiver", url, signer);
    endpoint.address_policy = AddressPolicy::allow_loopback();
    let mut emitter_config = EmitterConfig::new(vec![endpoint]);
    emitter_config.retry.max_attempts = 4;
    emitter_config.retry.initial_delay = Duration::from_millis(20);
    emitter_config.retry.max_delay = Duration::from_millis(150);
    emitter_config.delivery.timeout = config.attempt_timeout;
    emitter_config.delivery.concurrent_deliveries = 32;
    let emitter = Emitter::start(emitter_config)?;

    for i in 0..config.events {
        let (event_type, body) = &samples[i % samples.len()];
        let id = format!("evt_demo_{i:04}");
        let mut body = body.clone();
        body["id"] = serde_json::Value::String(id.clone());
        let event = OutgoingEvent::new(id, event_type.clone(), body.to_string());
        emitter.send(event).await?;
    }

    // Wait until every delivery ended (delivered or dead-lettered).
    let metrics = loop {
        let m = emitter.metrics();
        if m.sent == config.events as u64 && m.in_flight == 0 {
            break m;
        }
        if started.elapsed() > config.deadline {
            bail!(
                "deliveries did not settle within {:?}: {m:?}",
                config.deadline
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut dead_lettered: Vec<String> = emitter
        .dead_letters()
        .into_iter()
        .map(|d| d.event.id)
        .collect();
    dead_lettered.sort();
    let undelivered = emitter.shutdown(Duration::from_secs(1)).await;
    if !undelivered.is_empty() {
        bail!("{} events were handed back undelivered", undelivered.len());
    }
    let _ = stop.send(());
    server.await.context("receiver task")??;

    let handled_by_type = state
        .handled
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .clone();
    Ok(DemoReport {
        sent: metrics.sent,
        delivered: metrics.delivered,
        attempts: metrics.attempts,
        retried: metrics.retries,
        dead_lettered,
        planned_dead: (0..config.events).filter(|i| always_fails(*i)).count(),
        duplicates_suppressed: state.replayed.load(Ordering::SeqCst),
        handled_twice: state.handled_twice.load(Ordering::SeqCst),
        latency_p50: metrics.latency_p50,
        latency_p99: metrics.latency_p99,
        handled_by_type,
        injected: (
            state.injected_500.load(Ordering::SeqCst),
            state.injected_429.load(Ordering::SeqCst),
            state.injected_slow.load(Ordering::SeqCst),
        ),
        elapsed: started.elapsed(),
    })
}

/// One `(event type, body)` per gateway fixture that expects success.
fn samples() -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/gateway");
    let fixtures = hookproof_testkit::load(dir).with_context(|| format!("loading {dir}"))?;
    let samples: Vec<_> = fixtures
        .into_iter()
        .filter(|f| (200..300).contains(&f.expected_status))
        .filter_map(|f| match f.body {
            FixtureBody::Json(body) => {
                let event_type = body.get("type")?.as_str()?.to_owned();
                Some((event_type, body))
            }
            _ => None,
        })
        .collect();
    if samples.is_empty() {
        bail!("no gateway fixtures with a JSON body and a 2xx expected status in {dir}");
    }
    Ok(samples)
}

/// The handler: a verified, typed, first-time delivery.
async fn handle(
    State(state): State<Arc<Receiver>>,
    Webhook { event, meta, .. }: Webhook<GatewayEvent>,
) -> StatusCode {
    let id = String::from(meta.id.unwrap_or_default());
    let first_time = state.handled_ids.lock().is_ok_and(|mut ids| ids.insert(id));
    if !first_time {
        state.handled_twice.fetch_add(1, Ordering::SeqCst);
    }
    if let Ok(mut handled) = state.handled.lock() {
        *handled.entry(event.event_type().to_owned()).or_default() += 1;
    }
    StatusCode::NO_CONTENT
}

/// Middleware in front of the webhook layer that misbehaves per [`fault`].
async fn inject_faults(
    State((state, slow_ack)): State<(Arc<Receiver>, Duration)>,
    request: Request,
    next: Next,
) -> Response {
    let id = request
        .headers()
        .get("x-webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let attempt = state.attempts.lock().map_or(1, |mut attempts| {
        let n = attempts.entry(id.clone()).or_default();
        *n += 1;
        *n
    });
    let index = id.strip_prefix("evt_demo_").and_then(|n| n.parse().ok());
    match index.map_or(Fault::None, |i| fault(i, attempt)) {
        Fault::ServerError => {
            state.injected_500.fetch_add(1, Ordering::SeqCst);
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Fault::TooManyRequests => {
            state.injected_429.fetch_add(1, Ordering::SeqCst);
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")]).into_response()
        }
        Fault::SlowAck => {
            state.injected_slow.fetch_add(1, Ordering::SeqCst);
            let response = next.run(request).await;
            tokio::time::sleep(slow_ack).await;
            response
        }
        Fault::None => {
            let response = next.run(request).await;
            if response
                .headers()
                .get(hookproof_testkit::REPLAYED_HEADER)
                .is_some()
            {
                state.replayed.fetch_add(1, Ordering::SeqCst);
            }
            response
        }
    }
}

impl fmt::Display for DemoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Option<Duration>| {
            d.map_or_else(|| "-".to_owned(), |d| format!("{} ms", d.as_millis()))
        };
        let (e500, e429, slow) = self.injected;
        writeln!(
            f,
            "hookproof gateway demo: {} events in {:.1} s",
            self.sent,
            self.elapsed.as_secs_f64()
        )?;
        writeln!(
            f,
            "  faults injected        {e500} x 500, {e429} x 429 + Retry-After, {slow} x slow answer"
        )?;
        writeln!(f, "  delivered              {}", self.delivered)?;
        writeln!(f, "  attempts               {}", self.attempts)?;
        writeln!(f, "  retried                {}", self.retried)?;
        writeln!(
            f,
            "  dead-lettered          {} (planned: {})",
            self.dead_lettered.len(),
            self.planned_dead
        )?;
        writeln!(f, "  duplicates suppressed  {}", self.duplicates_suppressed)?;
        writeln!(f, "  handled twice          {}", self.handled_twice)?;
        writeln!(
            f,
            "  latency p50 / p99      {} / {}",
            ms(self.latency_p50),
            ms(self.latency_p99)
        )?;
        writeln!(f, "  handler saw, per type:")?;
        for (event_type, count) in &self.handled_by_type {
            writeln!(f, "    {event_type:<28} {count:>4}")?;
        }
        let total: u64 = self.handled_by_type.values().sum();
        writeln!(f, "    {:<28} {total:>4}", "total")
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let report = run(DemoConfig::default()).await?;
    print!("{report}");
    Ok(())
}
