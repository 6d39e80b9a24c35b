//! `budget.threshold_reached` and `usage.threshold_exceeded`.

use serde::{Deserialize, Serialize};

use super::{LimitPeriod, TraceContext};

/// `budget.threshold_reached`: spend crossed an alert threshold of a budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BudgetThresholdReached {
    /// Organization the budget belongs to.
    pub org_id: String,
    /// Project, when the budget is per project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// `current_spend / budget_limit * 100`, as computed by the sender.
    pub usage_percent: f64,
    /// The configured alert threshold that was crossed, in percent (e.g. 80).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_percent: Option<f64>,
    /// Period the budget applies to.
    pub limit_type: LimitPeriod,
    /// Spend so far in the period, in major units of `currency` (see [`super::Cost`]).
    pub current_spend: f64,
    /// The budget for the period, in major units of `currency`.
    pub budget_limit: f64,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
    /// Trace context (of the request that crossed the threshold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}

/// `usage.threshold_exceeded`: token usage over a window passed a threshold
/// (e.g. one million tokens a day).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UsageThresholdExceeded {
    /// Organization whose usage is measured.
    pub org_id: String,
    /// Project, when measured per project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Model, when the threshold is per model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Length of the measuring window in seconds (86400 for a day).
    pub window_seconds: u64,
    /// Tokens used in the current window.
    pub tokens_used: u64,
    /// The threshold in tokens.
    pub token_threshold: u64,
    /// Start of the current window, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_start: Option<String>,
    /// Trace context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
