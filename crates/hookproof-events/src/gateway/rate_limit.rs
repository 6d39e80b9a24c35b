//! `rate_limit.exceeded`.

use serde::{Deserialize, Serialize};

use super::TraceContext;

/// `rate_limit.exceeded`: a gateway rate limit rejected requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateLimitExceeded {
    /// Name of the limit, e.g. `requests_per_minute` or `tokens_per_minute`.
    pub limit_name: String,
    /// The configured limit per window.
    pub limit: u64,
    /// Window length in seconds.
    pub window_seconds: u64,
    /// Count observed in the window when the limit was hit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<u64>,
    /// Seconds until the window frees capacity.
    pub retry_after: u64,
    /// API key (id, never the secret) the limit applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Model, when the limit is per model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Trace context (of the rejected request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
