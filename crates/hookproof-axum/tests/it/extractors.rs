//! The extractors with and without the layer, with and without state, and
//! the service outside axum.

use axum::Router;
use axum::extract::{FromRef, State};
use axum::routing::post;
use bytes::Bytes;
use hookproof_axum::{
    FromState, VerifiedBody, VerifiedMeta, Webhook, WebhookLayer, WebhookService,
};
use hookproof_events::GatewayEvent;
use hookproof_verify::{Scheme, Verifier};
use http::StatusCode;
use http_body_util::Full;
use tower::ServiceExt;

use crate::common::*;

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[tokio::test]
async fn layer_extractors_work_with_any_user_state() {
    async fn handler(
        State(state): State<AppState>,
        Webhook { event, meta, .. }: Webhook<serde_json::Value>,
    ) -> String {
        format!(
            "{} {} {}",
            state.greeting,
            event["id"].as_str().unwrap_or("?"),
            meta.id.unwrap_or_default()
        )
    }
    let app = Router::new()
        .route("/hook", post(handler))
        .layer(WebhookLayer::new(verifier(Scheme::StandardWebhooks)))
        .with_state(AppState { greeting: "hi" });
    let request = signed(
        &signer(Scheme::StandardWebhooks),
        "msg_state",
        now(),
        &gateway_body("evt_state"),
    );
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_string(response).await, "hi evt_state msg_state");
}

#[tokio::test]
async fn verified_body_is_the_exact_bytes_and_meta_works_beside_other_extractors() {
    async fn handler(VerifiedMeta(meta): VerifiedMeta, body: VerifiedBody) -> String {
        assert_eq!(meta, body.meta);
        format!("{}:{}", meta.scheme, body.bytes.len())
    }
    let app = Router::new()
        .route("/hook", post(handler))
        .layer(WebhookLayer::new(verifier(Scheme::GitHub)));
    let raw = " {\"spaced\" :  true}\n";
    let response = app
        .oneshot(signed(&signer(Scheme::GitHub), "d-1", now(), raw))
        .await
        .unwrap();
    assert_eq!(body_string(response).await, format!("github:{}", raw.len()));
}

#[tokio::test]
async fn plain_axum_extractors_still_see_the_body_behind_the_layer() {
    let app = Router::new()
        .route(
            "/hook",
            post(|body: Bytes| async move { body.len().to_string() }),
        )
        .layer(WebhookLayer::new(verifier(Scheme::StandardWebhooks)));
    let body = gateway_body("evt_plain");
    let response = app
        .oneshot(signed(&signer(Scheme::StandardWebhooks), "m", now(), &body))
        .await
        .unwrap();
    assert_eq!(body_string(response).await, body.len().to_string());
}

#[tokio::test]
async fn without_the_layer_from_state_verifies_with_the_state_verifier() {
    async fn handler(Webhook { event, meta, .. }: Webhook<serde_json::Value, FromState>) -> String {
        format!("{} {}", event["type"].as_str().unwrap_or("?"), meta.scheme)
    }
    let app = Router::new()
        .route("/hook", post(handler))
        .with_state(verifier(Scheme::StandardWebhooks));
    let body = gateway_body("evt_fs");
    let response = app
        .clone()
        .oneshot(signed(&signer(Scheme::StandardWebhooks), "m", now(), &body))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_string(response).await, "webhook.test standard");

    let request = signed_with(&signer(Scheme::StandardWebhooks), "m", now(), b"{}", &body);
    problem(
        app.oneshot(request).await.unwrap(),
        401,
        "signature_mismatch",
    )
    .await;
}

#[tokio::test]
async fn from_state_takes_the_verifier_out_of_a_larger_state() {
    #[derive(Clone)]
    struct Shared {
        verifier: Verifier,
    }
    impl FromRef<Shared> for Verifier {
        fn from_ref(state: &Shared) -> Verifier {
            state.verifier.clone()
        }
    }
    async fn handler(body: VerifiedBody<FromState>) -> String {
        body.bytes.len().to_string()
    }
    let app = Router::new()
        .route("/hook", post(handler))
        .with_state(Shared {
            verifier: verifier(Scheme::Slack),
        });
    let response = app
        .oneshot(signed(&signer(Scheme::Slack), "m", now(), "{\"a\":1}"))
        .await
        .unwrap();
    assert_eq!(body_string(response).await, "7");
}

#[tokio::test]
async fn layer_only_extractor_without_the_layer_is_a_500_problem() {
    let app = Router::new().route(
        "/hook",
        post(|_: Webhook<serde_json::Value>| async { "unreachable" }),
    );
    let request = signed(&signer(Scheme::StandardWebhooks), "m", now(), "{}");
    problem(
        app.oneshot(request).await.unwrap(),
        500,
        "missing_webhook_layer",
    )
    .await;
    let app = Router::new().route("/hook", post(|_: VerifiedMeta| async { "unreachable" }));
    let request = signed(&signer(Scheme::StandardWebhooks), "m", now(), "{}");
    problem(
        app.oneshot(request).await.unwrap(),
        500,
        "missing_webhook_layer",
    )
    .await;
}

#[tokio::test]
async fn gateway_events_decode_into_the_typed_enum() {
    async fn handler(Webhook { event, .. }: Webhook<GatewayEvent>) -> String {
        event.event_type().to_owned()
    }
    let app = Router::new()
        .route("/hook", post(handler))
        .layer(WebhookLayer::new(verifier(Scheme::gateway())));
    let response = app
        .oneshot(signed(
            &signer(Scheme::gateway()),
            "m",
            now(),
            &gateway_body("evt_g"),
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_string(response).await, "webhook.test");
}

#[tokio::test]
async fn the_service_works_outside_axum_with_any_body_type() {
    let inner = tower::service_fn(|request: http::Request<axum::body::Body>| async move {
        let len = http_body_util::BodyExt::collect(request.into_body())
            .await
            .unwrap()
            .to_bytes()
            .len();
        Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(Bytes::from(format!(
            "inner {len}"
        )))))
    });
    let service = WebhookService::new(inner, verifier(Scheme::StandardWebhooks));

    let body = gateway_body("evt_tower");
    let expected = format!("inner {}", body.len());
    let mut request = http::Request::post("/anything");
    for (name, value) in signer(Scheme::StandardWebhooks).sign("m", now(), body.as_bytes()) {
        request = request.header(name, value);
    }
    let request = request.body(Full::new(Bytes::from(body))).unwrap();
    let response = service.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_string(response).await, expected);

    let unsigned = http::Request::post("/anything")
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    problem(
        service.oneshot(unsigned).await.unwrap(),
        400,
        "missing_header",
    )
    .await;
}
