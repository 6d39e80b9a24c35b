//! A handler slower than the lease: the layer renews the lease while it
//! runs, so a retry arriving meanwhile is answered 409 (not run a second
//! time), and the completion still holds, so later retries are replayed.
//! Run against the memory store and, with `HOOKPROOF_REDIS_URL`, Redis.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::post;
use hookproof_axum::{VerifiedMeta, WebhookLayer};
use hookproof_idempotency::{IdempotencyStore, MemoryStore, RedisStore};
use hookproof_verify::Scheme;
use tower::ServiceExt;

use crate::common::{Counter, gateway_body, now, signed, signer, verifier};

const LEASE: Duration = Duration::from_millis(400);

/// `/hook` whose handler takes three leases to finish.
fn slow_app(store: impl IdempotencyStore, runs: Counter) -> Router {
    let layer = WebhookLayer::new(verifier(Scheme::StandardWebhooks))
        .store(store)
        .lease(LEASE);
    Router::new()
        .route(
            "/hook",
            post(move |VerifiedMeta(_): VerifiedMeta| {
                let runs = runs.clone();
                async move {
                    runs.hit();
                    tokio::time::sleep(LEASE * 3).await;
                    "done"
                }
            }),
        )
        .layer(layer)
}

async fn slow_handler_runs_once(store: impl IdempotencyStore) {
    let runs = Counter::default();
    let app = slow_app(store, runs.clone());
    let signer = signer(Scheme::StandardWebhooks);
    let id = format!("msg_slow_{}", unique());
    let body = gateway_body(&id);
    let first = tokio::spawn(app.clone().oneshot(signed(&signer, &id, now(), &body)));

    // Retries while the handler is still working, well past the first lease.
    for wait in [LEASE / 2, LEASE, LEASE] {
        tokio::time::sleep(wait).await;
        let response = app
            .clone()
            .oneshot(signed(&signer, &id, now(), &body))
            .await
            .expect("infallible");
        assert_eq!(
            response.status(),
            409,
            "a retry during the handler is told to wait, not run again"
        );
    }

    let response = first.await.expect("task").expect("infallible");
    assert_eq!(response.status(), 200);
    assert_eq!(runs.get(), 1);

    // The completion held although the handler outlived its first lease.
    let response = app
        .oneshot(signed(&signer, &id, now(), &body))
        .await
        .expect("infallible");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    assert_eq!(runs.get(), 1, "the handler ran once per delivery");
}

fn unique() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}_{nanos}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

#[tokio::test]
async fn slow_handler_runs_once_with_the_memory_store() {
    slow_handler_runs_once(MemoryStore::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_handler_runs_once_with_redis() {
    let url = match std::env::var("HOOKPROOF_REDIS_URL") {
        Ok(url) if !url.is_empty() => url,
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but HOOKPROOF_REDIS_URL is not: the Redis lease test must run in CI")
        }
        _ => {
            eprintln!("skipping the Redis lease test: HOOKPROOF_REDIS_URL is not set");
            return;
        }
    };
    let store = RedisStore::builder(url.as_str())
        .prefix(format!("hookproof-axum-test:{}:", unique()))
        .connect()
        .await
        .expect("HOOKPROOF_REDIS_URL is set but Redis is not reachable");
    slow_handler_runs_once(store).await;
}
