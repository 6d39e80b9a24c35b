//! The detail part of [`AnyEvent::summary`](crate::AnyEvent::summary): the
//! few fields an operator wants to see in one line.

use std::fmt::Write as _;

use crate::event::GatewayEvent;
use crate::litellm::BudgetAlert;
use crate::openai::OpenAiEventKind;

pub(crate) fn gateway(e: &GatewayEvent) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = match e {
        GatewayEvent::RequestCompleted(d) => {
            let _ = write!(
                s,
                "model={} tokens={} latency={}ms",
                d.model, d.usage.total_tokens, d.latency_ms
            );
            match &d.cost {
                Some(c) => write!(s, " cost={} {}", c.amount, c.currency),
                None => Ok(()),
            }
        }
        GatewayEvent::RequestFailed(d) => {
            write!(s, "error={} message={:?}", d.error_type, d.message)
        }
        GatewayEvent::StreamToken(d) => write!(
            s,
            "request={} index={} finish={}",
            d.request_id,
            d.index,
            d.finish_reason.as_ref().map_or("null", |f| f.as_str())
        ),
        GatewayEvent::BudgetThresholdReached(d) => write!(
            s,
            "org={} {}% of {} {} {}",
            d.org_id, d.usage_percent, d.budget_limit, d.currency, d.limit_type
        ),
        GatewayEvent::UsageThresholdExceeded(d) => write!(
            s,
            "org={} tokens={}/{} window={}s",
            d.org_id, d.tokens_used, d.token_threshold, d.window_seconds
        ),
        GatewayEvent::RateLimitExceeded(d) => write!(
            s,
            "limit={} {}/{}s retry_after={}s",
            d.limit_name, d.limit, d.window_seconds, d.retry_after
        ),
        GatewayEvent::GuardrailBlocked(d) => write!(
            s,
            "guardrail={} stage={} category={} action={}",
            d.guardrail, d.stage, d.category, d.action
        ),
        GatewayEvent::ModelFallbackTriggered(d) => write!(
            s,
            "{} -> {} reason={} attempt={}{}",
            d.from_model,
            d.to_model.as_deref().unwrap_or("(none)"),
            d.reason,
            d.attempt,
            if d.chain_exhausted { " exhausted" } else { "" }
        ),
        GatewayEvent::EvalFailed(d) => write!(
            s,
            "evaluator={} score={} threshold={}",
            d.evaluator, d.score, d.threshold
        ),
        GatewayEvent::AgentRunCompleted(d) => write!(
            s,
            "run={} steps={} tool_calls={} tokens={}",
            d.run_id, d.steps, d.tool_calls, d.usage.total_tokens
        ),
        GatewayEvent::AgentRunFailed(d) => write!(
            s,
            "run={} error={} steps={}{}",
            d.run_id,
            d.error_type,
            d.steps,
            if d.loop_detected { " loop" } else { "" }
        ),
        GatewayEvent::BatchCompleted(d) => write!(
            s,
            "batch={} {}/{} ok {} failed",
            d.batch_id, d.counts.succeeded, d.counts.total, d.counts.failed
        ),
        GatewayEvent::WebhookTest(d) => match &d.message {
            Some(m) => write!(s, "message={m:?}"),
            None => Ok(()),
        },
        GatewayEvent::Unknown { .. } => write!(s, "(unknown type)"),
    };
    s
}

pub(crate) fn openai(e: &OpenAiEventKind) -> String {
    use OpenAiEventKind as K;
    match e {
        K::RealtimeCallIncoming(d) => format!("call={}", d.call_id),
        K::LiveCallIncoming(d) => format!("session={}", d.session_id),
        K::LiveTransportIncoming(d) => {
            format!("session={} transport={}", d.session_id, d.transport)
        }
        K::AgentSessionCreated(d)
        | K::AgentSessionInProgress(d)
        | K::AgentSessionIdle(d)
        | K::AgentSessionFailed(d) => format!("session={}", d.id),
        K::AgentSessionActionRequired(d) => {
            format!("session={} action={}", d.id, d.required_action.action_type)
        }
        K::SafetyIdentifierBlocked(d) => format!(
            "identifier={} category={}",
            d.safety_identifier, d.safety_category
        ),
        K::Unknown { .. } => "(unknown type)".to_owned(),
        K::BatchCancelled(r)
        | K::BatchCompleted(r)
        | K::BatchExpired(r)
        | K::BatchFailed(r)
        | K::EvalRunCanceled(r)
        | K::EvalRunFailed(r)
        | K::EvalRunSucceeded(r)
        | K::FineTuningJobCancelled(r)
        | K::FineTuningJobFailed(r)
        | K::FineTuningJobSucceeded(r)
        | K::ResponseCancelled(r)
        | K::ResponseCompleted(r)
        | K::ResponseFailed(r)
        | K::ResponseIncomplete(r)
        | K::AgentEnvironmentReady(r)
        | K::AgentEnvironmentFailed(r)
        | K::AgentEnvironmentExpired(r)
        | K::AgentEnvironmentSuspended(r)
        | K::SafetyAlertCreated(r)
        | K::SafetyOrgAlertCreated(r)
        | K::SafetyWarningIssued(r)
        | K::SafetyDeactivationIssued(r) => format!("object={}", r.id),
    }
}

pub(crate) fn litellm(a: &BudgetAlert) -> String {
    let mut s = format!("{} spend={}", a.event_group, a.spend);
    if let Some(max) = a.max_budget {
        let _ = write!(s, " max_budget={max}");
    }
    let who = [&a.team_id, &a.user_id, &a.key_alias, &a.customer_id]
        .into_iter()
        .find_map(|x| x.as_deref());
    if let Some(who) = who {
        let _ = write!(s, " {who}");
    }
    s
}
