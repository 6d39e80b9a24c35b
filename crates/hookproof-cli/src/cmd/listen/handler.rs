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
        Err(e) => (
            "unknown".to_owned(),
            None,
            format!("body is not a known event shape: {e}"),
        ),
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
