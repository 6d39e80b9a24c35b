//! `agent.run.completed` and `agent.run.failed`.

use serde::{Deserialize, Serialize};

use super::{AgentErrorKind, Cost, TokenUsage, TraceContext};

/// `agent.run.completed`: an agent run ended normally.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgentRunCompleted {
    /// Run id.
    pub run_id: String,
    /// Agent name.
    pub agent: String,
    /// Model steps taken.
    pub steps: u32,
    /// Tool calls made.
    pub tool_calls: u32,
    /// Tokens over all model calls of the run.
    pub usage: TokenUsage,
    /// Cost of the run, when priced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// Wall time of the run in ms.
    pub duration_ms: u64,
    /// `true` if the loop detector fired during the run (and it recovered).
    pub loop_detected: bool,
    /// Trace context (the root span of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}

/// `agent.run.failed`: an agent run ended with an error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgentRunFailed {
    /// Run id.
    pub run_id: String,
    /// Agent name.
    pub agent: String,
    /// Model steps taken before failing.
    pub steps: u32,
    /// Tool calls made before failing.
    pub tool_calls: u32,
    /// Tokens used before failing.
    pub usage: TokenUsage,
    /// Cost before failing, when priced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// Wall time of the run in ms.
    pub duration_ms: u64,
    /// Failure category.
    pub error_type: AgentErrorKind,
    /// Error message.
    pub message: String,
    /// `true` if the run was stuck repeating itself.
    pub loop_detected: bool,
    /// Trace context (the root span of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
