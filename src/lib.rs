//! Receive webhooks from LLM and AI gateways safely and boringly.
//!
//! A production AI system pushes events to your endpoint: a request completed,
//! a guardrail blocked a prompt, a model fallback fired, a budget threshold
//! was crossed. hookproof makes the receiving side correct:
//!
//! 1. **Verify** each delivery came from the sender and is fresh, in constant
//!    time, for every scheme real senders use ([`verify`]: Standard Webhooks /
//!    OpenAI / Svix, GitHub, Stripe, Slack, Shopify, custom gateway formats).
//! 2. **Decode** it into a typed event ([`events`]: gateway events, OpenAI,
//!    LiteLLM and legacy shapes; unknown types pass through).
//! 3. **Process it once** although the sender retries ([`idempotency`]: an
//!    in-memory store, or Redis for several replicas).
//! 4. **Mount it in axum** with one layer and a typed extractor ([`axum`]),
//!    rejections rendered as RFC 9457 problem+json.
//!
//! The reference sender ([`emitter`], feature `emitter`) and the fixture /
//! replay kit ([`testkit`], feature `testkit`) complete the picture.
//!
//! This crate is a facade: it re-exports the `hookproof-*` crates behind
//! feature flags, and the most used types at its root.
//!
//! # Example
//!
//! ```
//! use axum::{Router, body::Body, routing::post};
//! use hookproof::{GatewayEvent, MemoryStore, Scheme, Secret, Signer, Verifier, Webhook, WebhookLayer};
//! use tower::ServiceExt;
//!
//! async fn on_event(Webhook { event, meta, .. }: Webhook<GatewayEvent>) -> String {
//!     match event {
//!         GatewayEvent::GuardrailBlocked(blocked) => format!("blocked by {}", blocked.guardrail),
//!         other => format!("{} {}", other.event_type(), meta.id.unwrap_or_default()),
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! let verifier = Verifier::new(Scheme::StandardWebhooks, Secret::from_standard(secret)?);
//! let app = Router::new()
//!     .route("/webhooks", post(on_event))
//!     .layer(WebhookLayer::new(verifier).store(MemoryStore::new()));
//!
//! // The sender signs the exact bytes it posts.
//! let body = r#"{"id":"evt_1","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"2026-11-01","data":{}}"#;
//! let signer = Signer::new(Scheme::StandardWebhooks, Secret::from_standard(secret)?);
//! let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
//! let deliver = |sent: &'static str| {
//!     let mut request = http::Request::post("/webhooks").header("content-type", "application/json");
//!     for (name, value) in signer.sign("evt_1", now, body.as_bytes()) {
//!         request = request.header(name, value);
//!     }
//!     request.body(Body::from(sent)).unwrap()
//! };
//!
//! let first = app.clone().oneshot(deliver(body)).await?;
//! assert_eq!(first.status(), 200);
//! // The sender retries: answered from the store, the handler does not run again.
//! let retry = app.clone().oneshot(deliver(body)).await?;
//! assert_eq!(retry.headers()["idempotent-replayed"], "true");
//! // A body changed in transit (or re-serialized by a framework) is refused.
//! let tampered = app.oneshot(deliver(r#"{"type":"webhook.test"}"#)).await?;
//! assert_eq!(tampered.status(), 401);
//! assert_eq!(tampered.headers()["content-type"], "application/problem+json");
//! # Ok(())
//! # }
//! ```
//!
//! # Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `axum` | yes | [`axum`] layer + extractors and the [`idempotency`] store they use |
//! | `redis` | no | `RedisStore` for several replicas behind a load balancer |
//! | `ed25519` | no | Standard Webhooks v1a (Ed25519) signatures |
//! | `schema` | no | JSON Schema export of the events |
//! | `emitter` | no | the reference gateway [`emitter`] |
//! | `testkit` | no | fixtures, re-signing and replay helpers for tests ([`testkit`]) |
//!
//! # Security notes
//!
//! - Signatures are checked over the exact raw bytes of the body, before
//!   anything parses it; tags are compared in constant time on decoded bytes.
//! - Timestamps are checked in both directions (default tolerance 5 minutes).
//! - Secrets are zeroized on drop and never printed (`Debug` redacts).
//! - A delivery is processed, rejected with a reason, or left for the
//!   sender's retry (409 / 503 with `Retry-After`) — never silently dropped.
#![forbid(unsafe_code)]

pub use hookproof_events as events;
pub use hookproof_verify as verify;

pub use hookproof_events::{AnyEvent, Envelope, GatewayEvent};
pub use hookproof_verify::{Scheme, Secret, Signer, Verified, Verifier, VerifyError};

#[cfg(feature = "axum")]
pub use hookproof_axum as axum;
#[cfg(feature = "axum")]
pub use hookproof_axum::{VerifiedBody, Webhook, WebhookLayer, WebhookRejection, serve};
#[cfg(feature = "axum")]
pub use hookproof_idempotency as idempotency;
#[cfg(feature = "axum")]
pub use hookproof_idempotency::{IdempotencyStore, MemoryStore};

#[cfg(feature = "emitter")]
pub use hookproof_emitter as emitter;

#[cfg(feature = "testkit")]
pub use hookproof_testkit as testkit;

/// The README's Rust examples, compiled as doc tests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
