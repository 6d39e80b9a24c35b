//! The claim lifecycle: replays, concurrency, failures, cancellation, panics
//! and an unavailable store.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::post;
use hookproof_axum::WebhookLayer;
use hookproof_idempotency::{
    Begin, BoxFuture, Claim, IdempotencyStore, MemoryStore, Record, StoreError,
};
use hookproof_verify::Scheme;
use http::StatusCode;
use tokio::sync::Notify;
use tower::ServiceExt;

use crate::common::*;

fn layer(store: impl IdempotencyStore) -> WebhookLayer {
    WebhookLayer::new(verifier(Scheme::StandardWebhooks)).store(store)
}

fn delivery(id: &str) -> http::Request<axum::body::Body> {
    signed(
        &signer(Scheme::StandardWebhooks),
        id,
        now(),
        &gateway_body(id),
    )
}

/// Retries the delivery until it is no longer 409 (a release spawned on drop
/// runs on another task), with a deadline.
async fn send_until_not_in_progress(app: &Router, id: &str) -> axum::response::Response {
    for _ in 0..200 {
        let response = app.clone().oneshot(delivery(id)).await.unwrap();
        if response.status() != StatusCode::CONFLICT {
            return response;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the claim was never released");
}

#[tokio::test]
async fn duplicate_of_completed_delivery_is_replayed_without_running_the_handler() {
    let counter = Counter::default();
    let runs = counter.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move || {
                let n = runs.hit();
                async move {
                    (
                        StatusCode::CREATED,
                        axum::Json(serde_json::json!({ "run": n })),
                    )
                }
            }),
        )
        .layer(layer(MemoryStore::new()));

    let first = app.clone().oneshot(delivery("msg_dup")).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    assert_eq!(body_string(first).await, r#"{"run":1}"#);

    let second = app.clone().oneshot(delivery("msg_dup")).await.unwrap();
    assert_eq!(second.status(), StatusCode::CREATED);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(second.headers()["content-type"], "application/json");
    assert_eq!(body_string(second).await, r#"{"run":1}"#);
    assert_eq!(counter.get(), 1);

    // Another id is a new delivery.
    let other = app.oneshot(delivery("msg_other")).await.unwrap();
    assert_eq!(body_string(other).await, r#"{"run":2}"#);
}

#[tokio::test]
async fn concurrent_identical_deliveries_run_the_handler_once() {
    let counter = Counter::default();
    let entered = Arc::new(Notify::new());
    let proceed = Arc::new(Notify::new());
    let (runs, entered2, proceed2) = (counter.clone(), entered.clone(), proceed.clone());
    let app = Router::new()
        .route(
            "/hook",
            post(move || {
                let (runs, entered, proceed) = (runs.clone(), entered2.clone(), proceed2.clone());
                async move {
                    runs.hit();
                    entered.notify_one();
                    proceed.notified().await;
                    "done"
                }
            }),
        )
        .layer(layer(MemoryStore::new()).lease(Duration::from_secs(30)));

    let first = tokio::spawn(app.clone().oneshot(delivery("msg_race")));
    entered.notified().await;
    let second = app.clone().oneshot(delivery("msg_race")).await.unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let retry_after: u64 = second.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    problem(second, 409, "delivery_in_progress").await;

    proceed.notify_one();
    let first = first.await.unwrap().unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let third = app.oneshot(delivery("msg_race")).await.unwrap();
    assert_eq!(third.headers()["idempotent-replayed"], "true");
    assert_eq!(body_string(third).await, "done");
    assert_eq!(counter.get(), 1);
}

#[tokio::test]
async fn many_simultaneous_duplicates_run_the_handler_once() {
    let counter = Counter::default();
    let app = counting_app(layer(MemoryStore::new()), counter.clone());
    let tasks: Vec<_> = (0..16)
        .map(|_| tokio::spawn(app.clone().oneshot(delivery("msg_burst"))))
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().unwrap().status());
    }
    assert_eq!(counter.get(), 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT)
    );
}

/// `/hook` behind the layer with a memory store: the first run answers
/// `first()`, every later one 200 "fine"; runs are counted.
fn fails_once_then_fine(counter: Counter, first: fn() -> axum::response::Response) -> Router {
    Router::new()
        .route(
            "/hook",
            post(move || {
                let n = counter.hit();
                async move {
                    if n == 1 {
                        first()
                    } else {
                        (StatusCode::OK, "fine").into_response()
                    }
                }
            }),
        )
        .layer(layer(MemoryStore::new()))
}

#[tokio::test]
async fn handler_failure_releases_the_claim_so_the_retry_runs() {
    let counter = Counter::default();
    let app = fails_once_then_fine(counter.clone(), || {
        (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response()
    });

    let first = app.clone().oneshot(delivery("msg_retry")).await.unwrap();
    assert_eq!(first.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let retry = app.clone().oneshot(delivery("msg_retry")).await.unwrap();
    assert_eq!(retry.status(), StatusCode::OK);
    assert!(retry.headers().get("idempotent-replayed").is_none());
    assert_eq!(counter.get(), 2);
    let duplicate = app.oneshot(delivery("msg_retry")).await.unwrap();
    assert_eq!(duplicate.headers()["idempotent-replayed"], "true");
    assert_eq!(counter.get(), 2);
}

#[tokio::test]
async fn dropped_request_future_releases_the_claim() {
    let hang = Arc::new(AtomicBool::new(true));
    let entered = Arc::new(Notify::new());
    let (hang2, entered2) = (hang.clone(), entered.clone());
    let app = Router::new()
        .route(
            "/hook",
            post(move || {
                let (hang, entered) = (hang2.clone(), entered2.clone());
                async move {
                    if hang.swap(false, Ordering::SeqCst) {
                        entered.notify_one();
                        std::future::pending::<()>().await;
                    }
                    "second try"
                }
            }),
        )
        // A long lease: only an explicit release frees the key in time.
        .layer(layer(MemoryStore::new()).lease(Duration::from_secs(600)));

    let stuck = tokio::spawn(app.clone().oneshot(delivery("msg_drop")));
    entered.notified().await;
    let in_progress = app.clone().oneshot(delivery("msg_drop")).await.unwrap();
    assert_eq!(in_progress.status(), StatusCode::CONFLICT);
    stuck.abort();
    assert!(stuck.await.unwrap_err().is_cancelled());

    let response = send_until_not_in_progress(&app, "msg_drop").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_string(response).await, "second try");
}

#[tokio::test]
async fn panicking_handler_releases_the_claim() {
    let panic_first = Arc::new(AtomicBool::new(true));
    let flag = panic_first.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move || {
                let flag = flag.clone();
                async move {
                    assert!(
                        !flag.swap(false, Ordering::SeqCst),
                        "handler panics on the first delivery"
                    );
                    "recovered"
                }
            }),
        )
        .layer(layer(MemoryStore::new()).lease(Duration::from_secs(600)));

    let crashed = tokio::spawn(app.clone().oneshot(delivery("msg_panic"))).await;
    assert!(crashed.unwrap_err().is_panic());
    let response = send_until_not_in_progress(&app, "msg_panic").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_string(response).await, "recovered");
}

/// A store whose backend is down.
#[derive(Debug)]
struct DownStore;

impl IdempotencyStore for DownStore {
    fn begin<'a>(
        &'a self,
        _key: &'a str,
        _lease: Duration,
    ) -> BoxFuture<'a, Result<Begin, StoreError>> {
        Box::pin(async {
            Err(StoreError::Unavailable {
                message: "connection refused".to_owned(),
                source: None,
            })
        })
    }

    fn complete<'a>(
        &'a self,
        _claim: Claim,
        _record: Record,
        _ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async {
            Err(StoreError::Unavailable {
                message: "connection refused".to_owned(),
                source: None,
            })
        })
    }

    fn release<'a>(&'a self, _claim: Claim) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async {
            Err(StoreError::Unavailable {
                message: "connection refused".to_owned(),
                source: None,
            })
        })
    }

    fn renew<'a>(
        &'a self,
        _claim: &'a Claim,
        _lease: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async {
            Err(StoreError::Unavailable {
                message: "connection refused".to_owned(),
                source: None,
            })
        })
    }
}

#[tokio::test]
async fn unavailable_store_is_503_with_retry_after_and_the_handler_does_not_run() {
    let counter = Counter::default();
    let app = counting_app(
        layer(DownStore).unavailable_retry_after(Duration::from_secs(7)),
        counter.clone(),
    );
    let response = app.oneshot(delivery("msg_down")).await.unwrap();
    assert_eq!(response.headers()["retry-after"], "7");
    let doc = problem(response, 503, "store_unavailable").await;
    assert!(
        !doc["detail"]
            .as_str()
            .unwrap()
            .contains("connection refused"),
        "no backend details leak: {doc}"
    );
    assert_eq!(counter.get(), 0);
}

#[tokio::test]
async fn full_store_is_503_with_its_retry_after() {
    let store = MemoryStore::builder().capacity(1).build();
    let entered = Arc::new(Notify::new());
    let entered2 = entered.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move || {
                let entered = entered2.clone();
                async move {
                    entered.notify_one();
                    std::future::pending::<()>().await;
                }
            }),
        )
        .layer(layer(store));
    let _holding = tokio::spawn(app.clone().oneshot(delivery("msg_a")));
    entered.notified().await;
    let response = app.oneshot(delivery("msg_b")).await.unwrap();
    assert!(response.headers().contains_key("retry-after"));
    problem(response, 503, "store_unavailable").await;
}

#[tokio::test]
async fn schemes_without_a_delivery_id_skip_the_store() {
    let counter = Counter::default();
    let scheme = Scheme::hex_body("x-keywordsai-signature");
    let app = counting_app(
        WebhookLayer::new(verifier(scheme.clone())).store(DownStore),
        counter.clone(),
    );
    for _ in 0..2 {
        let request = signed(
            &signer(scheme.clone()),
            "ignored",
            now(),
            &gateway_body("evt_1"),
        );
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(
        counter.get(),
        2,
        "verified and run each time; the (down) store is not consulted"
    );
}

/// A small response body (exact size known, so the layer buffers it for
/// replays) that fails when read.
struct FailingBody;

impl http_body::Body for FailingBody {
    type Data = bytes::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::other(
            "connection to backend lost",
        ))))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(5)
    }
}

#[tokio::test]
async fn failing_response_body_is_500_and_releases_the_claim() {
    let counter = Counter::default();
    let app = fails_once_then_fine(counter.clone(), || {
        axum::response::Response::new(axum::body::Body::new(FailingBody))
    });

    let first = app.clone().oneshot(delivery("msg_body")).await.unwrap();
    problem(first, 500, "response_body_failed").await;
    // Released, not completed: the retry runs the handler and is recorded.
    let retry = app.clone().oneshot(delivery("msg_body")).await.unwrap();
    assert_eq!(retry.status(), StatusCode::OK);
    assert!(retry.headers().get("idempotent-replayed").is_none());
    let duplicate = app.oneshot(delivery("msg_body")).await.unwrap();
    assert_eq!(duplicate.headers()["idempotent-replayed"], "true");
    assert_eq!(body_string(duplicate).await, "fine");
    assert_eq!(counter.get(), 2);
}

#[tokio::test]
async fn response_above_max_replay_body_is_sent_but_replayed_as_status_only() {
    let counter = Counter::default();
    let runs = counter.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move || {
                runs.hit();
                async { (StatusCode::ACCEPTED, "0123456789") }
            }),
        )
        .layer(layer(MemoryStore::new()).max_replay_body(4));

    let first = app.clone().oneshot(delivery("msg_big")).await.unwrap();
    assert_eq!(first.status(), StatusCode::ACCEPTED);
    assert_eq!(body_string(first).await, "0123456789");
    let duplicate = app.oneshot(delivery("msg_big")).await.unwrap();
    assert_eq!(duplicate.status(), StatusCode::ACCEPTED);
    assert_eq!(duplicate.headers()["idempotent-replayed"], "true");
    assert_eq!(body_string(duplicate).await, "");
    assert_eq!(counter.get(), 1);
}
