//! `stream.token`.

use serde::{Deserialize, Serialize};

use super::{FinishReason, TraceContext};

/// `stream.token`: one chunk of a streamed completion, forwarded as it is
/// produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StreamToken {
    /// Gateway request id of the stream.
    pub request_id: String,
    /// 0-based position of this chunk in the stream.
    pub index: u64,
    /// Text of the chunk (may be empty on the final chunk).
    pub content: String,
    /// `null` until the final chunk, which carries why generation stopped.
    /// Always serialized, so `null` is explicit on the wire.
    pub finish_reason: Option<FinishReason>,
    /// Trace context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
