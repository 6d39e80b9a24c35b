//! Re-signing: a stale or foreign-signed recorded delivery verifies again.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use hookproof_testkit::{Fixture, Recorder};
use hookproof_verify::{Scheme, Secret, Signer, Verifier};

const TEST_SECRET: &str = "test-secret-for-fixtures";
const PROD_SECRET: &str = "production-secret-we-do-not-have";

fn schemes() -> Vec<Scheme> {
    vec![
        Scheme::StandardWebhooks,
        Scheme::GitHub,
        Scheme::Stripe,
        Scheme::Slack,
        Scheme::Shopify,
        Scheme::gateway(),
        Scheme::hex_body("x-keywordsai-signature"),
    ]
}

fn signer(scheme: &Scheme, secret: &str) -> Signer {
    Signer::new(
        scheme.clone(),
        Secret::from_utf8(secret).expect("valid secret"),
    )
}

fn verifier(scheme: &Scheme, secret: &str) -> Verifier {
    Verifier::new(
        scheme.clone(),
        Secret::from_utf8(secret).expect("valid secret"),
    )
}

/// What a real sender posted an hour ago, signed with its own secret.
fn recorded_delivery(scheme: &Scheme, at: SystemTime) -> http::Request<Bytes> {
    let original = Fixture::json(
        "recorded",
        serde_json::json!({"id": "evt_rec_1", "type": "request.completed", "data": {"model": "m"}}),
    )
    .with_header(
        http::HeaderName::from_static("user-agent"),
        http::HeaderValue::from_static("gw/9"),
    );
    original.signed_request(&signer(scheme, PROD_SECRET), at)
}

#[test]
fn a_stale_recorded_delivery_verifies_after_re_signing_for_every_scheme() {
    let now = SystemTime::now();
    let an_hour_ago = now - Duration::from_secs(3600);
    for scheme in schemes() {
        let name = scheme.name().to_owned();
        let delivered = recorded_delivery(&scheme, an_hour_ago);
        let test_verifier = verifier(&scheme, TEST_SECRET);

        // As recorded, the delivery does not verify in a test.
        let err = test_verifier
            .verify_at(delivered.headers(), delivered.body(), now)
            .expect_err(&name);
        assert!(
            ["timestamp_too_old", "signature_mismatch"].contains(&err.code()),
            "{name}: {}",
            err.code()
        );

        // Record it, load it back, re-sign with the test secret.
        let dir = tempfile::tempdir().unwrap();
        let recorder = Recorder::new(dir.path());
        recorder
            .record(delivered.headers(), delivered.body())
            .unwrap();
        let fixtures = hookproof_testkit::load(dir.path()).unwrap();
        assert_eq!(fixtures.len(), 1, "{name}");
        let fixture = &fixtures[0];
        assert_eq!(fixture.headers["user-agent"], "gw/9", "{name}");

        let request = fixture.signed_request(&signer(&scheme, TEST_SECRET), now);
        let verified = test_verifier
            .verify_at(request.headers(), request.body(), now)
            .unwrap_or_else(|e| panic!("{name}: re-signed fixture does not verify: {}", e.code()));
        assert_eq!(verified.scheme, scheme.name());
        if let Some(id) = verified.id {
            assert_eq!(id, "evt_rec_1", "{name}");
        }
        if let Some(ts) = verified.timestamp {
            let now_secs = now
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64;
            assert_eq!(ts, now_secs, "{name}");
        }
        // The recorded signature headers were not carried over.
        for (header, _) in signer(&scheme, PROD_SECRET).sign("x", 0, b"") {
            if header.contains("signature") || header.contains("hmac") {
                assert!(
                    !fixture.headers.contains_key(header.as_str()),
                    "{name}: kept {header}"
                );
            }
        }
    }
}

#[test]
fn every_rotated_secret_signs_the_request() {
    let now = SystemTime::now();
    for scheme in schemes() {
        let name = scheme.name().to_owned();
        let secrets = vec![
            Secret::from_utf8("old-secret").unwrap(),
            Secret::from_utf8("new-secret").unwrap(),
        ];
        let Ok(signer) = Signer::with_secrets(scheme.clone(), secrets) else {
            continue; // a scheme that carries one signature only
        };
        let fixture = Fixture::json("rot", serde_json::json!({"id": "evt_rot"}));
        let request = fixture.signed_request(&signer, now);
        for secret in ["old-secret", "new-secret"] {
            verifier(&scheme, secret)
                .verify_at(request.headers(), request.body(), now)
                .unwrap_or_else(|e| panic!("{name}/{secret}: {}", e.code()));
        }
    }
}

#[test]
fn request_shape_headers_and_exact_raw_bytes() {
    let scheme = Scheme::StandardWebhooks;
    let now = SystemTime::now();
    let raw = Bytes::from_static(b"{ \"id\" : \"evt_raw\",\n  \"type\": \"x\" }\n");
    let fixture = Fixture::raw("raw", raw.clone())
        .with_header(
            http::HeaderName::from_static("x-tag"),
            http::HeaderValue::from_static("a"),
        )
        .with_header(
            http::HeaderName::from_static("x-tag"),
            http::HeaderValue::from_static("b"),
        )
        // a stale signature header in the fixture is replaced, not kept
        .with_header(
            http::HeaderName::from_static("webhook-signature"),
            http::HeaderValue::from_static("v1,AAAA"),
        );
    let request = fixture.signed_request(&signer(&scheme, TEST_SECRET), now);
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.uri(), hookproof_testkit::DEFAULT_PATH);
    assert_eq!(request.body(), &raw, "raw bodies are sent byte for byte");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.headers().get_all("x-tag").iter().count(), 2);
    assert_eq!(
        request
            .headers()
            .get_all("webhook-signature")
            .iter()
            .count(),
        1
    );
    assert!(request.headers()["webhook-signature"].is_sensitive());
    let verified = verifier(&scheme, TEST_SECRET)
        .verify_at(request.headers(), request.body(), now)
        .unwrap();
    assert_eq!(verified.id.as_deref(), Some("evt_raw"));

    let typed = Fixture::json("t", serde_json::json!({})).with_header(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/cloudevents+json"),
    );
    let request = typed.signed_request(&signer(&scheme, TEST_SECRET), now);
    assert_eq!(
        request.headers()["content-type"],
        "application/cloudevents+json"
    );
    assert_eq!(request.headers()["webhook-id"], "fx_t");
}
