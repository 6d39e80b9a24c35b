//! The handler behind the layer: every request reaching it is verified.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hookproof_axum::VerifiedBody;

use super::ListenState;
use super::say;
use crate::time_arg::clock;

/// Prints the delivery, records it, and answers 200 (or an injected 500).
pub(crate) async fn delivery(
    State(state): State<Arc<ListenState>>,
    headers: HeaderMap,
    body: VerifiedBody,
) -> Response {
    let meta = &body.meta;
    let decoded = hookproof_events::decode(&body.bytes);
    let (event_type, event_id, summary) = match &decoded {
        Ok(event) => (
            event.event_type().to_owned(),
            event.id().map(str::to_owned),
            event.summary(),
        ),
        Err(e) => {
            // Parsed once, for both members.
            let json = serde_json::from_slice::<serde_json::Value>(&body.bytes).ok();
            (
                member(json.as_ref(), &["type"]).unwrap_or_else(|| "unknown".to_owned()),
                member(json.as_ref(), &["id", "event_id"]),
                format!(
                    "not an event shape hookproof-events knows (gateway, OpenAI, LiteLLM, legacy): {e}"
                ),
            )
        }
    };
    let id = meta
        .id
        .as_deref()
        .map(str::to_owned)
        .or(event_id)
        .unwrap_or_else(|| "(no id)".to_owned());
    let fail = state.dice.roll();
    say!(
        "{}  {event_type:<26} {id}  verified ({}, key {}){}",
        clock(),
        meta.scheme,
        meta.key_index,
        if fail {
            "  -> 500 (--fail-rate)"
        } else {
            "  -> 200"
        }
    );
    say!("          {summary}");
    if fail {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "injected failure (hookproof listen --fail-rate)\n",
        )
            .into_response();
    }
    if let Some(recorder) = &state.recorder {
        match recorder.record(&headers, &body.bytes) {
            Ok(path) => say!("          recorded {}", path.display()),
            // The delivery was verified and processed; a recording failure
            // is reported but does not make the sender retry.
            Err(e) => say!("          not recorded: {e:#}"),
        }
    }
    (
        StatusCode::OK,
        axum::Json(serde_json::json!({ "received": true })),
    )
        .into_response()
}

/// The first of `members` that is a top-level string of the JSON body, for
/// events hookproof-events does not model: Stripe's `id` and `type`,
/// Slack's `event_id` (the members the layer deduplicates on).
fn member(json: Option<&serde_json::Value>, members: &[&str]) -> Option<String> {
    let json = json?;
    members
        .iter()
        .find_map(|name| json.get(name)?.as_str().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::member;

    fn parse(body: &[u8]) -> Option<serde_json::Value> {
        serde_json::from_slice(body).ok()
    }

    #[test]
    fn ids_and_types_of_stripe_and_slack_events() {
        let ids = ["id", "event_id"];
        let stripe = parse(br#"{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}"#);
        assert_eq!(member(stripe.as_ref(), &ids).as_deref(), Some("evt_1"));
        assert_eq!(
            member(stripe.as_ref(), &["type"]).as_deref(),
            Some("payment_intent.succeeded")
        );
        let slack = parse(br#"{"type":"event_callback","event_id":"Ev1"}"#);
        assert_eq!(member(slack.as_ref(), &ids).as_deref(), Some("Ev1"));
        assert_eq!(member(parse(br#"{"id":7}"#).as_ref(), &ids), None);
        assert_eq!(member(parse(b"payload=x").as_ref(), &ids), None);
    }
}
