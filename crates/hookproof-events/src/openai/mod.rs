//! OpenAI's webhook events, in OpenAI's shape:
//! `{"object": "event", "id", "type", "created_at", "data": {...}}`.
//!
//! OpenAI signs with Standard Webhooks (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`); verify with `hookproof-verify` before decoding.
//! The `data` objects are thin (ids); fetch details through the API.

mod data;
mod event;

pub use data::{
    AgentSession, AgentSessionActionRequired, LiveCallIncoming, LiveTransportIncoming, ObjectRef,
    RealtimeCallIncoming, RequiredAction, SafetyIdentifierBlocked, SipHeader,
};
pub use event::{OpenAiEvent, OpenAiEventKind};
