//! `request.completed` and `request.failed`.

use serde::{Deserialize, Serialize};

use super::{Cost, ErrorKind, FinishReason, TokenUsage, TraceContext};

/// `request.completed`: a model call through the gateway finished.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestCompleted {
    /// Gateway request id (also sent to the caller, e.g. `x-request-id`).
    pub request_id: String,
    /// Model that answered, e.g. `gpt-4o-2024-08-06`.
    pub model: String,
    /// Provider that served it; the `gen_ai.system` value, e.g. `openai`.
    pub provider: String,
    /// Token counts.
    pub usage: TokenUsage,
    /// Wall time from the gateway receiving the request to the last byte, ms.
    pub latency_ms: u64,
    /// What the call cost, when the gateway prices it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// Why generation stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<FinishReason>,
    /// Trace context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}

/// `request.failed`: a model call through the gateway failed (after retries
/// and fallbacks, if any).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestFailed {
    /// Gateway request id.
    pub request_id: String,
    /// Model that was asked for, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Provider that failed, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Error category.
    pub error_type: ErrorKind,
    /// Human-readable message (from the provider or the gateway).
    pub message: String,
    /// HTTP status the provider returned, when it answered at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Seconds after which a retry may succeed (from the provider's `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Trace context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
