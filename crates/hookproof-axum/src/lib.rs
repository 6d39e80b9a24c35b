//! Receive webhooks in axum (or any tower stack) safely: one
//! [`WebhookLayer`] on the webhook route verifies the signature and freshness
//! over the exact raw bytes, deduplicates retries through an idempotency
//! store, and traces each delivery; the [`Webhook<E>`](Webhook) extractor
//! hands the handler a typed event. Every refusal is an RFC 9457
//! `application/problem+json` [`WebhookRejection`] with a stable `code`.
//!
//! # Example
//!
//! ```
//! use axum::{Router, body::Body, routing::post};
//! use hookproof_axum::{Webhook, WebhookLayer};
//! use hookproof_events::GatewayEvent;
//! use hookproof_idempotency::MemoryStore;
//! use hookproof_verify::{Scheme, Secret, Signer, Verifier};
//! use tower::ServiceExt;
//!
//! async fn on_event(Webhook { event, .. }: Webhook<GatewayEvent>) -> String {
//!     format!("handled {}", event.event_type())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! let verifier = Verifier::new(Scheme::StandardWebhooks, Secret::from_standard(secret).unwrap());
//! let app = Router::new()
//!     .route("/webhooks", post(on_event))
//!     .layer(WebhookLayer::new(verifier).store(MemoryStore::new()));
//!
//! // What the sender does: sign the exact bytes it posts.
//! let body = r#"{"type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","data":{}}"#;
//! let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
//! let signer = Signer::new(Scheme::StandardWebhooks, Secret::from_standard(secret).unwrap());
//! let mut request = http::Request::post("/webhooks").header("content-type", "application/json");
//! for (name, value) in signer.sign("msg_1", now, body.as_bytes()) {
//!     request = request.header(name, value);
//! }
//! let request = request.body(Body::from(body)).unwrap();
//! let response = app.clone().oneshot(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//!
//! // A tampered body is refused with problem+json.
//! let mut request = http::Request::post("/webhooks");
//! for (name, value) in signer.sign("msg_2", now, body.as_bytes()) {
//!     request = request.header(name, value);
//! }
//! let response = app.oneshot(request.body(Body::from("{}")).unwrap()).await.unwrap();
//! assert_eq!(response.status(), 401);
//! assert_eq!(response.headers()["content-type"], "application/problem+json");
//! # }
//! ```
//!
//! # What answers what
//!
//! | answer | when |
//! |---|---|
//! | the handler's | verified, new delivery (claim completed on 2xx, released otherwise) |
//! | stored status + body, `Idempotent-Replayed: true` | duplicate of a completed delivery; handler not run |
//! | 400 | missing/malformed signature headers, a blank delivery id, unreadable body, body not JSON |
//! | 401 | signature mismatch, timestamp too old or in the future |
//! | 408 | body not received within the read timeout (default 10 s); retryable |
//! | 409 + `Retry-After` | the same delivery id is in progress |
//! | 413 | body above the limit (default 1 MiB), refused without reading the rest |
//! | 415 / 422 | not JSON / not the expected event (`pointer` names the field) |
//! | 503 + `Retry-After` | the idempotency store is unreachable or full, or the [`BodyBudget`] is used up |
//!
//! See [`WebhookRejection`] for the codes.
//!
//! # Extractors
//!
//! - [`Webhook<E>`](Webhook): the typed event and [`Verified`](hookproof_verify::Verified)
//!   metadata; reads the body, so it goes **last**.
//! - [`VerifiedBody`]: the raw verified bytes and metadata; also last.
//! - [`VerifiedMeta`]: metadata only (`FromRequestParts`), any position.
//!
//! With the layer they work with any router state. Without it, use
//! `Webhook<E, FromState>` / `VerifiedBody<FromState>` and put the
//! [`Verifier`](hookproof_verify::Verifier) in the state (see [`VerifierSource`]).
//!
//! # Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | — | — | this crate has no optional features; pick the store backend in `hookproof-idempotency` (`redis`) and Ed25519 in `hookproof-verify` (`ed25519`) |
//!
//! # Security notes
//!
//! - The signature is checked over the raw bytes before anything parses
//!   them; handlers only ever see verified bodies.
//! - Everything that needs no body (headers, id, timestamp, signature
//!   syntax) is checked before the body is read. The body limit is enforced
//!   while reading (and up front from `Content-Length`), the read has a
//!   timeout, and all bodies being read at once share a [`BodyBudget`]
//!   (64 MiB by default), so strangers without the secret cannot make the
//!   receiver hold more than that, however many connections they open.
//! - [`serve`] runs a router with a header-read timeout, an idle timeout and
//!   a connection cap; `axum::serve` has none of them.
//! - Rejection details name the failing header or check, never the expected
//!   signature, the secret or the body. The tracing span records id, type,
//!   scheme, key index, outcome and duration — never secrets or bodies.
//! - Deliveries are claimed in the store before the handler runs; a failing
//!   store answers 503 rather than risk running the handler twice.
//! - Deduplication is only as strong as the id's signature: Standard
//!   Webhooks and the gateway sign theirs, Stripe and Slack carry it in the
//!   signed body, GitHub and Shopify send it unsigned (a captured delivery
//!   can be resent under a fresh id), plain hex HMAC has none; see
//!   [`WebhookLayer`].
#![forbid(unsafe_code)]

mod body;
mod budget;
mod claim;
mod extract;
mod layer;
mod rejection;
mod serve;

pub use body::{DEFAULT_BODY_LIMIT, DEFAULT_READ_TIMEOUT};
pub use budget::{BodyBudget, DEFAULT_BODY_BUDGET};
pub use extract::{FromState, LayerOnly, VerifiedBody, VerifiedMeta, VerifierSource, Webhook};
pub use layer::{
    DEFAULT_LEASE, DEFAULT_MAX_REPLAY_BODY, DEFAULT_RECORD_TTL, DEFAULT_UNAVAILABLE_RETRY_AFTER,
    ResponseFuture, WebhookLayer, WebhookService,
};
pub use rejection::{PROBLEM_JSON, PROBLEM_TYPE_BASE, WebhookRejection};
pub use serve::{
    ACCEPT_ERROR_BACKOFF, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, MAX_TIMEOUT, Serve, ServeConfig, ServeError, ServeFuture, serve,
};

/// Response header set on the answer to a duplicate of a completed delivery.
pub const IDEMPOTENT_REPLAYED: http::HeaderName =
    http::HeaderName::from_static("idempotent-replayed");
