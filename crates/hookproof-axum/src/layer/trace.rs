//! The per-delivery `tracing` span: id, type, scheme, key index, outcome,
//! status and duration. Secrets, signatures and bodies are never recorded.

use std::borrow::Cow;
use std::time::Instant;

use http::{HeaderMap, StatusCode};
use tracing::Span;
use tracing::field::Empty;

use super::config::Config;
use crate::WebhookRejection;

/// What happened to one delivery (the span's `outcome` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The handler ran and answered 2xx.
    Accepted,
    /// The handler ran and answered something else; the claim was released.
    HandlerFailed,
    /// A duplicate of a completed delivery, answered from the store.
    Replayed,
    /// Refused before the handler ran.
    Rejected,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::HandlerFailed => "handler_failed",
            Self::Replayed => "replayed",
            Self::Rejected => "rejected",
        }
    }
}

/// Opens the span of one delivery.
pub(crate) fn delivery_span(config: &Config) -> Span {
    tracing::info_span!(
        "webhook",
        scheme = config.verifier.scheme().name(),
        id = Empty,
        event_type = Empty,
        key_index = Empty,
        outcome = Empty,
        code = Empty,
        status = Empty,
        duration_ms = Empty,
    )
}

/// Records the event type when the span is enabled: the body's top-level
/// `"type"` member, else GitHub's `X-GitHub-Event` header.
pub(crate) fn record_event_type(span: &Span, headers: &HeaderMap, body: &[u8]) {
    if span.is_disabled() {
        return;
    }
    #[derive(serde::Deserialize)]
    struct TypeOnly<'a> {
        #[serde(rename = "type", borrow, default)]
        event_type: Option<Cow<'a, str>>,
    }
    let from_body = serde_json::from_slice::<TypeOnly<'_>>(body)
        .ok()
        .and_then(|t| t.event_type);
    match from_body {
        Some(event_type) => {
            span.record("event_type", event_type.as_ref());
        }
        None => {
            if let Some(event) = headers.get("x-github-event").and_then(|v| v.to_str().ok()) {
                span.record("event_type", event);
            }
        }
    }
}

/// Records the end of a delivery on its span and logs one event.
pub(crate) fn finish(
    span: &Span,
    started: Instant,
    outcome: Outcome,
    status: StatusCode,
    rejection_code: Option<&str>,
) {
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.record("outcome", outcome.as_str());
    span.record("status", status.as_u16());
    span.record("duration_ms", duration_ms);
    if let Some(code) = rejection_code {
        span.record("code", code);
    }
    let _entered = span.enter();
    match outcome {
        Outcome::Accepted | Outcome::Replayed => {
            tracing::info!(
                outcome = outcome.as_str(),
                status = status.as_u16(),
                "webhook delivery"
            )
        }
        Outcome::HandlerFailed | Outcome::Rejected => tracing::warn!(
            outcome = outcome.as_str(),
            status = status.as_u16(),
            code = rejection_code,
            "webhook delivery"
        ),
    }
}

/// Traces a rejection decided in `call`, before the future started.
pub(crate) fn early_rejection(config: &Config, rejection: &WebhookRejection) {
    let span = delivery_span(config);
    finish(
        &span,
        Instant::now(),
        Outcome::Rejected,
        rejection.status(),
        Some(rejection.code()),
    );
}
