//! Data structs of our gateway events, one per event type, plus the pieces
//! they share ([`TraceContext`], [`TokenUsage`], [`Cost`]) and their open
//! string enums.
//!
//! Every struct ignores fields it does not know, and every optional field is
//! omitted when `None` so a decoded event re-encodes to the same JSON.

mod agent;
mod batch;
mod budget;
mod common;
mod eval;
mod fallback;
mod guardrail;
mod kinds;
mod ping;
mod rate_limit;
mod request;
mod stream;

pub use agent::{AgentRunCompleted, AgentRunFailed};
pub use batch::{BatchCompleted, BatchCounts};
pub use budget::{BudgetThresholdReached, UsageThresholdExceeded};
pub use common::{Cost, GenAiAttributes, TokenUsage, TraceContext};
pub use eval::EvalFailed;
pub use fallback::ModelFallbackTriggered;
pub use guardrail::GuardrailBlocked;
pub use kinds::{
    AgentErrorKind, ErrorKind, FinishReason, GuardrailAction, GuardrailCategory, GuardrailStage,
    LimitPeriod,
};
pub use ping::WebhookTest;
pub use rate_limit::RateLimitExceeded;
pub use request::{RequestCompleted, RequestFailed};
pub use stream::StreamToken;
