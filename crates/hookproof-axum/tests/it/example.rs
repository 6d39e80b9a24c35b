//! `examples/axum_receiver.rs`: the whole fixture catalogue is accepted, and a
//! delivery signed by an independent HMAC implementation (not our `Signer`)
//! passes while tampered, stale, oversized and duplicate ones get their answers.

use std::path::Path;

use axum::body::Body;
use hmac::{KeyInit, Mac};
use hookproof_verify::{Scheme, Secret, Signer, Verifier};
use http::{Request, StatusCode};
use tower::ServiceExt;

use crate::common::*;

#[allow(dead_code, unreachable_pub)]
#[path = "../../../../examples/axum_receiver.rs"]
mod receiver;

const SECRET: &str = receiver::DEMO_SECRET;

fn app() -> axum::Router {
    let scheme = Scheme::gateway();
    receiver::app(Verifier::new(
        scheme.clone(),
        Secret::for_scheme(&scheme, SECRET).expect("demo secret"),
    ))
}

#[tokio::test]
async fn every_fixture_gets_its_expected_status() {
    let app = app();
    let signer = Signer::new(
        Scheme::gateway(),
        Secret::for_scheme(&Scheme::gateway(), SECRET).unwrap(),
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut seen = 0;
    for folder in std::fs::read_dir(&root).unwrap() {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&folder).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let fixture: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            let body = fixture["body"].to_string();
            let expected = fixture["expected_status"].as_u64().unwrap_or(200);
            let id = format!("fixture_{seen}");
            let mut request = Request::post(receiver::WEBHOOK_PATH);
            if let Some(headers) = fixture["headers"].as_object() {
                for (name, value) in headers {
                    request = request.header(name, value.as_str().unwrap());
                }
            }
            for (name, value) in signer.sign(&id, now(), body.as_bytes()) {
                request = request.header(name, value);
            }
            let response = app
                .clone()
                .oneshot(request.body(Body::from(body)).unwrap())
                .await
                .unwrap();
            let status = response.status().as_u16();
            let answer = body_string(response).await;
            assert_eq!(u64::from(status), expected, "{}: {answer}", file.display());
            seen += 1;
        }
    }
    assert!(
        seen >= 50,
        "only {seen} fixtures found under {}",
        root.display()
    );
}

/// Signs like a sender that never heard of hookproof: HMAC-SHA256 over
/// `"{t}.{id}.{body}"`, keyed with the secret's UTF-8 bytes, hex in `v1=`.
fn independently_signed(
    id: &str,
    timestamp: i64,
    signed_body: &str,
    sent_body: &str,
) -> Request<Body> {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{id}.{signed_body}").as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    Request::post(receiver::WEBHOOK_PATH)
        .header("content-type", "application/json")
        .header("x-webhook-id", id)
        .header(
            "x-webhook-signature",
            format!("t={timestamp},v1={signature}"),
        )
        .body(Body::from(sent_body.to_owned()))
        .expect("valid request")
}

#[tokio::test]
async fn independent_signature_is_accepted_and_bad_deliveries_get_their_answers() {
    let app = app();
    let body = gateway_body("evt_indep");

    let first = app
        .clone()
        .oneshot(independently_signed("msg_indep", now(), &body, &body))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert!(first.headers().get("idempotent-replayed").is_none());

    let duplicate = app
        .clone()
        .oneshot(independently_signed("msg_indep", now(), &body, &body))
        .await
        .unwrap();
    assert_eq!(duplicate.status(), StatusCode::OK);
    assert_eq!(duplicate.headers()["idempotent-replayed"], "true");

    // The captured delivery resent under a fresh id: the id is signed, so
    // it is refused instead of running the handler again.
    let mut replay = independently_signed("msg_indep", now(), &body, &body);
    replay
        .headers_mut()
        .insert("x-webhook-id", http::HeaderValue::from_static("msg_fresh"));
    let response = app.clone().oneshot(replay).await.unwrap();
    problem(response, 401, "signature_mismatch").await;

    let tampered = body.replace("hello", "HELLO");
    let response = app
        .clone()
        .oneshot(independently_signed("msg_t", now(), &body, &tampered))
        .await
        .unwrap();
    problem(response, 401, "signature_mismatch").await;

    let response = app
        .clone()
        .oneshot(independently_signed("msg_s", now() - 600, &body, &body))
        .await
        .unwrap();
    problem(response, 401, "timestamp_too_old").await;

    let big = format!(r#"{{"pad":"{}"}}"#, "x".repeat(300 * 1024));
    let response = app
        .clone()
        .oneshot(independently_signed("msg_b", now(), &big, &big))
        .await
        .unwrap();
    problem(response, 413, "body_too_large").await;

    let not_an_event = r#"{"hello":"world"}"#;
    let response = app
        .oneshot(independently_signed(
            "msg_n",
            now(),
            not_an_event,
            not_an_event,
        ))
        .await
        .unwrap();
    problem(response, 422, "invalid_event").await;
}
