//! Requests per second through `WebhookLayer` (gateway-scheme HMAC verify +
//! MemoryStore claim/complete, unique delivery ids) against the same handler
//! without the layer, both served over loopback in the same run.
//!
//! The load generator is a hyper HTTP/1.1 client with `CONNECTIONS`
//! keep-alive connections sending pre-signed 1 KiB deliveries; signing
//! happens before the clock starts, so only serving is measured. Both targets
//! get byte-identical requests (the bare one ignores the signature headers).
//!
//! ```text
//! cargo bench -p hookproof-axum --bench throughput                 # A/B table + criterion
//! cargo bench -p hookproof-axum --bench throughput -- nomatch      # A/B table only
//! HOOKPROOF_STORE_CAPACITY=2000000 cargo bench -p hookproof-axum --bench throughput
//! HOOKPROOF_PREFILL=100000 cargo bench -p hookproof-axum --bench throughput -- nomatch
//! ```
//! The store is `MemoryStore::new()` unless `HOOKPROOF_STORE_CAPACITY` is set
//! (see [`bench_store`]); `HOOKPROOF_PREFILL` fills it first (see [`prefill`]). Criterion reports throughput in elements
//! (requests) per second; the ratio layer/bare is what matters (target ≥ 0.85).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::post;
use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group};
use hookproof_axum::WebhookLayer;
use hookproof_idempotency::MemoryStore;
use hookproof_verify::{Scheme, Secret, Signer, Verifier};
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

const CONNECTIONS: usize = 16;
const BODY_LEN: usize = 1024;
const SECRET: &str = "whsec_bench-secret-for-throughput";

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    i64::try_from(secs).expect("fits")
}

/// A gateway delivery of exactly `BODY_LEN` bytes with a unique id, signed.
fn delivery(signer: &Signer) -> Request<Full<Bytes>> {
    let id = format!("evt_bench_{:012}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let head = format!(
        r#"{{"id":"{id}","type":"request.completed","timestamp":"2026-11-22T17:00:00Z","version":"2026-11-01","data":{{"pad":""#
    );
    let tail = r#""}}"#;
    let pad = "x".repeat(BODY_LEN - head.len() - tail.len());
    let body = format!("{head}{pad}{tail}");
    assert_eq!(body.len(), BODY_LEN);
    let mut request = Request::post("/webhooks").header("content-type", "application/json");
    for (name, value) in signer.sign(&id, now(), body.as_bytes()) {
        request = request.header(name, value);
    }
    request
        .body(Full::new(Bytes::from(body)))
        .expect("valid request")
}

async fn handler(body: Bytes) -> &'static str {
    std::hint::black_box(body.len());
    "ok"
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> Vec<Sender> {
    let mut senders = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("handshake");
        tokio::spawn(connection);
        senders.push(sender);
    }
    senders
}

/// Sends all `requests` over the connections concurrently; returns the wall
/// time and the connections for the next batch.
async fn load(
    senders: Vec<Sender>,
    requests: Vec<Request<Full<Bytes>>>,
) -> (Duration, Vec<Sender>) {
    let mut shares: Vec<Vec<_>> = (0..senders.len()).map(|_| Vec::new()).collect();
    for (i, request) in requests.into_iter().enumerate() {
        shares[i % senders.len()].push(request);
    }
    let started = Instant::now();
    let tasks: Vec<_> = senders
        .into_iter()
        .zip(shares)
        .map(|(mut sender, share)| {
            tokio::spawn(async move {
                for request in share {
                    sender.ready().await.expect("connection ready");
                    let response = sender.send_request(request).await.expect("response");
                    assert_eq!(response.status(), 200, "every delivery must be accepted");
                    response.into_body().collect().await.expect("body");
                }
                sender
            })
        })
        .collect();
    let mut senders = Vec::with_capacity(tasks.len());
    for task in tasks {
        senders.push(task.await.expect("load task"));
    }
    (started.elapsed(), senders)
}

/// The machine is shared and its load drifts within seconds, which skews two
/// criterion runs taken one after the other. This A/B loop alternates
/// short rounds of both targets (order swapped each round) and prints three
/// estimates of layer/bare: the ratio of the totals, the median per-round
/// ratio, and the ratio of each side's fastest round (the rounds least
/// disturbed by other processes; the most stable figure when the machine is
/// shared, since stolen CPU only ever makes a round slower).
fn interleaved_ratio(
    runtime: &tokio::runtime::Runtime,
    signer: &Signer,
    mut bare: Vec<Sender>,
    mut layered: Vec<Sender>,
) -> (Vec<Sender>, Vec<Sender>) {
    const ROUNDS: usize = 40;
    const PER_ROUND: usize = 2000;
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut bare_total, mut layer_total) = (Duration::ZERO, Duration::ZERO);
    let (mut bare_best, mut layer_best) = (Duration::MAX, Duration::MAX);
    for round in 0..ROUNDS {
        let run = |senders: Vec<Sender>| {
            let requests: Vec<_> = (0..PER_ROUND).map(|_| delivery(signer)).collect();
            runtime.block_on(load(senders, requests))
        };
        let (bare_time, layer_time);
        if round % 2 == 0 {
            (bare_time, bare) = run(bare);
            (layer_time, layered) = run(layered);
        } else {
            (layer_time, layered) = run(layered);
            (bare_time, bare) = run(bare);
        }
        bare_total += bare_time;
        layer_total += layer_time;
        bare_best = bare_best.min(bare_time);
        layer_best = layer_best.min(layer_time);
        ratios.push(bare_time.as_secs_f64() / layer_time.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let rate = |d: Duration| (ROUNDS * PER_ROUND) as f64 / d.as_secs_f64();
    println!(
        "interleaved A/B ({ROUNDS} rounds x {PER_ROUND} requests, {CONNECTIONS} connections): \
         bare {:.0} req/s, with layer {:.0} req/s, ratio of totals {:.3}; \
         per-round ratio layer/bare: median {:.3}, min {:.3}, max {:.3}; \
         best rounds: bare {:.0} req/s, with layer {:.0} req/s, ratio {:.3}",
        rate(bare_total),
        rate(layer_total),
        bare_total.as_secs_f64() / layer_total.as_secs_f64(),
        ratios[ROUNDS / 2],
        ratios[0],
        ratios[ROUNDS - 1],
        PER_ROUND as f64 / bare_best.as_secs_f64(),
        PER_ROUND as f64 / layer_best.as_secs_f64(),
        bare_best.as_secs_f64() / layer_best.as_secs_f64(),
    );
    (bare, layered)
}

fn throughput(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (signer, verifier) = keys();

    let (bare, layered) = runtime.block_on(async {
        let bare = serve(Router::new().route("/webhooks", post(handler))).await;
        let store = bench_store();
        prefill(&store).await;
        let layer = WebhookLayer::new(verifier).store(store);
        let layered = serve(Router::new().route("/webhooks", post(handler)).layer(layer)).await;
        (connect(bare).await, connect(layered).await)
    });

    let (bare, layered) = interleaved_ratio(&runtime, &signer, bare, layered);

    let mut group = c.benchmark_group("loopback_1KiB");
    group.throughput(Throughput::Elements(1));
    for (name, senders) in [("bare_handler", bare), ("with_layer", layered)] {
        let mut senders = Some(senders);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let requests: Vec<_> = (0..iters).map(|_| delivery(&signer)).collect();
                let (elapsed, back) =
                    runtime.block_on(load(senders.take().expect("connections"), requests));
                senders = Some(back);
                elapsed
            });
        });
    }
    group.finish();
}

/// The same comparison without sockets: `Router::oneshot` in a loop, which
/// isolates the CPU cost the layer adds per delivery.
fn in_process(c: &mut Criterion) {
    use tower::ServiceExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (signer, verifier) = keys();
    let bare = Router::new().route("/webhooks", post(handler));
    let store = runtime.block_on(async { bench_store() });
    let verify_only = Router::new()
        .route("/webhooks", post(handler))
        .layer(WebhookLayer::new(verifier.clone()));
    let layered = Router::new()
        .route("/webhooks", post(handler))
        .layer(WebhookLayer::new(verifier).store(store));

    let mut group = c.benchmark_group("in_process_1KiB");
    group.throughput(Throughput::Elements(1));
    let apps = [
        ("bare_handler", bare),
        ("layer_verify_only", verify_only),
        ("with_layer", layered),
    ];
    for (name, app) in apps {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let requests: Vec<_> = (0..iters).map(|_| delivery(&signer)).collect();
                runtime.block_on(async {
                    let started = Instant::now();
                    for request in requests {
                        let response = app.clone().oneshot(request).await.expect("infallible");
                        assert_eq!(response.status(), 200);
                        response.into_body().collect().await.expect("body");
                    }
                    started.elapsed()
                })
            });
        });
    }
    group.finish();
}

/// With `HOOKPROOF_LOOP=<target>:<requests>` (targets: `bare`,
/// `verify_only`, `with_layer`): sends that many pre-signed deliveries
/// through the target in process and exits, for `perf record` or
/// `valgrind --tool=callgrind`. The requests are built the same way for every
/// target, so the difference between two targets' totals divided by
/// `requests` is what the layer costs per delivery.
fn profile_loop(spec: &str) {
    use tower::ServiceExt;
    let usage = "HOOKPROOF_LOOP=<bare|verify_only|with_layer>:<requests>";
    let (target, count) = spec.split_once(':').expect(usage);
    let count: usize = count.parse().expect(usage);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (signer, verifier) = keys();
    let app = Router::new().route("/webhooks", post(handler));
    let app = match target {
        "bare" => app,
        "verify_only" => app.layer(WebhookLayer::new(verifier)),
        "with_layer" => {
            let store = runtime.block_on(async { bench_store() });
            app.layer(WebhookLayer::new(verifier).store(store))
        }
        _ => panic!("{usage}"),
    };
    let requests: Vec<_> = (0..count).map(|_| delivery(&signer)).collect();
    let started = Instant::now();
    runtime.block_on(async {
        for request in requests {
            let response = app.clone().oneshot(request).await.expect("infallible");
            assert_eq!(response.status(), 200);
            response.into_body().collect().await.expect("body");
        }
    });
    let per_request = started.elapsed() / u32::try_from(count.max(1)).expect("count fits u32");
    eprintln!("{target}: {count} deliveries, {per_request:?} each");
}

/// The store behind the layer: `MemoryStore::new()`, what a user gets (100,000
/// keys; when full it forgets its oldest records, so a long run reaches a
/// steady state), or one of `HOOKPROOF_STORE_CAPACITY` keys. Every delivery
/// id is unique, so a large capacity lets the map grow through the whole run
/// (to about a million keys under criterion), which costs more per delivery.
/// Call inside a runtime (the store's sweep task).
fn bench_store() -> MemoryStore {
    match std::env::var("HOOKPROOF_STORE_CAPACITY") {
        Ok(n) => {
            let capacity = n.parse().expect("HOOKPROOF_STORE_CAPACITY=<keys>");
            MemoryStore::builder().capacity(capacity).build()
        }
        Err(_) => MemoryStore::new(),
    }
}

/// With `HOOKPROOF_PREFILL=<n>`: stores `n` completed deliveries before the
/// run. `HOOKPROOF_PREFILL=100000` fills `MemoryStore::new()`, so the whole
/// run measures a full store that forgets a quarter of its records each time
/// it fills up again (the worst case; a store sized for its traffic never
/// does).
async fn prefill(store: &MemoryStore) {
    use hookproof_idempotency::{Begin, IdempotencyStore, Record};
    let Ok(n) = std::env::var("HOOKPROOF_PREFILL") else {
        return;
    };
    let n: usize = n.parse().expect("HOOKPROOF_PREFILL=<deliveries>");
    let lease = Duration::from_secs(60);
    let ttl = Duration::from_secs(7 * 24 * 3600);
    for i in 0..n {
        let key = format!("gateway:evt_prefill_{i:012}");
        let Ok(Begin::Acquired(claim)) = store.begin(&key, lease).await else {
            panic!("prefill keys are new");
        };
        let record = Record::new(200);
        store.complete(claim, record, ttl).await.expect("prefill");
    }
}

/// The signer and the verifier of the bench's gateway secret.
fn keys() -> (Signer, Verifier) {
    let scheme = Scheme::gateway();
    let secret = || Secret::for_scheme(&scheme, SECRET).expect("secret");
    (
        Signer::new(scheme.clone(), secret()),
        Verifier::new(scheme.clone(), secret()),
    )
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(8)).warm_up_time(Duration::from_secs(2));
    targets = throughput, in_process
}

fn main() {
    if let Ok(spec) = std::env::var("HOOKPROOF_LOOP") {
        return profile_loop(&spec);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
