//! The thin `data` objects of OpenAI webhook events. OpenAI sends ids only;
//! fetch the object through the API for details.

use serde::{Deserialize, Serialize};

/// `data` of events that point at one object by id: batches, eval runs,
/// fine-tuning jobs, responses, agent environments, safety alerts and cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ObjectRef {
    /// Id of the object the event is about (`batch_...`, `evalrun_...`,
    /// `ftjob-...`, `resp_...`, ...).
    pub id: String,
}

/// `data` of `agent.session.{created,in_progress,idle,failed}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgentSession {
    /// Session id.
    pub id: String,
    /// `none`, `openai_hosted` or `self_hosted`.
    pub environment_type: String,
    /// Environment id, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
}

/// `data` of `agent.session.action_required`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgentSessionActionRequired {
    /// Session id.
    pub id: String,
    /// What kind of action is required; retrieve the session for details.
    pub required_action: RequiredAction,
}

/// The kind of action an agent session waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequiredAction {
    /// `computer_use_approval_request`, `function_call` or `environment_connection`.
    #[serde(rename = "type")]
    pub action_type: String,
}

/// One header of a SIP INVITE. Untrusted caller metadata, not authorization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SipHeader {
    /// Header name, e.g. `From`.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// `data` of `realtime.call.incoming`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RealtimeCallIncoming {
    /// The `rtc_...` id to accept or reject the call with.
    pub call_id: String,
    /// Headers of the SIP INVITE, in order.
    pub sip_headers: Vec<SipHeader>,
}

/// `data` of `live.call.incoming` (deprecated by OpenAI in favour of
/// `live.transport.incoming`; still delivered to existing subscriptions).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveCallIncoming {
    /// The `live_...` session id to pass to Live call controls.
    pub session_id: String,
    /// Headers of the SIP INVITE (authorization headers excluded), in order.
    pub sip_headers: Vec<SipHeader>,
}

/// `data` of `live.transport.incoming`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveTransportIncoming {
    /// The `live_...` session id to pass to Live call controls.
    pub session_id: String,
    /// Headers of the SIP INVITE (authorization headers excluded), in order.
    pub sip_headers: Vec<SipHeader>,
    /// Transport type; `sip` today.
    #[serde(rename = "type")]
    pub transport: String,
}

/// `data` of `safety_identifier.blocked`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SafetyIdentifierBlocked {
    /// Category that triggered the block, e.g. `bio`, `cyber`.
    pub safety_category: String,
    /// The `safety_identifier` the request carried.
    pub safety_identifier: String,
    /// Model of the blocked request, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Project of the blocked request, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// OpenAI request id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}
