//! Typed webhook events from LLM / AI gateways, decoded fast and forward
//! compatibly.
//!
//! After a delivery is verified (see `hookproof-verify`), a handler wants
//! `match event { GatewayEvent::GuardrailBlocked(e) => ... }`, not
//! `serde_json::Value` digging. This crate decodes:
//!
//! - our gateway envelope ([`Envelope`], [`GatewayEvent`]), in the Standard
//!   Webhooks payload shape `{"id", "type", "timestamp", "version", "data"}`,
//!   one data struct per type in [`gateway`], each with optional
//!   [`TraceContext`](gateway::TraceContext) (W3C ids and OpenTelemetry GenAI
//!   attributes);
//! - the flat [`legacy`] shape (`{"event": "completion", ...}`) into the same
//!   [`GatewayEvent`] variants;
//! - [`openai`] webhook events (every type of the official SDKs' union);
//! - [`litellm`] proxy budget alerts;
//! - any of the above with [`decode`], which detects the shape ([`AnyEvent`]).
//!
//! Unknown event types decode to an `Unknown { event_type, raw }` variant and
//! unknown fields are ignored, so a sender adding things never breaks a
//! receiver. A known type with invalid data is a [`DecodeError`] whose
//! [`path`](DecodeError::path) names the field.
//!
//! # Example: a handler
//!
//! ```
//! use hookproof_events::{Envelope, GatewayEvent, gateway::GuardrailCategory};
//!
//! let body = br#"{
//!   "id": "evt_2Nq8c0Ks1", "type": "guardrail.blocked",
//!   "timestamp": "2026-11-22T17:04:11.532Z", "version": "2026-11-01",
//!   "data": {
//!     "request_id": "req_7f3a", "guardrail": "pii-redactor", "stage": "pre",
//!     "category": "pii", "action": "blocked", "reason": "email address in prompt",
//!     "trace": {"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"}
//!   }
//! }"#;
//!
//! let env = Envelope::from_slice(body)?;
//! let action = match &env.event {
//!     GatewayEvent::GuardrailBlocked(e) if e.category == GuardrailCategory::Pii => {
//!         format!("page privacy on-call about {} (trace {})",
//!             e.request_id, e.trace.as_ref().and_then(|t| t.trace_id.as_deref()).unwrap_or("-"))
//!     }
//!     GatewayEvent::BudgetThresholdReached(b) if b.usage_percent >= 90.0 => "freeze keys".into(),
//!     GatewayEvent::RequestCompleted(r) => format!("{} tokens", r.usage.total_tokens),
//!     GatewayEvent::Unknown { event_type, .. } => format!("ignore {event_type}"),
//!     _ => "ack".into(),
//! };
//! assert_eq!(action,
//!     "page privacy on-call about req_7f3a (trace 4bf92f3577b34da6a3ce929d0e0e4736)");
//!
//! // A known type with a field of the wrong type: the error names it.
//! let bad = br#"{"id":"evt_1","type":"budget.threshold_reached",
//!   "timestamp":"2026-11-22T17:04:11Z","version":"2026-11-01",
//!   "data":{"org_id":"org_1","usage_percent":"ninety","limit_type":"monthly",
//!           "current_spend":90.0,"budget_limit":100.0,"currency":"USD"}}"#;
//! let err = Envelope::from_slice(bad).unwrap_err();
//! assert_eq!(err.path(), Some("data.usage_percent"));
//! assert_eq!(err.code(), "invalid_field");
//! # Ok::<(), hookproof_events::DecodeError>(())
//! ```
//!
//! With serde directly, `GatewayEvent` deserializes from a whole delivery
//! body (envelope or legacy), so framework extractors that take a
//! `Deserialize` type work: `serde_json::from_slice::<GatewayEvent>(body)`.
//!
//! # Feature flags
//!
//! | feature  | default | what it adds |
//! |----------|---------|--------------|
//! | `schema` | no      | `schemas()`: a JSON Schema per event type (schemars 1.x) |
//!
//! # Money
//!
//! Amounts are JSON numbers in major currency units (`0.004125` USD), held
//! as `f64`; serde_json's `float_roundtrip` is enabled so decoding picks the
//! nearest `f64` and re-encoding gives the same number back.
//!
//! # Security notes
//!
//! - Decode only **verified** bodies: this crate does not check signatures or
//!   freshness, and an attacker can craft any event.
//! - Decoding does not panic on any input; it allocates in proportion to the
//!   body, so cap the body size before decoding (the axum layer does).
//! - Nothing here logs; [`AnyEvent::summary`] prints ids, names and numbers,
//!   never message content beyond the sender's own `message`/`reason` text.
//! - OpenAI SIP headers and LiteLLM e-mails are untrusted caller data.
#![forbid(unsafe_code)]

#[macro_use]
mod macros;

mod any;
mod envelope;
mod error;
mod event;
mod fast;
pub mod gateway;
pub mod legacy;
pub mod litellm;
pub mod openai;
mod raw;
#[cfg(feature = "schema")]
mod schema;
mod summary;

pub use any::{AnyEvent, decode};
pub use envelope::Envelope;
pub use error::DecodeError;
pub use event::{EventData, GatewayEvent};
#[cfg(feature = "schema")]
pub use schema::schemas;
