//! Pieces shared by the gateway data structs: trace context, token usage, cost.

use serde::{Deserialize, Serialize};

/// Trace context carried by every gateway event, so a receiver can act on the
/// same trace an SRE inspects. Every field is optional.
///
/// Serialized under the `trace` key of `data`:
/// `{"trace_id": "<32 hex>", "span_id": "<16 hex>", ..., "attributes": {"gen_ai.system": "openai", ...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TraceContext {
    /// W3C trace id: 32 lowercase hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// W3C span id of the gateway span: 16 lowercase hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_id: Option<String>,
    /// Gateway route (virtual model / routing rule) that handled the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_id: Option<String>,
    /// Conversation or session the request belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// End user on whose behalf the request was made (as given to the gateway).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// OpenTelemetry GenAI semantic-convention attribute values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<GenAiAttributes>,
}

/// OpenTelemetry GenAI attribute values, keyed by their semantic-convention
/// names (`gen_ai.system`, `gen_ai.request.model`, ...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GenAiAttributes {
    /// `gen_ai.system`: the provider family, e.g. `openai`, `anthropic`, `aws.bedrock`.
    #[serde(
        rename = "gen_ai.system",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub system: Option<String>,
    /// `gen_ai.provider.name`: newer name of `gen_ai.system` in the conventions.
    #[serde(
        rename = "gen_ai.provider.name",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub provider_name: Option<String>,
    /// `gen_ai.operation.name`, e.g. `chat`, `embeddings`, `invoke_agent`.
    #[serde(
        rename = "gen_ai.operation.name",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operation_name: Option<String>,
    /// `gen_ai.request.model`: the model the caller asked for.
    #[serde(
        rename = "gen_ai.request.model",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_model: Option<String>,
    /// `gen_ai.response.model`: the model that actually answered.
    #[serde(
        rename = "gen_ai.response.model",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub response_model: Option<String>,
    /// `gen_ai.usage.input_tokens`.
    #[serde(
        rename = "gen_ai.usage.input_tokens",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub input_tokens: Option<u64>,
    /// `gen_ai.usage.output_tokens`.
    #[serde(
        rename = "gen_ai.usage.output_tokens",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub output_tokens: Option<u64>,
}

/// Token counts of one request or run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TokenUsage {
    /// Tokens in the prompt (input).
    pub prompt_tokens: u64,
    /// Tokens generated (output).
    pub completion_tokens: u64,
    /// `prompt_tokens + completion_tokens` as reported by the sender (not
    /// recomputed: some providers count cached or reasoning tokens apart).
    pub total_tokens: u64,
}

/// A money amount.
///
/// `amount` is a JSON number in major currency units (dollars, not cents):
/// LLM costs are often fractions of a cent, so integer minor units would lose
/// them. It decodes to the nearest `f64` (serde_json `float_roundtrip`), and
/// `f64` formatting is shortest-round-trip, so any amount with up to 15
/// significant digits re-encodes to the same number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cost {
    /// Amount in major units of `currency`, e.g. `0.004125` USD.
    pub amount: f64,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
}
