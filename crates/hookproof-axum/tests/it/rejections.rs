//! Every refusal of the layer and `Webhook<E>`, as problem+json.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::routing::post;
use bytes::Bytes;
use hookproof_axum::{Webhook, WebhookLayer};
use hookproof_verify::Scheme;
use serde::Deserialize;
use tower::ServiceExt;

use crate::common::*;

fn layer() -> WebhookLayer {
    WebhookLayer::new(verifier(Scheme::StandardWebhooks))
}

fn app() -> Router {
    counting_app(layer(), Counter::default())
}

#[tokio::test]
async fn valid_delivery_reaches_the_handler() {
    let counter = Counter::default();
    let app = counting_app(layer(), counter.clone());
    let body = gateway_body("evt_1");
    let response = app
        .oneshot(signed(
            &signer(Scheme::StandardWebhooks),
            "msg_1",
            now(),
            &body,
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(body_string(response).await, "ok standard");
    assert_eq!(counter.get(), 1);
}

#[tokio::test]
async fn tampered_body_is_401_signature_mismatch() {
    let counter = Counter::default();
    let app = counting_app(layer(), counter.clone());
    let body = gateway_body("evt_1");
    let tampered = body.replace("hello", "hellO");
    let request = signed_with(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now(),
        body.as_bytes(),
        &tampered,
    );
    let doc = problem(
        app.oneshot(request).await.unwrap(),
        401,
        "signature_mismatch",
    )
    .await;
    assert!(doc["hint"].as_str().is_some_and(|h| !h.is_empty()), "{doc}");
    assert_eq!(counter.get(), 0, "the handler must not run");
}

#[tokio::test]
async fn wrong_secret_is_401() {
    let other = hookproof_verify::Signer::new(
        Scheme::StandardWebhooks,
        hookproof_verify::Secret::from_standard("whsec_QWxsIHlvdXIgYmFzZSBhcmUgYmVsb25nIHRvIHVz")
            .unwrap(),
    );
    let request = signed(&other, "msg_1", now(), &gateway_body("evt_1"));
    problem(
        app().oneshot(request).await.unwrap(),
        401,
        "signature_mismatch",
    )
    .await;
}

#[tokio::test]
async fn stale_timestamp_is_401_timestamp_too_old() {
    let request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now() - 3600,
        &gateway_body("evt_1"),
    );
    problem(
        app().oneshot(request).await.unwrap(),
        401,
        "timestamp_too_old",
    )
    .await;
}

#[tokio::test]
async fn future_timestamp_is_401_timestamp_in_future() {
    let request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now() + 3600,
        &gateway_body("evt_1"),
    );
    problem(
        app().oneshot(request).await.unwrap(),
        401,
        "timestamp_in_future",
    )
    .await;
}

#[tokio::test]
async fn missing_signature_headers_are_400() {
    let request = http::Request::post("/hook")
        .header("content-type", "application/json")
        .body(Body::from(gateway_body("evt_1")))
        .unwrap();
    problem(app().oneshot(request).await.unwrap(), 400, "missing_header").await;
}

#[tokio::test]
async fn malformed_timestamp_header_is_400() {
    let mut request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now(),
        &gateway_body("evt_1"),
    );
    request.headers_mut().insert(
        "webhook-timestamp",
        http::HeaderValue::from_static("yesterday"),
    );
    problem(
        app().oneshot(request).await.unwrap(),
        400,
        "malformed_header",
    )
    .await;
}

#[tokio::test]
async fn blank_delivery_id_is_400_invalid_delivery_id() {
    // An empty `webhook-id` used to verify and be stored under an empty
    // key, so every later blank-id delivery was answered as a replay.
    for blank in ["", " ", "\t \t"] {
        let counter = Counter::default();
        let app = counting_app(layer(), counter.clone());
        let mut request = signed(
            &signer(Scheme::StandardWebhooks),
            "msg_1",
            now(),
            &gateway_body("evt_1"),
        );
        request
            .headers_mut()
            .insert("webhook-id", http::HeaderValue::from_str(blank).unwrap());
        let doc = problem(
            app.oneshot(request).await.unwrap(),
            400,
            "invalid_delivery_id",
        )
        .await;
        assert!(
            doc["detail"]
                .as_str()
                .is_some_and(|d| d.contains("webhook-id")),
            "{doc}"
        );
        assert!(doc["hint"].as_str().is_some_and(|h| !h.is_empty()), "{doc}");
        assert_eq!(counter.get(), 0, "the handler must not run");
    }
    // Signed with a blank id by a gateway-format sender: the same answer.
    let counter = Counter::default();
    let app = counting_app(
        WebhookLayer::new(verifier(Scheme::gateway())),
        counter.clone(),
    );
    let request = signed(
        &signer(Scheme::gateway()),
        "",
        now(),
        &gateway_body("evt_1"),
    );
    problem(
        app.oneshot(request).await.unwrap(),
        400,
        "invalid_delivery_id",
    )
    .await;
    assert_eq!(counter.get(), 0);
}

#[tokio::test]
async fn mismatch_detail_says_nothing_about_the_secrets() {
    let layer = WebhookLayer::new(
        hookproof_verify::Verifier::builder(Scheme::StandardWebhooks)
            .secrets([
                secret(&Scheme::StandardWebhooks),
                hookproof_verify::Secret::from_standard(
                    "whsec_QWxsIHlvdXIgYmFzZSBhcmUgYmVsb25nIHRvIHVz",
                )
                .unwrap(),
            ])
            .build()
            .unwrap(),
    );
    let app = counting_app(layer, Counter::default());
    let request = signed_with(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now(),
        b"{}",
        &gateway_body("evt_1"),
    );
    let doc = problem(
        app.oneshot(request).await.unwrap(),
        401,
        "signature_mismatch",
    )
    .await;
    let text = doc.to_string();
    assert!(
        !text.contains("secret(s)") && !text.contains(" 2 "),
        "{text}"
    );
}

#[tokio::test]
async fn declared_oversized_body_is_413_up_front() {
    let app = counting_app(layer().body_limit(1024), Counter::default());
    let big = format!(r#"{{"pad":"{}"}}"#, "x".repeat(2048));
    let mut request = signed(&signer(Scheme::StandardWebhooks), "msg_1", now(), &big);
    request
        .headers_mut()
        .insert("content-length", http::HeaderValue::from(big.len()));
    problem(app.oneshot(request).await.unwrap(), 413, "body_too_large").await;
}

#[tokio::test]
async fn streamed_oversized_body_is_413_without_reading_it_all() {
    let app = counting_app(layer().body_limit(4096), Counter::default());
    // An endless chunked body: only stopping at the limit can answer.
    let chunks = futures_util::stream::repeat_with(|| {
        Ok::<_, std::io::Error>(Bytes::from_static(&[b'a'; 1024]))
    });
    let mut request = signed(&signer(Scheme::StandardWebhooks), "msg_1", now(), "{}");
    *request.body_mut() = Body::from_stream(chunks);
    let response = tokio::time::timeout(Duration::from_secs(10), app.oneshot(request))
        .await
        .expect("no hang");
    problem(response.unwrap(), 413, "body_too_large").await;
}

#[tokio::test]
async fn slow_body_is_408() {
    let app = counting_app(
        layer().read_timeout(Duration::from_millis(100)),
        Counter::default(),
    );
    let mut request = signed(&signer(Scheme::StandardWebhooks), "msg_1", now(), "{}");
    *request.body_mut() =
        Body::from_stream(futures_util::stream::pending::<Result<Bytes, std::io::Error>>());
    let response = tokio::time::timeout(Duration::from_secs(10), app.oneshot(request))
        .await
        .expect("no hang");
    problem(response.unwrap(), 408, "body_read_timeout").await;
}

#[derive(Debug, Deserialize)]
struct Charge {
    data: ChargeData,
}

#[derive(Debug, Deserialize)]
struct ChargeData {
    amount: u64,
}

fn typed_app() -> Router {
    Router::new()
        .route("/hook", post(|Webhook { event, .. }: Webhook<Charge>| async move { event.data.amount.to_string() }))
        .layer(layer())
}

#[tokio::test]
async fn typed_event_is_decoded() {
    let request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now(),
        r#"{"data":{"amount":42}}"#,
    );
    let response = typed_app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(body_string(response).await, "42");
}

#[tokio::test]
async fn wrong_event_shape_is_422_with_pointer() {
    let request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now(),
        r#"{"data":{"amount":"many"}}"#,
    );
    let doc = problem(
        typed_app().oneshot(request).await.unwrap(),
        422,
        "invalid_event",
    )
    .await;
    assert_eq!(doc["pointer"], "/data/amount");
}

#[tokio::test]
async fn invalid_json_is_400() {
    let request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now(),
        r#"{"data":"#,
    );
    problem(
        typed_app().oneshot(request).await.unwrap(),
        400,
        "malformed_json",
    )
    .await;
    let request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_2",
        now(),
        r#"{"data":{"amount":1}} trailing"#,
    );
    problem(
        typed_app().oneshot(request).await.unwrap(),
        400,
        "malformed_json",
    )
    .await;
}

#[tokio::test]
async fn non_json_content_type_is_415() {
    let mut request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now(),
        r#"{"data":{"amount":42}}"#,
    );
    request
        .headers_mut()
        .insert("content-type", http::HeaderValue::from_static("text/plain"));
    problem(
        typed_app().oneshot(request).await.unwrap(),
        415,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn missing_content_type_is_accepted() {
    let mut request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_1",
        now(),
        r#"{"data":{"amount":7}}"#,
    );
    request.headers_mut().remove("content-type");
    let response = typed_app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
}
