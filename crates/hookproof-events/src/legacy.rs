//! The flat legacy shape many gateways still send:
//! `{"event": "completion", "request_id": ..., "tokens_used": ..., "latency_ms": ..., "timestamp": ...}`.
//!
//! [`LegacyEvent`] models it field by field (so it re-encodes unchanged), and
//! [`LegacyEvent::into_envelope`] maps it onto the same [`GatewayEvent`]
//! variants as the envelope shape:
//!
//! | `event`      | variant                                   |
//! |--------------|-------------------------------------------|
//! | `completion` | [`GatewayEvent::RequestCompleted`]        |
//! | `error`      | [`GatewayEvent::RequestFailed`]           |
//! | `streaming`  | [`GatewayEvent::StreamToken`]             |
//! | `budget`     | [`GatewayEvent::BudgetThresholdReached`]  |
//! | `rate_limit` | [`GatewayEvent::RateLimitExceeded`]       |
//! | other        | [`GatewayEvent::Unknown`] (raw = the body) |
//!
//! Legacy senders are loose: absent counters map to 0 and absent strings to
//! `""`, an absent currency to `USD`; a present field of the wrong type is
//! still an error naming it.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::envelope::Envelope;
use crate::error::DecodeError;
use crate::event::GatewayEvent;
use crate::gateway::{
    BudgetThresholdReached, Cost, ErrorKind, FinishReason, LimitPeriod, RateLimitExceeded,
    RequestCompleted, RequestFailed, StreamToken, TokenUsage, TraceContext,
};
use crate::raw::parse_rfc3339;

open_enum! {
    /// The `event` field of the legacy shape.
    pub enum LegacyKind {
        /// A completed request.
        Completion = "completion",
        /// A failed request.
        Error = "error",
        /// A streamed chunk.
        Streaming = "streaming",
        /// A budget alert.
        Budget = "budget",
        /// A rate-limit hit.
        RateLimit = "rate_limit",
    }
}

/// A legacy timestamp: unix seconds (or milliseconds, when above 10^11) or
/// an RFC 3339 string. Kept as sent so it re-encodes unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LegacyTimestamp {
    /// Unix time as a number.
    Unix(i64),
    /// RFC 3339 text.
    Text(String),
}

impl<'de> Deserialize<'de> for LegacyTimestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than `#[serde(untagged)]`, which buffers.
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = LegacyTimestamp;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("unix seconds, unix milliseconds or an RFC 3339 string")
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<LegacyTimestamp, E> {
                Ok(LegacyTimestamp::Unix(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<LegacyTimestamp, E> {
                i64::try_from(n)
                    .map(LegacyTimestamp::Unix)
                    .map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<LegacyTimestamp, E> {
                Ok(LegacyTimestamp::Text(s.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

impl LegacyTimestamp {
    /// The instant it denotes.
    ///
    /// # Errors
    ///
    /// [`DecodeError::InvalidField`] (path `timestamp`) when out of range or
    /// not RFC 3339. The range is RFC 3339's, years 0000 to 9999, so that
    /// the decoded event can be written out again.
    pub fn to_datetime(&self) -> Result<OffsetDateTime, DecodeError> {
        let t = self.parse()?;
        if (0..=9999).contains(&t.year()) {
            Ok(t)
        } else {
            Err(DecodeError::InvalidField {
                path: "timestamp".into(),
                message: format!(
                    "year {} is outside RFC 3339's range (0000 to 9999)",
                    t.year()
                ),
            })
        }
    }

    fn parse(&self) -> Result<OffsetDateTime, DecodeError> {
        match self {
            Self::Unix(n) => {
                // Whole seconds plus a sub-second part: no i128 arithmetic.
                let (secs, nanos) = if n.unsigned_abs() > 100_000_000_000 {
                    (n.div_euclid(1000), n.rem_euclid(1000) * 1_000_000)
                } else {
                    (*n, 0)
                };
                OffsetDateTime::from_unix_timestamp(secs)
                    .and_then(|t| t.replace_nanosecond(u32::try_from(nanos).unwrap_or(0)))
                    .map_err(|e| DecodeError::InvalidField {
                        path: "timestamp".into(),
                        message: e.to_string(),
                    })
            }
            Self::Text(s) => parse_rfc3339(s, "timestamp"),
        }
    }
}

/// The flat legacy body. Every field but `event` and `timestamp` is optional;
/// which ones matter depends on `event` (see the module table).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LegacyEvent {
    /// What happened.
    pub event: LegacyKind,
    /// When, as unix seconds/milliseconds or RFC 3339.
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub timestamp: LegacyTimestamp,
    /// Gateway request id (all kinds but `budget`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Model name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Provider (`gen_ai.system` value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Request latency in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Total tokens (`completion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens_used: Option<u64>,
    /// Prompt tokens (`completion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    /// Completion tokens (`completion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<u64>,
    /// Cost in major units of `currency` (`completion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// ISO 4217 code; `USD` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Why generation stopped (`completion`, `streaming`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<FinishReason>,
    /// Error message (`error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Error category (`error`); `provider_error` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<ErrorKind>,
    /// Provider HTTP status (`error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Seconds before retrying (`error`, `rate_limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// 0-based chunk index (`streaming`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk_index: Option<u64>,
    /// Chunk text (`streaming`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Organization (`budget`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// Project (`budget`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Spend so far (`budget`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spend: Option<f64>,
    /// Budget amount (`budget`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    /// Percent of the budget used (`budget`); computed from spend/budget when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_used: Option<f64>,
    /// Budget period (`budget`); `monthly` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<LimitPeriod>,
    /// Limit name (`rate_limit`); `requests` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_name: Option<String>,
    /// Limit per window (`rate_limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// Window in seconds (`rate_limit`); 60 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_seconds: Option<u64>,
    /// W3C trace id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// End user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

impl LegacyEvent {
    /// Maps the flat body onto an [`Envelope`]: `id` is the `request_id`
    /// (empty when absent), `version` is `"legacy"`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::InvalidField`] when the timestamp is invalid, or when a
    /// budget event's `spend / budget` percentage is not a finite number.
    pub fn into_envelope(mut self) -> Result<Envelope, DecodeError> {
        let timestamp = self.timestamp.to_datetime()?;
        if let (LegacyKind::Budget, None, Some(spend), Some(budget)) =
            (&self.event, self.percent_used, self.spend, self.budget)
            && budget > 0.0
            && !(spend / budget * 100.0).is_finite()
        {
            return Err(DecodeError::InvalidField {
                path: "spend".into(),
                message: format!("spend {spend} over budget {budget} is not a finite percentage"),
            });
        }
        let id = self.request_id.clone().unwrap_or_default();
        // Fields are taken in place: the body is large, moving it is not free.
        let event = self.take_event();
        Ok(Envelope {
            id,
            timestamp,
            version: "legacy".to_owned(),
            event,
        })
    }

    /// Maps the flat body onto a [`GatewayEvent`] (see the module table).
    pub fn into_event(mut self) -> GatewayEvent {
        self.take_event()
    }

    /// [`into_event`](Self::into_event), taking the fields out of `self`.
    fn take_event(&mut self) -> GatewayEvent {
        if let LegacyKind::Other(kind) = &self.event {
            return GatewayEvent::Unknown {
                event_type: kind.clone(),
                // Serializing a plain struct of strings and numbers to a
                // Value cannot fail; fall back to Null rather than panic.
                raw: serde_json::to_value(&*self).unwrap_or(serde_json::Value::Null),
            };
        }
        let trace = (self.trace_id.is_some() || self.user_id.is_some()).then(|| TraceContext {
            trace_id: self.trace_id.take(),
            user_id: self.user_id.take(),
            ..TraceContext::default()
        });
        let currency = self.currency.take();
        let request_id = self.request_id.take().unwrap_or_default();
        match &self.event {
            LegacyKind::Completion => {
                let prompt = self.prompt_tokens.unwrap_or(0);
                let completion = self.completion_tokens.unwrap_or(0);
                GatewayEvent::RequestCompleted(RequestCompleted {
                    request_id,
                    model: self.model.take().unwrap_or_default(),
                    provider: self.provider.take().unwrap_or_default(),
                    usage: TokenUsage {
                        prompt_tokens: prompt,
                        completion_tokens: completion,
                        total_tokens: self
                            .tokens_used
                            .unwrap_or_else(|| prompt.saturating_add(completion)),
                    },
                    latency_ms: self.latency_ms.unwrap_or(0),
                    cost: self.cost.map(|amount| Cost {
                        amount,
                        currency: currency.unwrap_or_else(usd),
                    }),
                    finish_reason: self.finish_reason.take(),
                    trace,
                })
            }
            LegacyKind::Error => GatewayEvent::RequestFailed(RequestFailed {
                request_id,
                model: self.model.take(),
                provider: self.provider.take(),
                error_type: self.error_type.take().unwrap_or(ErrorKind::ProviderError),
                message: self.error.take().unwrap_or_default(),
                status_code: self.status_code,
                retry_after: self.retry_after,
                trace,
            }),
            LegacyKind::Streaming => GatewayEvent::StreamToken(StreamToken {
                request_id,
                index: self.chunk_index.unwrap_or(0),
                content: self.content.take().unwrap_or_default(),
                finish_reason: self.finish_reason.take(),
                trace,
            }),
            LegacyKind::Budget => {
                let spend = self.spend.unwrap_or(0.0);
                let budget = self.budget.unwrap_or(0.0);
                let pct = self.percent_used.unwrap_or(if budget > 0.0 {
                    spend / budget * 100.0
                } else {
                    0.0
                });
                GatewayEvent::BudgetThresholdReached(BudgetThresholdReached {
                    org_id: self.org_id.take().unwrap_or_default(),
                    project_id: self.project_id.take(),
                    usage_percent: pct,
                    threshold_percent: None,
                    limit_type: self.period.take().unwrap_or(LimitPeriod::Monthly),
                    current_spend: spend,
                    budget_limit: budget,
                    currency: currency.unwrap_or_else(usd),
                    trace,
                })
            }
            LegacyKind::RateLimit => GatewayEvent::RateLimitExceeded(RateLimitExceeded {
                limit_name: self
                    .limit_name
                    .take()
                    .unwrap_or_else(|| "requests".to_owned()),
                limit: self.limit.unwrap_or(0),
                window_seconds: self.window_seconds.unwrap_or(60),
                current: None,
                retry_after: self.retry_after.unwrap_or(0),
                key_id: None,
                model: self.model.take(),
                trace,
            }),
            // Handled above; kept so a new kind cannot be forgotten.
            LegacyKind::Other(kind) => GatewayEvent::Unknown {
                event_type: kind.clone(),
                raw: serde_json::Value::Null,
            },
        }
    }
}

/// The currency of a legacy body without one.
fn usd() -> String {
    "USD".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `fuzz/` (decode_event): each decoded without a typed error
    /// and then panicked or could not be written out again.
    #[test]
    fn fuzz_findings_are_typed_errors_or_round_trip() {
        // prompt + completion overflowed u64 (a panic with overflow checks).
        let body = br#"{"event":"completion","timestamp":1,"prompt_tokens":18446744073709551615,"completion_tokens":1}"#;
        let text = round_trip(body);
        assert!(
            text.contains(r#""total_tokens":18446744073709551615"#),
            "{text}"
        );

        // spend / budget * 100 was infinite: encoded as null, then refused.
        let body = br#"{"event":"budget","timestamp":1,"spend":1e307,"budget":1}"#;
        let err = crate::decode(body).expect_err("not a finite percentage");
        assert_eq!(err.path(), Some("spend"), "{err}");

        // Year -1: decoded, but RFC 3339 cannot write it.
        let body = br#"{"event":"completion","timestamp":-62167219201}"#;
        let err = crate::decode(body).expect_err("before year 0");
        assert_eq!(err.path(), Some("timestamp"), "{err}");
        assert!(err.to_string().contains("year -1"), "{err}");
        // Year 0 and 9999 are fine.
        for secs in [-62_167_219_200_i64, 253_402_300_799] {
            let body = format!(r#"{{"event":"completion","timestamp":{secs}}}"#);
            round_trip(body.as_bytes());
        }
    }

    /// Decodes a legacy body, writes the envelope out and reads it back
    /// equal; returns the text written.
    fn round_trip(body: &[u8]) -> String {
        let Ok(crate::AnyEvent::Gateway(envelope)) = crate::decode(body) else {
            panic!("not a gateway envelope: {}", String::from_utf8_lossy(body));
        };
        let text = serde_json::to_string(&envelope).expect("encodes");
        let again = Envelope::from_slice(text.as_bytes()).expect("decodes again");
        assert_eq!(again, envelope);
        text
    }

    #[test]
    fn unix_seconds_and_millis_are_both_understood() {
        let s = LegacyTimestamp::Unix(1_763_830_800).to_datetime().unwrap();
        let ms = LegacyTimestamp::Unix(1_763_830_800_000)
            .to_datetime()
            .unwrap();
        assert_eq!(s, ms);
        assert_eq!(s.unix_timestamp(), 1_763_830_800);
        let ms = LegacyTimestamp::Unix(1_763_831_101_512)
            .to_datetime()
            .unwrap();
        assert_eq!(ms.unix_timestamp_nanos(), 1_763_831_101_512_000_000);
        let before_1970 = LegacyTimestamp::Unix(-100_000_000_001)
            .to_datetime()
            .unwrap();
        assert_eq!(before_1970.unix_timestamp_nanos(), -100_000_000_001_000_000);
        let err = LegacyTimestamp::Unix(i64::MAX).to_datetime().unwrap_err();
        assert_eq!(err.path(), Some("timestamp"));
    }

    #[test]
    fn budget_percent_is_computed_when_absent() {
        let e: LegacyEvent = serde_json::from_str(
            r#"{"event":"budget","timestamp":1763830800,"org_id":"o","spend":45.0,"budget":50.0}"#,
        )
        .unwrap();
        let GatewayEvent::BudgetThresholdReached(b) = e.into_event() else {
            panic!("wrong variant")
        };
        assert!((b.usage_percent - 90.0).abs() < 1e-9);
        assert_eq!(b.currency, "USD");
        assert_eq!(b.limit_type, LimitPeriod::Monthly);
    }

    #[test]
    fn unknown_legacy_kind_is_unknown_not_error() {
        let e: LegacyEvent =
            serde_json::from_str(r#"{"event":"cache_hit","timestamp":"2026-11-22T10:00:00Z"}"#)
                .unwrap();
        let ev = e.into_event();
        assert_eq!(ev.event_type(), "cache_hit");
        assert!(matches!(ev, GatewayEvent::Unknown { .. }));
    }
}
