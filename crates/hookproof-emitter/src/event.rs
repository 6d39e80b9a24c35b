//! The event handed to the emitter: id, type, exact payload bytes and the
//! few fields subscription filters look at.

use std::time::SystemTime;

use bytes::Bytes;

/// One event to deliver. The payload bytes are sent (and signed) exactly as
/// given; `id` is the delivery id on every attempt, so receivers can
/// deduplicate retries.
///
/// # Examples
///
/// ```
/// use hookproof_emitter::OutgoingEvent;
///
/// let event = OutgoingEvent::new("evt_1", "request.completed", r#"{"id":"evt_1"}"#)
///     .with_model("gpt-4o")
///     .with_tokens(1200);
/// assert_eq!(event.model.as_deref(), Some("gpt-4o"));
/// assert_eq!(event.tokens, Some(1200));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct OutgoingEvent {
    /// Event id, sent as the delivery id (e.g. `webhook-id`).
    pub id: String,
    /// Event type, matched against `events.subscribe`.
    pub event_type: String,
    /// The exact body bytes.
    pub payload: Bytes,
    /// When the event happened; delivery latency is measured from here.
    pub created_at: SystemTime,
    /// Model name, for the `models` filter.
    pub model: Option<String>,
    /// Token count, for the `min_tokens` filter.
    pub tokens: Option<u64>,
    /// Severity, for the `severity` filter.
    pub severity: Option<String>,
}

impl OutgoingEvent {
    /// An event created now, with no filter fields.
    pub fn new(
        id: impl Into<String>,
        event_type: impl Into<String>,
        payload: impl Into<Bytes>,
    ) -> Self {
        Self {
            id: id.into(),
            event_type: event_type.into(),
            payload: payload.into(),
            created_at: SystemTime::now(),
            model: None,
            tokens: None,
            severity: None,
        }
    }

    /// Sets when the event was created.
    #[must_use]
    pub fn with_created_at(mut self, at: SystemTime) -> Self {
        self.created_at = at;
        self
    }

    /// Sets the model name used by the `models` filter.
    #[must_use]
    pub fn with_model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the token count used by the `min_tokens` filter.
    #[must_use]
    pub fn with_tokens(mut self, tokens: u64) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Sets the severity used by the `severity` filter.
    #[must_use]
    pub fn with_severity(mut self, severity: impl Into<String>) -> Self {
        self.severity = Some(severity.into());
        self
    }
}
