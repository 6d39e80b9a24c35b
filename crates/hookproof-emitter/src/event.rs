//! The event handed to the emitter: id, type, exact payload bytes and the
//! few fields subscription filters look at.

use std::time::SystemTime;

use bytes::Bytes;
use hookproof_events::Envelope;

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

    /// The event of a typed gateway [`Envelope`]: the payload is the
    /// envelope's JSON (`{"id","type","timestamp","version","data"}`),
    /// `created_at` its timestamp, and the filter fields come from `data`:
    /// `model`, `usage.total_tokens` (or `total_tokens`, `tokens_used`),
    /// `severity`.
    ///
    /// # Errors
    ///
    /// [`EncodeError`] if the envelope cannot be serialized (e.g. a
    /// timestamp outside RFC 3339's range).
    ///
    /// # Examples
    ///
    /// ```
    /// use hookproof_emitter::OutgoingEvent;
    /// use hookproof_events::Envelope;
    ///
    /// let envelope = Envelope::from_slice(br#"{"id":"evt_1","type":"request.completed",
    ///     "timestamp":"2026-11-22T17:00:00Z","version":"2026-11-01",
    ///     "data":{"request_id":"req_1","model":"gpt-4o","provider":"openai",
    ///             "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15},
    ///             "latency_ms":120}}"#).unwrap();
    /// let event = OutgoingEvent::from_envelope(&envelope).unwrap();
    /// assert_eq!((event.id.as_str(), event.event_type.as_str()), ("evt_1", "request.completed"));
    /// assert_eq!((event.model.as_deref(), event.tokens), (Some("gpt-4o"), Some(15)));
    /// assert_eq!(Envelope::from_slice(&event.payload).unwrap(), envelope);
    /// ```
    pub fn from_envelope(envelope: &Envelope) -> Result<Self, EncodeError> {
        let payload = serde_json::to_vec(envelope).map_err(EncodeError)?;
        let value: serde_json::Value = serde_json::from_slice(&payload).map_err(EncodeError)?;
        let data = &value["data"];
        let model = data["model"].as_str().map(str::to_owned);
        let tokens = data["usage"]["total_tokens"]
            .as_u64()
            .or_else(|| data["total_tokens"].as_u64())
            .or_else(|| data["tokens_used"].as_u64());
        let severity = data["severity"].as_str().map(str::to_owned);
        Ok(Self {
            id: envelope.id.clone(),
            event_type: envelope.event_type().to_owned(),
            payload: Bytes::from(payload),
            created_at: SystemTime::from(envelope.timestamp),
            model,
            tokens,
            severity,
        })
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

/// An [`Envelope`] that could not be serialized.
#[derive(Debug, thiserror::Error)]
#[error("cannot serialize the event envelope: {0}")]
pub struct EncodeError(#[source] serde_json::Error);

impl EncodeError {
    /// A stable machine-readable code: `encode`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        "encode"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_fixture(text: &str) -> OutgoingEvent {
        let fixture: serde_json::Value = serde_json::from_str(text).unwrap();
        let body = serde_json::to_vec(&fixture["body"]).unwrap();
        OutgoingEvent::from_envelope(&Envelope::from_slice(&body).unwrap()).unwrap()
    }

    #[test]
    fn filter_fields_come_from_the_fixtures_data() {
        let e = from_fixture(include_str!(
            "../../../fixtures/gateway/usage.threshold_exceeded.json"
        ));
        assert_eq!(e.event_type, "usage.threshold_exceeded");
        assert_eq!(
            (e.model.as_deref(), e.tokens),
            (Some("gpt-4o-mini"), Some(1_000_412))
        );
        let e = from_fixture(include_str!(
            "../../../fixtures/gateway/request.completed.json"
        ));
        assert_eq!(e.tokens, Some(1532));
        assert_eq!(e.id, "evt_01JDB6D4A50A9789DD58270C93");
        let created = time::OffsetDateTime::from(e.created_at);
        assert_eq!(
            created,
            time::macros::datetime!(2026-11-22 17:04:11.532 UTC)
        );
        let e = from_fixture(include_str!(
            "../../../fixtures/gateway/budget.threshold_reached.json"
        ));
        assert_eq!((e.model, e.tokens, e.severity), (None, None, None));
    }
}
