//! One span per delivery with id, type, scheme, key index, outcome, status
//! and duration — and neither the secret, the signature nor the body.
//!
//! A test binary of its own: `tracing` caches each callsite's interest for
//! the whole process, so a thread-local subscriber (`set_default`) in a
//! binary whose other tests run concurrently on other threads without one
//! can miss spans and events intermittently. Here the subscriber is the
//! process's global default and nothing else runs beside it.
#![allow(clippy::unwrap_used)]

#[allow(dead_code, unreachable_pub)]
#[path = "it/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use hookproof_axum::WebhookLayer;
use hookproof_idempotency::MemoryStore;
use hookproof_verify::Scheme;
use tower::ServiceExt;

use crate::common::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("not poisoned").clone()).expect("utf-8 logs")
    }
}

#[tokio::test(flavor = "current_thread")]
async fn each_delivery_logs_one_span_with_its_fields_and_no_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .expect("the only subscriber in this binary");

    let app = counting_app(
        WebhookLayer::new(verifier(Scheme::StandardWebhooks)).store(MemoryStore::new()),
        Counter::default(),
    );
    let body = gateway_body("evt_traced");
    let request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_traced",
        now(),
        &body,
    );
    let signature = request.headers()["webhook-signature"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.clone().oneshot(request).await.unwrap().status(), 200);
    let replay = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_traced",
        now(),
        &body,
    );
    assert_eq!(app.clone().oneshot(replay).await.unwrap().status(), 200);
    let forged = signed_with(
        &signer(Scheme::StandardWebhooks),
        "msg_forged",
        now(),
        b"{}",
        &body,
    );
    assert_eq!(app.oneshot(forged).await.unwrap().status(), 401);

    let logs = captured.text();
    let lines: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("webhook delivery"))
        .collect();
    assert_eq!(lines.len(), 3, "one event per delivery:\n{logs}");
    for field in [
        "id=\"msg_traced\"",
        "event_type=\"webhook.test\"",
        "scheme=\"standard\"",
        "key_index=0",
    ] {
        assert!(lines[0].contains(field), "missing {field}: {}", lines[0]);
    }
    assert!(lines[0].contains("outcome=\"accepted\""), "{}", lines[0]);
    assert!(lines[0].contains("duration_ms="), "{}", lines[0]);
    assert!(lines[1].contains("outcome=\"replayed\""), "{}", lines[1]);
    assert!(
        lines[2].contains("outcome=\"rejected\"") && lines[2].contains("signature_mismatch"),
        "{}",
        lines[2]
    );
    let secret_b64 = STANDARD_SECRET.trim_start_matches("whsec_");
    assert!(!logs.contains(secret_b64), "secret leaked:\n{logs}");
    assert!(!logs.contains(&signature), "signature leaked:\n{logs}");
    assert!(!logs.contains("hello"), "body leaked:\n{logs}");
}
