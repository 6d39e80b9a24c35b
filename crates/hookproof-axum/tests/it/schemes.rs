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
