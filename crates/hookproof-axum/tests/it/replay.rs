//! Replaying one captured delivery, per scheme, as an attacker who read it
//! from a log would: resent as it is, and resent under fresh or future ids.
//! What each scheme lets through is what the README's deduplication
//! paragraph promises; a change here must change that paragraph too.

use axum::body::Body;
use hookproof_axum::WebhookLayer;
use hookproof_idempotency::MemoryStore;
use hookproof_verify::{Scheme, Signer};
use http::{HeaderName, HeaderValue, Request};
use tower::ServiceExt;

use crate::common::{Counter, counting_app, gateway_body, now, problem, signer, verifier};

/// One captured delivery: its headers and body, replayable with edits.
struct Capture {
    headers: Vec<(HeaderName, HeaderValue)>,
    body: String,
}

impl Capture {
    fn new(signer: &Signer, id: &str, body: &str) -> Self {
        let headers = signer
            .sign(id, now(), body.as_bytes())
            .into_iter()
            .map(|(name, value)| {
                (
                    HeaderName::try_from(name.as_str()).expect("header name"),
                    HeaderValue::try_from(value.as_str()).expect("header value"),
                )
            })
            .collect();
        Self {
            headers,
            body: body.to_owned(),
        }
    }

    /// The captured request, with header `id_header` (if any) set to `id`.
    fn replay(&self, id_header: Option<(&str, &str)>) -> Request<Body> {
        let mut request = Request::post("/hook").header("content-type", "application/json");
        for (name, value) in &self.headers {
            if id_header.is_some_and(|(header, _)| name.as_str().eq_ignore_ascii_case(header)) {
                continue;
            }
            request = request.header(name, value);
        }
        if let Some((header, id)) = id_header {
            request = request.header(header, id);
        }
        request
            .body(Body::from(self.body.clone()))
            .expect("valid request")
    }
}

/// A receiver for `scheme` with a memory store, its run counter, and one
/// captured delivery of `body` signed for `id`.
fn setup(scheme: &Scheme, id: &str, body: &str) -> (String, Counter, axum::Router, Capture) {
    let runs = Counter::default();
    let layer = WebhookLayer::new(verifier(scheme.clone())).store(MemoryStore::new());
    let app = counting_app(layer, runs.clone());
    let capture = Capture::new(&signer(scheme.clone()), id, body);
    (scheme.name().to_owned(), runs, app, capture)
}

async fn status(app: &axum::Router, request: Request<Body>) -> (u16, bool) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let replayed = response.headers().contains_key("idempotent-replayed");
    (response.status().as_u16(), replayed)
}

/// Sends `capture` twice as it is: the first runs, the second is replayed.
async fn first_then_replayed(app: &axum::Router, capture: &Capture, name: &str) {
    assert_eq!(
        status(app, capture.replay(None)).await,
        (200, false),
        "{name}"
    );
    assert_eq!(
        status(app, capture.replay(None)).await,
        (200, true),
        "{name}: replayed"
    );
}

/// Sends `request` and asserts it is refused with `status` and `code`.
async fn refused(app: &axum::Router, request: Request<Body>, status: u16, code: &str) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    problem(response, status, code).await;
}

/// Schemes whose id is covered by the signature: a fresh id is a forgery.
#[tokio::test]
async fn a_signed_id_cannot_be_changed() {
    for (scheme, id_header) in [
        (Scheme::StandardWebhooks, "webhook-id"),
        (Scheme::gateway(), "x-webhook-id"),
    ] {
        let (name, runs, app, capture) = setup(&scheme, "evt_1", &gateway_body("evt_1"));
        first_then_replayed(&app, &capture, &name).await;
        for forged in ["evt_2", "evt_999999", "evt_1x"] {
            let request = capture.replay(Some((id_header, forged)));
            refused(&app, request, 401, "signature_mismatch").await;
        }
        assert_eq!(runs.get(), 1, "{name}: the handler ran once");

        // A capture resent under a *future* id must not poison that id:
        // the sender's real delivery with it still runs.
        let future_id = "evt_future";
        let request = capture.replay(Some((id_header, future_id)));
        refused(&app, request, 401, "signature_mismatch").await;
        let real = Capture::new(&signer(scheme.clone()), future_id, &gateway_body(future_id));
        assert_eq!(
            status(&app, real.replay(None)).await,
            (200, false),
            "{name}"
        );
        assert_eq!(runs.get(), 2, "{name}");
    }
}

/// Stripe and Slack carry their id in the signed body: a replay is
/// recognised whatever the attacker adds to the headers.
#[tokio::test]
async fn a_signed_body_id_deduplicates_replays() {
    for (scheme, body) in [
        (
            Scheme::Stripe,
            r#"{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"invoice.paid"}"#,
        ),
        (
            Scheme::Slack,
            r#"{"type":"event_callback","event_id":"Ev08MFMKH6","team_id":"T123"}"#,
        ),
    ] {
        let (name, runs, app, capture) = setup(&scheme, "ignored", body);
        assert_eq!(
            status(&app, capture.replay(None)).await,
            (200, false),
            "{name}"
        );
        for _ in 0..3 {
            let resent = capture.replay(Some(("x-request-id", "fresh")));
            assert_eq!(status(&app, resent).await, (200, true), "{name}: replayed");
        }
        assert_eq!(runs.get(), 1, "{name}: the handler ran once");
    }
}

/// GitHub and Shopify send their delivery id in a header the signature does
/// not cover. A verbatim replay is deduplicated, but anyone holding one
/// captured delivery can resend it under a new id, and it runs again (GitHub
/// signs no timestamp either, so for as long as the secret is valid).
/// This test pins that documented limit: handlers for these senders must
/// make their side effects idempotent on a business id in the body.
#[tokio::test]
async fn an_unsigned_id_header_only_stops_verbatim_replays() {
    for (scheme, id_header) in [
        (Scheme::GitHub, "x-github-delivery"),
        (Scheme::Shopify, "x-shopify-webhook-id"),
    ] {
        let (name, runs, app, capture) = setup(&scheme, "d-1", &gateway_body("evt_1"));
        first_then_replayed(&app, &capture, &name).await;
        let renamed = capture.replay(Some((id_header, "d-2")));
        assert_eq!(
            status(&app, renamed).await,
            (200, false),
            "{name}: runs again"
        );
        assert_eq!(runs.get(), 2, "{name}");
    }
}

/// An empty or blank id is refused in every scheme that reads one, so it
/// can never become a store key that swallows later deliveries. (Where the
/// id is signed, the check on the id comes before the signature's.)
#[tokio::test]
async fn empty_ids_are_refused() {
    for (scheme, id_header) in [
        (Scheme::StandardWebhooks, "webhook-id"),
        (Scheme::gateway(), "x-webhook-id"),
        (Scheme::GitHub, "x-github-delivery"),
        (Scheme::Shopify, "x-shopify-webhook-id"),
    ] {
        let (name, runs, app, capture) = setup(&scheme, "d-1", &gateway_body("evt_1"));
        for id in ["", " ", "\t "] {
            let request = capture.replay(Some((id_header, id)));
            refused(&app, request, 400, "invalid_delivery_id").await;
        }
        assert_eq!(runs.get(), 0, "{name}");
    }
}
