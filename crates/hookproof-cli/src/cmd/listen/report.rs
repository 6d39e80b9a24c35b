//! Printing what never reaches the handler: rejections (problem+json from
//! the layer) and idempotent replays of an already processed delivery.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::Response;

use super::say;
use crate::time_arg::clock;

/// Largest problem document read back for printing.
const MAX_PROBLEM: usize = 64 * 1024;

/// Middleware around the layer: passes every response through unchanged,
/// printing rejections and replays.
pub(crate) async fn rejections(request: Request, next: Next) -> Response {
    let target = format!("{} {}", request.method(), request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if response
        .headers()
        .get(hookproof_axum::IDEMPOTENT_REPLAYED)
        .is_some()
    {
        say!(
            "{}  duplicate delivery to {target}: answered the stored {} without running the handler",
            clock(),
            status.as_u16()
        );
        return response;
    }
    let is_problem = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    if !is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_PROBLEM)
        .await
        .unwrap_or_default();
    let problem: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let field = |name: &str| {
        problem
            .get(name)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    say!(
        "{}  rejected {target}: {} {}  {}",
        clock(),
        status.as_u16(),
        field("code"),
        field("detail")
    );
    let hint = field("hint");
    if !hint.is_empty() {
        say!("          hint: {hint}");
    }
    Response::from_parts(parts, Body::from(bytes))
}
