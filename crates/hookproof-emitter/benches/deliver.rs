//! Deliveries per second to a fast loopback receiver: the emitter (queue,
//! dispatcher, signing, retry bookkeeping, metrics) against a plain reqwest
//! loop sending the same signed requests with the same concurrency to the
//! same receiver, in the same run.
//!
//! `cargo bench -p hookproof-emitter --bench deliver`

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::http::StatusCode;
use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hookproof_emitter::{AttemptReport, Emitter, EmitterConfig, NextStep, OutgoingEvent};
use hookproof_verify::{Scheme, Secret, Signer};
use tokio::runtime::Runtime;
use tokio::sync::Notify;

const BATCH: u64 = 500;
const CONCURRENCY: usize = 16;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn payload(i: u64) -> Bytes {
    Bytes::from(format!(
        r#"{{"id":"evt_{i}","type":"request.completed","timestamp":"2026-11-22T17:00:00Z","version":"2026-11-01","data":{{"request_id":"req_{i}","model":"gpt-4o","provider":"openai","usage":{{"prompt_tokens":1245,"completion_tokens":287,"total_tokens":1532}},"latency_ms":2143,"finish_reason":"stop"}}}}"#
    ))
}

async fn receiver() -> String {
    let app = Router::new().fallback(|| async { StatusCode::NO_CONTENT });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}/webhooks")
}

/// Counts delivered reports and wakes the bench when a batch is done.
#[derive(Default)]
struct Delivered {
    count: AtomicU64,
    notify: Notify,
}

fn bench(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let url = rt.block_on(receiver());
    let config = EmitterConfig::from_toml_str(&format!(
        "[[endpoints]]\nurl = \"{url}\"\nsecret = \"{SECRET}\"\nallow_loopback = true\n\
         [delivery]\nconcurrent_deliveries = {CONCURRENCY}\nqueue_size = 10000\ntimeout_ms = 5000"
    ))
    .expect("config");
    let delivered = Arc::new(Delivered::default());
    let sink = delivered.clone();
    let emitter = rt.block_on(async {
        Emitter::builder(config)
            .observer(move |r: &AttemptReport| {
                if r.next == NextStep::Delivered {
                    sink.count.fetch_add(1, Ordering::SeqCst);
                    sink.notify.notify_one();
                }
            })
            .start()
            .expect("start")
    });
    let signer = Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).expect("secret"),
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(CONCURRENCY)
        .tcp_nodelay(true)
        .build()
        .expect("client");

    let mut group = c.benchmark_group("deliver");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));

    let mut next_id = 0u64;
    group.bench_function("emitter", |b| {
        b.to_async(&rt).iter(|| {
            let start = next_id;
            next_id += BATCH;
            let emitter = &emitter;
            let delivered = delivered.clone();
            async move {
                let target = delivered.count.load(Ordering::SeqCst) + BATCH;
                for i in start..start + BATCH {
                    let event =
                        OutgoingEvent::new(format!("evt_{i}"), "request.completed", payload(i));
                    emitter.send(event).await.expect("send");
                }
                loop {
                    let notified = delivered.notify.notified();
                    if delivered.count.load(Ordering::SeqCst) >= target {
                        break;
                    }
                    notified.await;
                }
            }
        });
    });

    let plain_next = Arc::new(AtomicU64::new(0));
    group.bench_function("plain_reqwest_loop", |b| {
        b.to_async(&rt).iter(|| {
            let start = plain_next.fetch_add(BATCH, Ordering::SeqCst);
            let client = client.clone();
            let signer = signer.clone();
            let url = url.clone();
            async move {
                let mut workers = tokio::task::JoinSet::new();
                for w in 0..CONCURRENCY as u64 {
                    let (client, signer, url) = (client.clone(), signer.clone(), url.clone());
                    workers.spawn(async move {
                        let mut i = start + w;
                        while i < start + BATCH {
                            let body = payload(i);
                            let id = format!("evt_{i}");
                            let ts = SystemTime::now()
                                .duration_since(UNIX_EPOCH)
                                .map_or(0, |d| d.as_secs() as i64);
                            let mut req = client
                                .post(&url)
                                .header("content-type", "application/json")
                                .body(body.clone());
                            for (name, value) in signer.sign(&id, ts, &body) {
                                req = req.header(name, value);
                            }
                            let resp = req.send().await.expect("send");
                            assert!(resp.status().is_success());
                            black_box(resp.bytes().await.expect("body"));
                            i += CONCURRENCY as u64;
                        }
                    });
                }
                while let Some(done) = workers.join_next().await {
                    done.expect("worker");
                }
            }
        });
    });
    group.finish();
    let m = emitter.metrics();
    assert!(m.is_balanced() && m.dead_lettered == 0, "{m:?}");
}

criterion_group!(benches, bench);
criterion_main!(benches);
