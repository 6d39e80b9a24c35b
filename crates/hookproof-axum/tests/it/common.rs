//! Shared helpers: signing requests the way each real sender does, building
//! routers, reading problem+json answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use axum::routing::post;
use hookproof_axum::{VerifiedMeta, WebhookLayer};
use hookproof_verify::{Scheme, Secret, Signer, Verifier};
use http::Request;
use http_body_util::BodyExt;

/// The Standard Webhooks documentation's example secret.
pub(crate) const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// A plain secret for the schemes that use the configured string as the key.
pub(crate) const PLAIN_SECRET: &str = "hookproof-test-secret";

pub(crate) fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    i64::try_from(secs).expect("fits")
}

/// The secret text a scheme is configured with in these tests.
pub(crate) fn secret_text(scheme: &Scheme) -> &'static str {
    match scheme.name() {
        "standard" => STANDARD_SECRET,
        _ => PLAIN_SECRET,
    }
}

pub(crate) fn secret(scheme: &Scheme) -> Secret {
    Secret::for_scheme(scheme, secret_text(scheme)).expect("valid test secret")
}

pub(crate) fn verifier(scheme: Scheme) -> Verifier {
    let secret = secret(&scheme);
    Verifier::new(scheme, secret)
}

pub(crate) fn signer(scheme: Scheme) -> Signer {
    let secret = secret(&scheme);
    Signer::new(scheme, secret)
}

/// A POST to `/hook` carrying `body`, signed by `signer` for `id` at `timestamp`.
pub(crate) fn signed(signer: &Signer, id: &str, timestamp: i64, body: &str) -> Request<Body> {
    signed_with(signer, id, timestamp, body.as_bytes(), body)
}

/// Like [`signed`], but the signature covers `signed_bytes` while `body` is sent.
pub(crate) fn signed_with(
    signer: &Signer,
    id: &str,
    timestamp: i64,
    signed_bytes: &[u8],
    body: &str,
) -> Request<Body> {
    let mut request = Request::post("/hook").header("content-type", "application/json");
    for (name, value) in signer.sign(id, timestamp, signed_bytes) {
        request = request.header(name, value);
    }
    request
        .body(Body::from(body.to_owned()))
        .expect("valid request")
}

/// A gateway-scheme JSON body for event `id`.
pub(crate) fn gateway_body(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"2026-11-01","data":{{"message":"hello"}}}}"#
    )
}

/// Counts handler runs.
#[derive(Clone, Default)]
pub(crate) struct Counter(Arc<AtomicUsize>);

impl Counter {
    pub(crate) fn hit(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }
    pub(crate) fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// `/hook` answering 200 "ok <scheme>" and counting runs, behind `layer`.
pub(crate) fn counting_app(layer: WebhookLayer, counter: Counter) -> Router {
    Router::new()
        .route(
            "/hook",
            post(move |VerifiedMeta(meta): VerifiedMeta| {
                let counter = counter.clone();
                async move {
                    counter.hit();
                    format!("ok {}", meta.scheme)
                }
            }),
        )
        .layer(layer)
}

pub(crate) async fn body_string(response: Response) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

/// Asserts `response` is problem+json with `status` and `code`; returns the document.
pub(crate) async fn problem(response: Response, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(response.status(), status, "status");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body = body_string(response).await;
    let doc: serde_json::Value = serde_json::from_str(&body).expect("problem is JSON");
    assert_eq!(doc["code"], code, "{doc}");
    assert_eq!(doc["status"], status);
    assert_eq!(
        doc["type"],
        format!("https://hookproof.dev/problems/{code}")
    );
    assert!(doc["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(doc["detail"].as_str().is_some_and(|t| !t.is_empty()));
    doc
}
