//! [`decode`] and [`AnyEvent`]: decode a delivery body of any supported shape.

use crate::envelope::Envelope;
use crate::error::DecodeError;
use crate::fast::Out;
use crate::litellm::BudgetAlert;
use crate::openai::OpenAiEvent;
use crate::raw::{Flat, RawBody, Scanned, Shape, Target};

/// A decoded delivery of any supported shape.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AnyEvent {
    /// Our gateway envelope, or the flat legacy shape mapped onto it.
    Gateway(Envelope),
    /// An OpenAI webhook event.
    OpenAi(OpenAiEvent),
    /// A LiteLLM proxy alert.
    LiteLlm(BudgetAlert),
}

impl AnyEvent {
    /// The event type: `request.completed`, `batch.completed`,
    /// `budget_crossed`, ...
    pub fn event_type(&self) -> &str {
        match self {
            Self::Gateway(e) => e.event_type(),
            Self::OpenAi(e) => e.event_type(),
            Self::LiteLlm(a) => a.event.as_str(),
        }
    }

    /// The event id, when the shape has one (LiteLLM alerts and legacy
    /// bodies without a `request_id` have none).
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Gateway(e) if !e.id.is_empty() => Some(&e.id),
            Self::OpenAi(e) => Some(&e.id),
            Self::Gateway(_) | Self::LiteLlm(_) => None,
        }
    }

    /// The shape name: `gateway`, `legacy`, `openai` or `litellm`.
    pub fn source(&self) -> &'static str {
        match self {
            Self::Gateway(e) if e.version == "legacy" => "legacy",
            Self::Gateway(_) => "gateway",
            Self::OpenAi(_) => "openai",
            Self::LiteLlm(_) => "litellm",
        }
    }

    /// One line for a terminal, e.g.
    /// `gateway request.completed evt_01 model=gpt-4o tokens=1530 latency=812ms cost=0.0041 USD`.
    pub fn summary(&self) -> String {
        let mut line = format!("{} {}", self.source(), self.event_type());
        if let Some(id) = self.id() {
            line.push(' ');
            line.push_str(id);
        }
        let detail = match self {
            Self::Gateway(e) => crate::summary::gateway(&e.event),
            Self::OpenAi(e) => crate::summary::openai(&e.event),
            Self::LiteLlm(a) => crate::summary::litellm(a),
        };
        if !detail.is_empty() {
            line.push(' ');
            line.push_str(&detail);
        }
        line
    }
}

/// Decodes a delivery body, detecting its shape:
///
/// | shape    | recognised by                                  | result |
/// |----------|------------------------------------------------|--------|
/// | OpenAI   | `type` without `event`, and (`object` or `created_at` without `timestamp`) | [`AnyEvent::OpenAi`] |
/// | gateway  | `type` without `event` (and not OpenAI); or `type`, `event` and `data`, without `event_group` | [`AnyEvent::Gateway`] |
/// | LiteLLM  | `event` and `event_group`                      | [`AnyEvent::LiteLlm`] |
/// | legacy   | `event` without `data` or `event_group`        | [`AnyEvent::Gateway`] (version `legacy`) |
///
/// The shape depends only on which keys the body has, never on their order
/// or values, so every key order gets one answer, the same as
/// [`Envelope::from_slice`] or serde give for that shape.
///
/// # Errors
///
/// [`DecodeError`]: not JSON, no known shape, or a known type with invalid
/// data (the path names the field). Unknown types and fields are not errors.
///
/// # Examples
///
/// ```
/// use hookproof_events::{decode, AnyEvent};
///
/// let e = decode(br#"{"event":"completion","request_id":"req_1","model":"gpt-4o-mini",
///     "tokens_used":42,"latency_ms":310,"timestamp":1763830800}"#)?;
/// assert_eq!(e.event_type(), "request.completed");
/// assert_eq!(e.summary(), "legacy request.completed req_1 model=gpt-4o-mini tokens=42 latency=310ms");
///
/// let err = decode(b"[]").unwrap_err();
/// assert_eq!(err.code(), "unknown_shape");
/// # Ok::<(), hookproof_events::DecodeError>(())
/// ```
pub fn decode(body: &[u8]) -> Result<AnyEvent, DecodeError> {
    // One pass keeps the envelope fields and notes which keys are present;
    // `data` after `type` and flat bodies opening with `event` are decoded
    // in that pass (see `raw`), other flat shapes from the bytes afterwards.
    let out = Out::default();
    let raw = match RawBody::scan(body, Target::Any, &out)? {
        Scanned::Body(raw) => raw,
        Scanned::Done(Flat::LiteLlm) => {
            if let Some(alert) = out.alert.take() {
                return Ok(AnyEvent::LiteLlm(alert));
            }
            return BudgetAlert::from_slice(body).map(AnyEvent::LiteLlm);
        }
        Scanned::Done(Flat::Legacy) => {
            if let Some(envelope) = out.legacy.take() {
                return envelope.map(AnyEvent::Gateway);
            }
            return RawBody::legacy_from_slice(body)?
                .into_envelope()
                .map(AnyEvent::Gateway);
        }
    };
    match raw.shape() {
        Shape::OpenAi => OpenAiEvent::from_raw(raw, &out).map(AnyEvent::OpenAi),
        Shape::Gateway => raw.into_envelope(Some(&out)).map(AnyEvent::Gateway),
        Shape::LiteLlm => BudgetAlert::from_slice(body).map(AnyEvent::LiteLlm),
        Shape::Legacy => RawBody::legacy_from_slice(body)?
            .into_envelope()
            .map(AnyEvent::Gateway),
        Shape::Unknown => Err(DecodeError::UnknownShape),
    }
}
