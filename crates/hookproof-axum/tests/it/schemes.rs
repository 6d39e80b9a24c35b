//! Every signature scheme through the layer: accepted when signed by the
//! scheme's signer (what the real sender sends), refused when tampered.

use hookproof_axum::WebhookLayer;
use hookproof_idempotency::MemoryStore;
use hookproof_verify::Scheme;
use http::StatusCode;
use tower::ServiceExt;

use crate::common::*;

fn all_schemes() -> Vec<Scheme> {
    vec![
        Scheme::StandardWebhooks,
        Scheme::gateway(),
        Scheme::GitHub,
        Scheme::Stripe,
        Scheme::Slack,
        Scheme::Shopify,
        Scheme::hex_body("x-keywordsai-signature"),
    ]
}

#[tokio::test]
async fn every_scheme_accepts_its_senders_signature() {
    for scheme in all_schemes() {
        let name = scheme.name().to_owned();
        let counter = Counter::default();
        let layer = WebhookLayer::new(verifier(scheme.clone())).store(MemoryStore::new());
        let app = counting_app(layer, counter.clone());
        let body = gateway_body("evt_scheme");
        let response = app
            .oneshot(signed(&signer(scheme), "msg_scheme", now(), &body))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{name}");
        assert_eq!(body_string(response).await, format!("ok {name}"));
        assert_eq!(counter.get(), 1, "{name}");
    }
}

#[tokio::test]
async fn every_scheme_refuses_a_tampered_body() {
    for scheme in all_schemes() {
        let name = scheme.name().to_owned();
        let counter = Counter::default();
        let app = counting_app(WebhookLayer::new(verifier(scheme.clone())), counter.clone());
        let body = gateway_body("evt_scheme");
        let tampered = body.replace("evt_scheme", "evt_schemf");
        let request = signed_with(
            &signer(scheme),
            "msg_scheme",
            now(),
            body.as_bytes(),
            &tampered,
        );
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{name}");
        problem(response, 401, "signature_mismatch").await;
        assert_eq!(counter.get(), 0, "{name}");
    }
}

#[tokio::test]
async fn every_scheme_refuses_a_request_without_its_headers() {
    for scheme in all_schemes() {
        let name = scheme.name().to_owned();
        let app = counting_app(WebhookLayer::new(verifier(scheme)), Counter::default());
        let request = http::Request::post("/hook")
            .body(axum::body::Body::from(gateway_body("evt")))
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}");
        problem(response, 400, "missing_header").await;
    }
}

#[tokio::test]
async fn schemes_with_timestamps_refuse_stale_deliveries() {
    for scheme in [
        Scheme::StandardWebhooks,
        Scheme::gateway(),
        Scheme::Stripe,
        Scheme::Slack,
    ] {
        let name = scheme.name().to_owned();
        let app = counting_app(
            WebhookLayer::new(verifier(scheme.clone())),
            Counter::default(),
        );
        let request = signed(
            &signer(scheme),
            "msg_old",
            now() - 24 * 3600,
            &gateway_body("evt"),
        );
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{name}");
        problem(response, 401, "timestamp_too_old").await;
    }
}

#[tokio::test]
async fn rotated_secrets_report_the_key_index() {
    use hookproof_verify::{Secret, Signer, Verifier};
    let old = Secret::from_standard(STANDARD_SECRET).unwrap();
    let new = Secret::from_standard("whsec_QWxsIHlvdXIgYmFzZSBhcmUgYmVsb25nIHRvIHVz").unwrap();
    let verifier = Verifier::builder(Scheme::StandardWebhooks)
        .secrets([new, old])
        .build()
        .unwrap();
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(
                |hookproof_axum::VerifiedMeta(meta): hookproof_axum::VerifiedMeta| async move {
                    meta.key_index.to_string()
                },
            ),
        )
        .layer(WebhookLayer::new(verifier));
    let signer = Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(STANDARD_SECRET).unwrap(),
    );
    let response = app
        .oneshot(signed(&signer, "msg_rot", now(), "{}"))
        .await
        .unwrap();
    assert_eq!(body_string(response).await, "1");
}

/// Sends `body` twice through a layer with a store, each time freshly
/// signed (a sender's retry is signed again, with a new timestamp and, for
/// Standard Webhooks, the same id); returns the handler runs and whether
/// the second answer was a replay.
async fn retry(layer: WebhookLayer, scheme: Scheme, body: &str) -> (usize, bool) {
    let counter = Counter::default();
    let app = counting_app(layer.store(MemoryStore::new()), counter.clone());
    let signer = signer(scheme);
    let first = app
        .clone()
        .oneshot(signed(&signer, "msg_retry", now(), body))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let second = app
        .oneshot(signed(&signer, "msg_retry", now() - 1, body))
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::OK);
    let replayed = second.headers().get("idempotent-replayed").is_some();
    (counter.get(), replayed)
}

#[tokio::test]
async fn every_scheme_with_a_delivery_id_runs_a_retry_once() {
    let stripe_event = r#"{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}}"#;
    let slack_event = r#"{"token":"x","team_id":"T1","event":{"type":"app_mention"},"type":"event_callback","event_id":"Ev08MFMKH6","event_time":1700000000}"#;
    let gateway = gateway_body("evt_g");
    let cases = [
        // Id headers (the signer sends "msg_retry").
        (Scheme::StandardWebhooks, gateway.as_str()),
        (Scheme::gateway(), gateway.as_str()),
        (Scheme::GitHub, gateway.as_str()),
        (Scheme::Shopify, gateway.as_str()),
        // Ids in the signed body.
        (Scheme::Stripe, stripe_event),
        (Scheme::Slack, slack_event),
    ];
    for (scheme, body) in cases {
        let name = scheme.name().to_owned();
        let layer = WebhookLayer::new(verifier(scheme.clone()));
        assert_eq!(retry(layer, scheme, body).await, (1, true), "{name}");
    }
}

#[tokio::test]
async fn deliveries_without_an_id_run_every_time() {
    // A Stripe body without `id`, a Slack interaction (form-encoded, no
    // JSON), a hex scheme (no id anywhere), and Stripe with the body id
    // turned off.
    let cases = [
        (Scheme::Stripe, r#"{"object":"event"}"#, None),
        (
            Scheme::Slack,
            "payload=%7B%22type%22%3A%22block_actions%22%7D",
            None,
        ),
        (Scheme::hex_body("x-signature"), r#"{"id":"evt_1"}"#, None),
        (Scheme::Stripe, r#"{"id":"evt_1"}"#, Some(None)),
    ];
    for (scheme, body, field) in cases {
        let name = scheme.name().to_owned();
        let mut layer = WebhookLayer::new(verifier(scheme.clone()));
        if let Some(field) = field {
            layer = layer.body_id_field(field);
        }
        assert_eq!(
            retry(layer, scheme, body).await,
            (2, false),
            "{name} {body}"
        );
    }
}

#[tokio::test]
async fn a_configured_body_id_field_deduplicates_a_hex_scheme() {
    let scheme = Scheme::hex_body("x-signature");
    let layer = WebhookLayer::new(verifier(scheme.clone())).body_id_field(Some("uuid"));
    let body = r#"{"uuid":"0b6c8f9e","event":"run.completed"}"#;
    assert_eq!(retry(layer, scheme, body).await, (1, true));
}
