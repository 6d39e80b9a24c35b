//! One delivery over a real TCP socket with a real HTTP client.

use hookproof_axum::WebhookLayer;
use hookproof_idempotency::MemoryStore;
use hookproof_verify::Scheme;

use crate::common::*;

#[tokio::test]
async fn delivery_over_loopback_with_reqwest() {
    let counter = Counter::default();
    let layer = WebhookLayer::new(verifier(Scheme::gateway())).store(MemoryStore::new());
    let app = counting_app(layer, counter.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let client = reqwest::Client::new();
    let body = gateway_body("evt_tcp");
    let send = || {
        let mut request = client
            .post(format!("http://{addr}/hook"))
            .header("content-type", "application/json");
        for (name, value) in signer(Scheme::gateway()).sign("msg_tcp", now(), body.as_bytes()) {
            request = request.header(name, value);
        }
        request.body(body.clone()).send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.text().await.unwrap(), "ok gateway");
    let second = send().await.unwrap();
    assert_eq!(second.status(), 200);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(counter.get(), 1);

    let tampered = client
        .post(format!("http://{addr}/hook"))
        .header("content-type", "application/json")
        .header("x-webhook-id", "msg_forged")
        .header(
            "x-webhook-signature",
            format!("t={},v1={}", now(), "00".repeat(32)),
        )
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(tampered.status(), 401);
    assert_eq!(
        tampered.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = tampered.json().await.unwrap();
    assert_eq!(problem["code"], "signature_mismatch");

    let oversized = client
        .post(format!("http://{addr}/hook"))
        .header("content-type", "application/json")
        .body(vec![b'x'; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 413);
    server.abort();
}
