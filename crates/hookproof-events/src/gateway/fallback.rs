//! `model_fallback.triggered`.

use serde::{Deserialize, Serialize};

use super::{ErrorKind, TraceContext};

/// `model_fallback.triggered`: the gateway moved a request to the next model
/// of its fallback chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModelFallbackTriggered {
    /// Gateway request id.
    pub request_id: String,
    /// Model that failed.
    pub from_model: String,
    /// Model tried next (`null` when the chain is exhausted). Always serialized.
    pub to_model: Option<String>,
    /// Why the previous model was abandoned.
    pub reason: ErrorKind,
    /// 1-based attempt number of `to_model` in the chain.
    pub attempt: u32,
    /// `true` when no model is left to try.
    pub chain_exhausted: bool,
    /// Trace context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
