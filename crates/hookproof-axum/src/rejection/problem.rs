//! The [`WebhookRejection`] type: its fields, accessors and rendering as
//! RFC 9457 `application/problem+json`.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use axum::response::{IntoResponse, Response};
use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderValue, StatusCode};

/// Base of every problem `type` URI; the rejection's [`code`](WebhookRejection::code) is appended.
pub const PROBLEM_TYPE_BASE: &str = "https://hookproof.dev/problems/";

/// Media type of every rejection body (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

pub(super) type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A refused webhook delivery.
///
/// Every rejection renders as an RFC 9457 `application/problem+json` body with
/// the members `type` (`https://hookproof.dev/problems/<code>`), `title`,
/// `status`, `detail` and our stable machine `code`, plus `pointer` (a JSON
/// pointer to the offending field, for 422) and `hint` (what to check, for
/// signature failures) when they apply. 409 and 503 carry `Retry-After`.
///
/// | status | code(s) | when |
/// |---|---|---|
/// | 400 | the verifier's code: `missing_header`, `malformed_header`, `invalid_delivery_id` | signature headers missing or unparsable; the delivery id empty or only whitespace |
/// | 401 | the verifier's code, e.g. `signature_mismatch`, `timestamp_too_old`, `timestamp_in_future` | the delivery is not authentic or not fresh |
/// | 400 | `body_read_failed` | the connection failed while the body was read |
/// | 400 | `malformed_json` | the body is not JSON |
/// | 408 | `body_read_timeout` | the body did not arrive within the read timeout (retryable) |
/// | 409 | `delivery_in_progress` | the same delivery id is being processed right now |
/// | 413 | `body_too_large` | the body is larger than the configured limit |
/// | 415 | `unsupported_media_type` | `Content-Type` is present and is not JSON |
/// | 422 | `invalid_event` | JSON that is not the expected event; `pointer` says where |
/// | 500 | `response_body_failed` | the handler's response body errored while buffered for the store (claim released) |
/// | 500 | `missing_webhook_layer` | a layer-only extractor was used on a route without [`WebhookLayer`](crate::WebhookLayer) (a server bug) |
/// | 400 | `invalid_delivery_id` | the delivery id cannot be a store key (over 512 bytes, control characters) |
/// | 503 | `store_unavailable` | the idempotency store cannot be reached or is full |
/// | 503 | `body_budget_exhausted` | too many bodies are being read at once (see [`BodyBudget`](crate::BodyBudget)) |
///
/// Details name the header or check that failed and never echo secrets,
/// signatures or the body.
///
/// # Examples
///
/// ```
/// use axum::response::IntoResponse;
/// use hookproof_axum::WebhookRejection;
///
/// let rejection = WebhookRejection::body_too_large(1024);
/// assert_eq!(rejection.status(), 413);
/// assert_eq!(rejection.code(), "body_too_large");
/// let response = rejection.into_response();
/// assert_eq!(response.headers()["content-type"], "application/problem+json");
/// ```
pub struct WebhookRejection(pub(super) Box<Inner>);

/// Boxed so `Result<_, WebhookRejection>` stays one pointer wide on the happy path.
pub(super) struct Inner {
    pub(super) status: StatusCode,
    pub(super) code: Cow<'static, str>,
    pub(super) title: &'static str,
    pub(super) detail: String,
    pub(super) pointer: Option<String>,
    pub(super) hint: Option<&'static str>,
    pub(super) retry_after: Option<Duration>,
    pub(super) source: Option<BoxError>,
}

impl WebhookRejection {
    pub(super) fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        title: &'static str,
        detail: String,
    ) -> Self {
        Self(Box::new(Inner {
            status,
            code: code.into(),
            title,
            detail,
            pointer: None,
            hint: None,
            retry_after: None,
            source: None,
        }))
    }

    pub(super) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    /// The HTTP status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The stable, snake_case machine code (also the last segment of `type`).
    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// The short human title (RFC 9457 `title`).
    pub fn title(&self) -> &'static str {
        self.0.title
    }

    /// The human explanation of this occurrence (RFC 9457 `detail`).
    pub fn detail(&self) -> &str {
        &self.0.detail
    }

    /// JSON pointer to the field that did not match the expected event (422 only).
    pub fn pointer(&self) -> Option<&str> {
        self.0.pointer.as_deref()
    }

    /// What to check to fix a signature failure, when there is one.
    pub fn hint(&self) -> Option<&'static str> {
        self.0.hint
    }

    /// How long the sender should wait before retrying (409 and 503).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// The problem `type` URI: `https://hookproof.dev/problems/<code>`.
    pub fn type_uri(&self) -> String {
        format!("{PROBLEM_TYPE_BASE}{}", self.0.code)
    }

    /// The problem document as JSON.
    pub fn to_problem(&self) -> serde_json::Value {
        let mut problem = serde_json::json!({
            "type": self.type_uri(),
            "title": self.0.title,
            "status": self.0.status.as_u16(),
            "detail": self.0.detail,
            "code": self.0.code,
        });
        if let Some(map) = problem.as_object_mut() {
            if let Some(pointer) = &self.0.pointer {
                map.insert("pointer".to_owned(), pointer.clone().into());
            }
            if let Some(hint) = self.0.hint {
                map.insert("hint".to_owned(), hint.into());
            }
        }
        problem
    }
}

/// `Retry-After` in whole seconds, rounded up, at least 1.
pub(crate) fn retry_after_secs(after: Duration) -> u64 {
    let secs = after.as_secs() + u64::from(after.subsec_nanos() > 0);
    secs.max(1)
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let body = self.to_problem().to_string();
        let mut response = (self.0.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(after) = self.0.retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from(retry_after_secs(after)));
        }
        response
    }
}

impl From<hookproof_events::DecodeError> for WebhookRejection {
    fn from(error: hookproof_events::DecodeError) -> Self {
        Self::event_decode(error)
    }
}

impl fmt::Debug for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookRejection")
            .field("status", &self.0.status.as_u16())
            .field("code", &self.0.code)
            .field("detail", &self.0.detail)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.0.title, self.0.code, self.0.detail)
    }
}

impl StdError for WebhookRejection {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(2500)), 3);
        assert_eq!(retry_after_secs(Duration::from_secs(30)), 30);
    }

    #[test]
    fn in_progress_response_has_retry_after_and_problem_type() {
        let response = WebhookRejection::in_progress(Duration::from_millis(1500)).into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(response.headers()[RETRY_AFTER], "2");
        assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
    }
}
