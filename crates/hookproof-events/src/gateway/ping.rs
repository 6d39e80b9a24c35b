//! `webhook.test`.

use serde::{Deserialize, Serialize};

use super::TraceContext;

/// `webhook.test`: the ping a dashboard's "send test event" button sends.
/// Every field is optional, so `{}` is a valid test event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WebhookTest {
    /// Free text, e.g. "This is a test event".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The endpoint (subscription) the test was sent to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
    /// Who pressed the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triggered_by: Option<String>,
    /// Trace context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
}
