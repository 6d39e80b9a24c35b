//! [`OpenAiEvent`] and [`OpenAiEventKind`].

use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::data::{
    AgentSession, AgentSessionActionRequired, LiveCallIncoming, LiveTransportIncoming, ObjectRef,
    RealtimeCallIncoming, SafetyIdentifierBlocked,
};
use crate::error::{DecodeError, decode_at};
use crate::fast::Out;
use crate::raw::{RawBody, required, required_str, utf8};

event_table! {
    /// The type and data of an OpenAI webhook event: every type of the
    /// official SDKs' `UnwrapWebhookEvent` union (checked against
    /// openai-python and openai-ruby, November 2026), plus `Unknown`.
    pub enum OpenAiEventKind {
        /// `batch.cancelled`
        "batch.cancelled" => BatchCancelled(ObjectRef),
        /// `batch.completed`
        "batch.completed" => BatchCompleted(ObjectRef),
        /// `batch.expired`
        "batch.expired" => BatchExpired(ObjectRef),
        /// `batch.failed`
        "batch.failed" => BatchFailed(ObjectRef),
        /// `eval.run.canceled` (sic: one "l", as OpenAI spells it)
        "eval.run.canceled" => EvalRunCanceled(ObjectRef),
        /// `eval.run.failed`
        "eval.run.failed" => EvalRunFailed(ObjectRef),
        /// `eval.run.succeeded`
        "eval.run.succeeded" => EvalRunSucceeded(ObjectRef),
        /// `fine_tuning.job.cancelled`
        "fine_tuning.job.cancelled" => FineTuningJobCancelled(ObjectRef),
        /// `fine_tuning.job.failed`
        "fine_tuning.job.failed" => FineTuningJobFailed(ObjectRef),
        /// `fine_tuning.job.succeeded`
        "fine_tuning.job.succeeded" => FineTuningJobSucceeded(ObjectRef),
        /// `response.cancelled`
        "response.cancelled" => ResponseCancelled(ObjectRef),
        /// `response.completed`
        "response.completed" => ResponseCompleted(ObjectRef),
        /// `response.failed`
        "response.failed" => ResponseFailed(ObjectRef),
        /// `response.incomplete`
        "response.incomplete" => ResponseIncomplete(ObjectRef),
        /// `realtime.call.incoming`
        "realtime.call.incoming" => RealtimeCallIncoming(RealtimeCallIncoming),
        /// `live.call.incoming` (deprecated by OpenAI)
        "live.call.incoming" => LiveCallIncoming(LiveCallIncoming),
        /// `live.transport.incoming`
        "live.transport.incoming" => LiveTransportIncoming(LiveTransportIncoming),
        /// `agent.environment.ready`
        "agent.environment.ready" => AgentEnvironmentReady(ObjectRef),
        /// `agent.environment.failed`
        "agent.environment.failed" => AgentEnvironmentFailed(ObjectRef),
        /// `agent.environment.expired`
        "agent.environment.expired" => AgentEnvironmentExpired(ObjectRef),
        /// `agent.environment.suspended`
        "agent.environment.suspended" => AgentEnvironmentSuspended(ObjectRef),
        /// `agent.session.created`
        "agent.session.created" => AgentSessionCreated(AgentSession),
        /// `agent.session.in_progress`
        "agent.session.in_progress" => AgentSessionInProgress(AgentSession),
        /// `agent.session.idle`
        "agent.session.idle" => AgentSessionIdle(AgentSession),
        /// `agent.session.failed`
        "agent.session.failed" => AgentSessionFailed(AgentSession),
        /// `agent.session.action_required`
        "agent.session.action_required" => AgentSessionActionRequired(AgentSessionActionRequired),
        /// `safety.alert.created` (data: the safety alert id)
        "safety.alert.created" => SafetyAlertCreated(ObjectRef),
        /// `safety.org_alert.created` (data: the safety alert id)
        "safety.org_alert.created" => SafetyOrgAlertCreated(ObjectRef),
        /// `safety.warning_issued` (data: the safety case id)
        "safety.warning_issued" => SafetyWarningIssued(ObjectRef),
        /// `safety.deactivation_issued` (data: the safety case id)
        "safety.deactivation_issued" => SafetyDeactivationIssued(ObjectRef),
        /// `safety_identifier.blocked`
        "safety_identifier.blocked" => SafetyIdentifierBlocked(SafetyIdentifierBlocked),
    }
}

/// An OpenAI webhook event:
/// `{"object": "event", "id", "type", "created_at", "data": {...}}`.
///
/// # Examples
///
/// ```
/// use hookproof_events::openai::{OpenAiEvent, OpenAiEventKind};
///
/// let body = br#"{"object":"event","id":"evt_685343a1381c819085d44c354e1b330e",
///   "type":"response.completed","created_at":1750287018,
///   "data":{"id":"resp_abc123"}}"#;
/// let e = OpenAiEvent::from_slice(body)?;
/// assert!(matches!(e.event, OpenAiEventKind::ResponseCompleted(ref r) if r.id == "resp_abc123"));
/// # Ok::<(), hookproof_events::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct OpenAiEvent {
    /// Event id (`evt_...`); also the `webhook-id` header.
    pub id: String,
    /// Unix seconds when the event was created.
    pub created_at: i64,
    /// Type and data.
    pub event: OpenAiEventKind,
}

#[derive(Deserialize)]
struct Wire {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    created_at: i64,
    data: Box<RawValue>,
}

impl Wire {
    fn into_event(self) -> Result<OpenAiEvent, DecodeError> {
        Ok(OpenAiEvent {
            id: self.id,
            created_at: self.created_at,
            event: OpenAiEventKind::from_data(&self.event_type, self.data.get())?,
        })
    }
}

impl OpenAiEvent {
    /// Builds the event from a scanned body (see [`crate::decode`]).
    pub(crate) fn from_raw(raw: RawBody<'_>, out: &Out) -> Result<OpenAiEvent, DecodeError> {
        // `Wire`'s fields: a repeat is refused there too.
        raw.refuse_repeated(&["type", "id", "created_at", "data"])?;
        let event_type = required_str(raw.event_type.as_deref(), "type")?;
        let id = required_str(raw.id.as_deref(), "id")?.into_owned();
        let created_at = required(raw.created_at.as_deref(), "created_at")?;
        let typed = if raw.typed_openai() {
            out.openai.take()
        } else {
            None
        };
        let event = match typed {
            Some(event) => event,
            None => {
                let data = raw.data.ok_or_else(|| DecodeError::missing("data"))?;
                OpenAiEventKind::from_data(&event_type, data.get())?
            }
        };
        Ok(OpenAiEvent {
            id,
            created_at,
            event,
        })
    }

    /// Decodes an OpenAI delivery body.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] naming the field when an envelope field is missing or
    /// a known type has invalid data. Unknown types are not errors.
    pub fn from_slice(bytes: &[u8]) -> Result<OpenAiEvent, DecodeError> {
        decode_at::<Wire>(utf8(bytes)?, "")?.into_event()
    }

    /// The event type, e.g. `batch.completed`.
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }
}

impl Serialize for OpenAiEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Data<'a>(&'a OpenAiEventKind);
        impl Serialize for Data<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize_data(s)
            }
        }
        let mut st = s.serialize_struct("OpenAiEvent", 5)?;
        st.serialize_field("object", "event")?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("type", self.event.event_type())?;
        st.serialize_field("created_at", &self.created_at)?;
        st.serialize_field("data", &Data(&self.event))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for OpenAiEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Wire::deserialize(d)?.into_event().map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_data_of_known_type_names_the_field() {
        let body =
            br#"{"object":"event","id":"evt_1","type":"realtime.call.incoming","created_at":1,
            "data":{"call_id":"rtc_1","sip_headers":[{"name":"From","value":7}]}}"#;
        let err = OpenAiEvent::from_slice(body).unwrap_err();
        assert_eq!(err.path(), Some("data.sip_headers[0].value"));
    }

    #[test]
    fn unknown_type_is_kept() {
        let body = br#"{"object":"event","id":"evt_1","type":"video.completed","created_at":1,"data":{"id":"video_1"}}"#;
        let e = OpenAiEvent::from_slice(body).unwrap();
        assert_eq!(e.event_type(), "video.completed");
        let back = serde_json::to_value(&e).unwrap();
        assert_eq!(back["data"]["id"], "video_1");
    }

    #[test]
    fn missing_created_at_is_named() {
        let body = br#"{"id":"evt_1","type":"batch.completed","data":{"id":"batch_1"}}"#;
        let err = OpenAiEvent::from_slice(body).unwrap_err();
        assert_eq!(
            err,
            DecodeError::MissingField {
                path: "created_at".into()
            }
        );
    }
}
