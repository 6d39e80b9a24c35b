//! `eval.failed`.

use serde::{Deserialize, Serialize};

use super::TraceContext;

/// `eval.failed`: an online evaluator scored a response below its threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvalFailed {
    /// Evaluator name, e.g. `JSONValidation`, `Faithfulness`.
    pub evaluator: String,
    /// Gateway request id of the evaluated response, when online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Score the response got.
    pub score: f64,
    /// Minimum passing score.
    pub threshold: f64,
    /// Why it failed, in words.
    pub reason: String,
    /// Evaluator-specific details (free-form JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    /// Trace context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
