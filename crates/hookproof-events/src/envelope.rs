//! [`Envelope`]: our gateway event with its delivery metadata.

use serde::de::Error as _;
use serde::ser::{Error as _, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::DecodeError;
use crate::event::GatewayEvent;
use crate::raw::RawBody;

/// A gateway event in the Standard Webhooks payload shape:
/// `{"id", "type", "timestamp" (RFC 3339), "version", "data": {...}}`.
///
/// Deserializes from that shape and from the flat legacy shape (see
/// [`legacy`](crate::legacy)); serializes to the envelope shape.
///
/// # Examples
///
/// ```
/// use hookproof_events::{Envelope, GatewayEvent};
///
/// let body = br#"{"id":"evt_01","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z",
///                 "version":"2026-11-01","data":{"message":"ping"}}"#;
/// let env = Envelope::from_slice(body)?;
/// assert_eq!(env.id, "evt_01");
/// assert!(matches!(env.event, GatewayEvent::WebhookTest(ref t) if t.message.as_deref() == Some("ping")));
///
/// // A missing envelope field is named.
/// let err = Envelope::from_slice(br#"{"type":"webhook.test","data":{}}"#).unwrap_err();
/// assert_eq!(err.path(), Some("id"));
/// # Ok::<(), hookproof_events::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// Unique event id (also the `webhook-id` delivery header); stable across
    /// retries, so it is the idempotency key.
    pub id: String,
    /// When the event happened.
    pub timestamp: OffsetDateTime,
    /// Payload version, e.g. `2026-11-01`; lets payload meaning change without
    /// breaking receivers. Legacy bodies get `"legacy"`.
    pub version: String,
    /// The event.
    pub event: GatewayEvent,
}

impl Envelope {
    /// Decodes a delivery body (envelope or flat legacy shape).
    ///
    /// Faster than `serde_json::from_slice::<Envelope>` for legacy bodies and
    /// gives structured errors.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] when the body is not JSON, has neither `type` nor
    /// `event`, lacks an envelope field or repeats one (`type`, `id`,
    /// `timestamp`, `version`, `data`: which value is meant is ambiguous),
    /// or a known type has invalid data (the path names the field). An
    /// unknown type is not an error.
    ///
    /// A body with `event` and without `data` is the legacy shape, whatever
    /// its key order; serde (`serde_json::from_slice::<Envelope>`) gives the
    /// same answer.
    pub fn from_slice(bytes: &[u8]) -> Result<Envelope, DecodeError> {
        RawBody::envelope_from_slice(bytes)
    }

    /// The event type, e.g. `request.completed`.
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }
}

impl Serialize for Envelope {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ts = self.timestamp.format(&Rfc3339).map_err(S::Error::custom)?;
        let mut st = s.serialize_struct("Envelope", 5)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("type", self.event.event_type())?;
        st.serialize_field("timestamp", &ts)?;
        st.serialize_field("version", &self.version)?;
        st.serialize_field("data", &self.event.data())?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RawBody::deserialize(d)?
            .into_envelope(None)
            .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"id":"evt_1","type":"rate_limit.exceeded","timestamp":"2026-11-22T17:00:00.250Z",
        "version":"2026-11-01","extra_top":{"a":[1,2]},
        "data":{"limit_name":"rpm","limit":600,"window_seconds":60,"retry_after":12,"future_field":true}}"#;

    #[test]
    fn serde_and_from_slice_agree_and_ignore_unknown_fields() {
        let a = Envelope::from_slice(BODY.as_bytes()).unwrap();
        let b: Envelope = serde_json::from_str(BODY).unwrap();
        assert_eq!(a, b);
        let GatewayEvent::RateLimitExceeded(d) = &a.event else {
            panic!("wrong variant: {:?}", a.event)
        };
        assert_eq!((d.limit, d.retry_after), (600, 12));
        assert_eq!(a.timestamp.millisecond(), 250);
    }

    #[test]
    fn deserializes_through_a_value_too() {
        let v: serde_json::Value = serde_json::from_str(BODY).unwrap();
        let e: Envelope = serde_json::from_value(v).unwrap();
        assert_eq!(e.event_type(), "rate_limit.exceeded");
    }

    #[test]
    fn serializes_to_the_envelope_shape() {
        let e = Envelope::from_slice(BODY.as_bytes()).unwrap();
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["timestamp"], "2026-11-22T17:00:00.25Z");
        assert_eq!(v["type"], "rate_limit.exceeded");
        assert_eq!(v["data"]["limit"], 600);
        assert!(v["data"].get("future_field").is_none());
    }

    #[test]
    fn bad_timestamp_is_named() {
        let body = BODY.replace("2026-11-22T17:00:00.250Z", "yesterday");
        let err = Envelope::from_slice(body.as_bytes()).unwrap_err();
        assert_eq!(err.path(), Some("timestamp"));
        let msg = serde_json::from_str::<Envelope>(&body)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("timestamp"), "{msg}");
    }

    #[test]
    fn unknown_type_keeps_raw_data_and_round_trips() {
        let body = r#"{"id":"e","type":"cache.hit","timestamp":"2026-11-22T17:00:00Z","version":"1","data":{"k":[1,{"z":null}]}}"#;
        let e = Envelope::from_slice(body.as_bytes()).unwrap();
        assert_eq!(e.event_type(), "cache.hit");
        let again: serde_json::Value = serde_json::to_value(&e).unwrap();
        assert_eq!(
            again,
            serde_json::from_str::<serde_json::Value>(body).unwrap()
        );
    }

    #[test]
    fn not_an_object_or_no_shape_is_a_clear_error() {
        assert_eq!(
            Envelope::from_slice(b"{}").unwrap_err(),
            DecodeError::UnknownShape
        );
        assert_eq!(
            Envelope::from_slice(b"[1]").unwrap_err(),
            DecodeError::UnknownShape
        );
        assert_eq!(
            Envelope::from_slice(b"{\"id\":").unwrap_err().code(),
            "invalid_json"
        );
    }
}
