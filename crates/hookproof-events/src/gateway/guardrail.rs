//! `guardrail.blocked`.

use serde::{Deserialize, Serialize};

use super::{GuardrailAction, GuardrailCategory, GuardrailStage, TraceContext};

/// `guardrail.blocked`: a guardrail acted on a request or a response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GuardrailBlocked {
    /// Gateway request id.
    pub request_id: String,
    /// Name of the guardrail as configured, e.g. `pii-redactor`.
    pub guardrail: String,
    /// Before or after the model call.
    pub stage: GuardrailStage,
    /// What it detected.
    pub category: GuardrailCategory,
    /// What the gateway did.
    pub action: GuardrailAction,
    /// Why, in words (never the offending content itself).
    pub reason: String,
    /// Detector confidence in `[0, 1]`, when the guardrail scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Model the request was for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Trace context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
