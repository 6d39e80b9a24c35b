//! [`GatewayEvent`]: one variant per gateway event type.

use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::gateway::{
    AgentRunCompleted, AgentRunFailed, BatchCompleted, BudgetThresholdReached, EvalFailed,
    GuardrailBlocked, ModelFallbackTriggered, RateLimitExceeded, RequestCompleted, RequestFailed,
    StreamToken, TraceContext, UsageThresholdExceeded, WebhookTest,
};
use crate::raw::RawBody;

event_table! {
    /// A gateway event: what happened, with its typed data.
    ///
    /// Deserializes from a whole delivery body (the envelope's `id`,
    /// `timestamp` and `version` are dropped; use [`Envelope`](crate::Envelope)
    /// to keep them) and from the flat legacy shape, so an extractor such as
    /// `Webhook<GatewayEvent>` works on either. Serializes as
    /// `{"type": ..., "data": {...}}`.
    ///
    /// An unknown `type` becomes [`GatewayEvent::Unknown`]; a known type with
    /// invalid data is an error naming the field.
    pub enum GatewayEvent {
        /// `request.completed`
        "request.completed" => RequestCompleted(RequestCompleted),
        /// `request.failed`
        "request.failed" => RequestFailed(RequestFailed),
        /// `stream.token`
        "stream.token" => StreamToken(StreamToken),
        /// `budget.threshold_reached`
        "budget.threshold_reached" => BudgetThresholdReached(BudgetThresholdReached),
        /// `usage.threshold_exceeded`
        "usage.threshold_exceeded" => UsageThresholdExceeded(UsageThresholdExceeded),
        /// `rate_limit.exceeded`
        "rate_limit.exceeded" => RateLimitExceeded(RateLimitExceeded),
        /// `guardrail.blocked`
        "guardrail.blocked" => GuardrailBlocked(GuardrailBlocked),
        /// `model_fallback.triggered`
        "model_fallback.triggered" => ModelFallbackTriggered(ModelFallbackTriggered),
        /// `eval.failed`
        "eval.failed" => EvalFailed(EvalFailed),
        /// `agent.run.completed`
        "agent.run.completed" => AgentRunCompleted(AgentRunCompleted),
        /// `agent.run.failed`
        "agent.run.failed" => AgentRunFailed(AgentRunFailed),
        /// `batch.completed`
        "batch.completed" => BatchCompleted(BatchCompleted),
        /// `webhook.test`
        "webhook.test" => WebhookTest(WebhookTest),
    }
}

impl GatewayEvent {
    /// The trace context of the event, when the sender included one.
    pub fn trace(&self) -> Option<&TraceContext> {
        match self {
            Self::RequestCompleted(d) => d.trace.as_ref(),
            Self::RequestFailed(d) => d.trace.as_ref(),
            Self::StreamToken(d) => d.trace.as_ref(),
            Self::BudgetThresholdReached(d) => d.trace.as_ref(),
            Self::UsageThresholdExceeded(d) => d.trace.as_ref(),
            Self::RateLimitExceeded(d) => d.trace.as_ref(),
            Self::GuardrailBlocked(d) => d.trace.as_ref(),
            Self::ModelFallbackTriggered(d) => d.trace.as_ref(),
            Self::EvalFailed(d) => d.trace.as_ref(),
            Self::AgentRunCompleted(d) => d.trace.as_ref(),
            Self::AgentRunFailed(d) => d.trace.as_ref(),
            Self::BatchCompleted(d) => d.trace.as_ref(),
            Self::WebhookTest(d) => d.trace.as_ref(),
            Self::Unknown { .. } => None,
        }
    }

    /// The data object alone, e.g. to forward or store it.
    pub fn data(&self) -> EventData<'_> {
        EventData(self)
    }
}

/// Serializes the data object of a [`GatewayEvent`] alone (see
/// [`GatewayEvent::data`]).
#[derive(Debug, Clone, Copy)]
pub struct EventData<'a>(&'a GatewayEvent);

impl Serialize for EventData<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_data(s)
    }
}

impl Serialize for GatewayEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("GatewayEvent", 2)?;
        st.serialize_field("type", self.event_type())?;
        st.serialize_field("data", &self.data())?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for GatewayEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RawBody::deserialize(d)?
            .into_event()
            .map_err(D::Error::custom)
    }
}
