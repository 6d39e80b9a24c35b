//! Hostile clients against the layer: bodies that stall, many at once, and
//! long or odd delivery ids. Asserted on the layer's own byte accounting
//! ([`BodyBudget`]) and on its answers, never on process memory.

use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use hookproof_axum::{BodyBudget, WebhookLayer};
use hookproof_idempotency::MemoryStore;
use hookproof_verify::{Scheme, Signer};
use http::Request;
use http_body_util::StreamBody;
use tokio::sync::mpsc;
use tower::ServiceExt;

use crate::common::{Counter, counting_app, now, problem, signer, verifier};

const KIB: usize = 1024;

/// A POST whose body arrives chunk by chunk through the returned sender,
/// signed over `full` (the whole body the sender means to send).
fn streamed(signer: &Signer, id: &str, full: &[u8]) -> (Request<Body>, mpsc::Sender<Bytes>) {
    let (tx, rx) = mpsc::channel::<Bytes>(8);
    let frames = futures_util::stream::unfold(rx, |mut rx| async move {
        let chunk = rx.recv().await?;
        Some((
            Ok::<_, std::convert::Infallible>(http_body::Frame::data(chunk)),
            rx,
        ))
    });
    let mut request = Request::post("/hook").header("content-type", "application/json");
    for (name, value) in signer.sign(id, now(), full) {
        request = request.header(name, value);
    }
    let request = request
        .body(Body::new(StreamBody::new(frames)))
        .expect("valid request");
    (request, tx)
}

/// A JSON body of exactly `len` bytes.
fn json_of_len(len: usize) -> Vec<u8> {
    let mut body = br#"{"pad":""#.to_vec();
    body.resize(len - 2, b'x');
    body.extend_from_slice(br#""}"#);
    body
}

/// Waits (bounded) until the budget shows `bytes` in use.
async fn wait_in_use(budget: &BodyBudget, bytes: usize) {
    for _ in 0..200 {
        if budget.in_use() == bytes {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("budget in use stayed {} (wanted {bytes})", budget.in_use());
}

#[tokio::test]
async fn stalled_bodies_are_bounded_by_the_budget_and_the_rest_get_503() {
    let budget = BodyBudget::new(100 * KIB);
    let counter = Counter::default();
    let layer = WebhookLayer::new(verifier(Scheme::StandardWebhooks))
        .store(MemoryStore::new())
        .body_limit(64 * KIB)
        .body_budget(budget.clone())
        .unavailable_retry_after(Duration::from_secs(3));
    let app = counting_app(layer, counter.clone());
    let signer = signer(Scheme::StandardWebhooks);

    // A: one byte short of its whole body, then it stalls.
    let body_a = json_of_len(60 * KIB);
    let (request, tx_a) = streamed(&signer, "msg_a", &body_a);
    let answer_a = tokio::spawn(app.clone().oneshot(request));
    tx_a.send(Bytes::copy_from_slice(&body_a[..body_a.len() - 1]))
        .await
        .expect("A reading");
    wait_in_use(&budget, body_a.len() - 1).await;

    // B: its body does not fit beside A's: 503 + Retry-After, at once, and
    // it holds nothing afterwards.
    let body_b = json_of_len(50 * KIB);
    let (request, tx_b) = streamed(&signer, "msg_b", &body_b);
    let answer_b = tokio::spawn(app.clone().oneshot(request));
    tx_b.send(Bytes::copy_from_slice(&body_b))
        .await
        .expect("B reading");
    let response = tokio::time::timeout(Duration::from_secs(5), answer_b)
        .await
        .expect("B answered without waiting for A")
        .expect("task")
        .expect("infallible");
    assert_eq!(response.headers()["retry-after"], "3");
    problem(response, 503, "body_budget_exhausted").await;
    assert_eq!(budget.in_use(), body_a.len() - 1, "B gave its bytes back");

    // A's last byte arrives: it is verified, handled and its bytes freed.
    tx_a.send(Bytes::copy_from_slice(&body_a[body_a.len() - 1..]))
        .await
        .expect("A last byte");
    drop(tx_a);
    let response = tokio::time::timeout(Duration::from_secs(5), answer_a)
        .await
        .expect("A answered")
        .expect("task")
        .expect("infallible");
    assert_eq!(response.status(), 200);
    assert_eq!(budget.in_use(), 0);
    assert_eq!(counter.get(), 1);

    // B's retry now fits and runs.
    let (request, tx_b) = streamed(&signer, "msg_b", &body_b);
    let retry = tokio::spawn(app.oneshot(request));
    tx_b.send(Bytes::copy_from_slice(&body_b))
        .await
        .expect("B again");
    drop(tx_b);
    let response = retry.await.expect("task").expect("infallible");
    assert_eq!(response.status(), 200);
    assert_eq!((counter.get(), budget.in_use()), (2, 0));
}

#[tokio::test]
async fn a_stalled_body_that_times_out_gives_its_bytes_back() {
    let budget = BodyBudget::new(100 * KIB);
    let layer = WebhookLayer::new(verifier(Scheme::StandardWebhooks))
        .body_budget(budget.clone())
        .read_timeout(Duration::from_millis(300));
    let app = counting_app(layer, Counter::default());
    let body = json_of_len(40 * KIB);
    let (request, tx) = streamed(&signer(Scheme::StandardWebhooks), "msg_slow", &body);
    let answer = tokio::spawn(app.oneshot(request));
    tx.send(Bytes::copy_from_slice(&body[..1000]))
        .await
        .expect("reading");
    wait_in_use(&budget, 1000).await;
    let response = answer.await.expect("task").expect("infallible");
    problem(response, 408, "body_read_timeout").await;
    assert_eq!(budget.in_use(), 0);
    drop(tx);
}

#[tokio::test]
async fn layers_sharing_a_budget_bound_each_other() {
    let budget = BodyBudget::new(10 * KIB);
    let first = WebhookLayer::new(verifier(Scheme::StandardWebhooks)).body_budget(budget.clone());
    let second = WebhookLayer::new(verifier(Scheme::StandardWebhooks)).body_budget(budget.clone());
    let signer = signer(Scheme::StandardWebhooks);

    let body = json_of_len(8 * KIB);
    let (request, tx_first) = streamed(&signer, "msg_1", &body);
    let pending = tokio::spawn(counting_app(first, Counter::default()).oneshot(request));
    tx_first
        .send(Bytes::copy_from_slice(&body[..8 * KIB - 1]))
        .await
        .expect("reading");
    wait_in_use(&budget, 8 * KIB - 1).await;

    let (request, tx_second) = streamed(&signer, "msg_2", &body);
    let answer = tokio::spawn(counting_app(second, Counter::default()).oneshot(request));
    tx_second
        .send(Bytes::copy_from_slice(&body))
        .await
        .expect("reading");
    let response = answer.await.expect("task").expect("infallible");
    problem(response, 503, "body_budget_exhausted").await;
    drop(tx_first);
    let _ = pending.await;
}

#[tokio::test]
async fn ids_up_to_the_header_limit_are_deduplicated_not_refused() {
    let counter = Counter::default();
    let layer = WebhookLayer::new(verifier(Scheme::StandardWebhooks)).store(MemoryStore::new());
    let app = counting_app(layer, counter.clone());
    let signer = signer(Scheme::StandardWebhooks);
    let body = r#"{"type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","data":{}}"#;
    for len in [503, 504, 1000, 4000] {
        let id = format!("msg_{}", "x".repeat(len - 4));
        for attempt in 0..2 {
            let request = crate::common::signed(&signer, &id, now(), body);
            let response = app.clone().oneshot(request).await.expect("infallible");
            assert_eq!(
                response.status(),
                200,
                "id of {len} bytes, attempt {attempt}"
            );
            let replayed = response.headers().get("idempotent-replayed").is_some();
            assert_eq!(
                replayed,
                attempt == 1,
                "id of {len} bytes, attempt {attempt}"
            );
        }
    }
    assert_eq!(counter.get(), 4, "each id ran once");
}

/// A body that records whether anyone polled it, and never ends.
fn watched_endless_body(polled: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Body {
    let frames = futures_util::stream::poll_fn(move |_cx| {
        polled.store(true, std::sync::atomic::Ordering::SeqCst);
        std::task::Poll::Ready(Some(Ok::<_, std::convert::Infallible>(
            http_body::Frame::data(Bytes::from_static(&[b'x'; 1024])),
        )))
    });
    Body::new(StreamBody::new(frames))
}

/// Headers to send, and the status and code they must get.
type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);

#[tokio::test]
async fn requests_that_cannot_verify_are_refused_before_their_body_is_read() {
    let budget = BodyBudget::new(100 * KIB);
    let layer = WebhookLayer::new(verifier(Scheme::StandardWebhooks))
        .store(MemoryStore::new())
        .body_budget(budget.clone());
    let app = counting_app(layer, Counter::default());
    let stale = (now() - 3600).to_string();
    let fresh = now().to_string();
    let good_sig = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=";
    let cases: [Case<'_>; 5] = [
        (&[], 400, "missing_header"),
        (
            &[
                ("webhook-id", "msg_1"),
                ("webhook-timestamp", &stale),
                ("webhook-signature", good_sig),
            ],
            401,
            "timestamp_too_old",
        ),
        (
            &[
                ("webhook-id", " "),
                ("webhook-timestamp", &fresh),
                ("webhook-signature", good_sig),
            ],
            400,
            "invalid_delivery_id",
        ),
        (
            &[
                ("webhook-id", "msg_1"),
                ("webhook-timestamp", "soon"),
                ("webhook-signature", good_sig),
            ],
            400,
            "malformed_header",
        ),
        (
            &[
                ("webhook-id", "msg_1"),
                ("webhook-timestamp", &fresh),
                ("webhook-signature", "v1,not-base64!"),
            ],
            401,
            "signature_mismatch",
        ),
    ];
    for (headers, status, code) in cases {
        let polled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut request = Request::post("/hook").header("content-type", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(watched_endless_body(polled.clone()))
            .expect("valid request");
        let response = tokio::time::timeout(Duration::from_secs(5), app.clone().oneshot(request))
            .await
            .expect("answered without reading the endless body")
            .expect("infallible");
        problem(response, status, code).await;
        assert!(
            !polled.load(std::sync::atomic::Ordering::SeqCst),
            "{code}: body was polled"
        );
        assert_eq!(budget.in_use(), 0);
    }
}
