//! [`WebhookRejection`]: why a delivery was refused, rendered as RFC 9457
//! `application/problem+json`.

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

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

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
/// | 400 | the verifier's code, e.g. `missing_header`, `malformed_header` | signature headers missing or unparsable |
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
pub struct WebhookRejection(Box<Inner>);

/// Boxed so `Result<_, WebhookRejection>` stays one pointer wide on the happy path.
struct Inner {
    status: StatusCode,
    code: Cow<'static, str>,
    title: &'static str,
    detail: String,
    pointer: Option<String>,
    hint: Option<&'static str>,
    retry_after: Option<Duration>,
    source: Option<BoxError>,
}

impl WebhookRejection {
    fn new(
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

    fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    /// 400 or 401 from a failed signature check: 400 for missing or malformed
    /// headers, 401 for everything else (fail closed).
    pub fn verification(error: hookproof_verify::VerifyError) -> Self {
        let code = error.code();
        let (status, title) = match code {
            "missing_header" | "malformed_header" => (
                StatusCode::BAD_REQUEST,
                "Webhook signature headers are missing or malformed",
            ),
            _ => (
                StatusCode::UNAUTHORIZED,
                "Webhook signature verification failed",
            ),
        };
        let mut rejection = Self::new(status, code, title, error.to_string());
        rejection.0.hint = Some(error.hint());
        rejection.with_source(error)
    }

    /// 413: the body is larger than `limit` bytes.
    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "Webhook body too large",
            format!("the body exceeds the limit of {limit} bytes"),
        )
    }

    /// 408: the body did not arrive within `timeout`.
    pub fn body_read_timeout(timeout: Duration) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_read_timeout",
            "Webhook body read timed out",
            format!(
                "the body was not received within {} ms",
                timeout.as_millis()
            ),
        )
    }

    /// 400: reading the body failed (connection reset, bad chunk framing).
    pub fn body_read_failed(source: impl Into<BoxError>) -> Self {
        let source = source.into();
        Self::new(
            StatusCode::BAD_REQUEST,
            "body_read_failed",
            "Webhook body could not be read",
            format!("reading the body failed: {source}"),
        )
        .with_source(source)
    }

    /// 415: `Content-Type` is present and is not JSON.
    pub fn unsupported_media_type(content_type: &str) -> Self {
        // The header is sender-controlled: cap what we echo back.
        let shown: String = content_type.chars().take(64).collect();
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Webhook body is not JSON",
            format!("expected `application/json` (or a `+json` type), got `{shown}`"),
        )
    }

    /// 400 (syntax error) or 422 (valid JSON that is not the expected event,
    /// with a JSON `pointer` to the field) from decoding the body.
    pub fn decode(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let pointer = json_pointer(error.path());
        let inner = error.into_inner();
        if inner.is_data() {
            let mut rejection = Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_event",
                "Webhook body is not the expected event",
                format!(
                    "at `{}`: {inner}",
                    if pointer.is_empty() { "/" } else { &pointer }
                ),
            );
            rejection.0.pointer = Some(pointer);
            rejection.with_source(inner)
        } else {
            Self::malformed_json(inner)
        }
    }

    /// 400 `malformed_json` or 422 `invalid_event` (with `pointer`) from
    /// [`hookproof_events::decode`]'s error, for handlers that take a
    /// [`VerifiedBody`](crate::VerifiedBody) and decode any supported shape
    /// themselves. Also available as `From`, so `?` works.
    ///
    /// # Examples
    ///
    /// ```
    /// use hookproof_axum::WebhookRejection;
    ///
    /// let body = br#"{"id":"evt_1","type":"budget.threshold_reached","timestamp":"2026-11-22T10:00:00Z",
    ///   "version":"2026-11-01","data":{"org_id":"o","usage_percent":"eighty","limit_type":"monthly",
    ///   "current_spend":80.0,"budget_limit":100.0,"currency":"USD"}}"#;
    /// let error = hookproof_events::decode(body).unwrap_err();
    /// let rejection = WebhookRejection::from(error);
    /// assert_eq!(rejection.status(), 422);
    /// assert_eq!(rejection.pointer(), Some("/data/usage_percent"));
    /// ```
    pub fn event_decode(error: hookproof_events::DecodeError) -> Self {
        let Some(path) = error.path() else {
            let status = if error.code() == "invalid_json" {
                (
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                    "Webhook body is not valid JSON",
                )
            } else {
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_event",
                    "Webhook body is not the expected event",
                )
            };
            let detail = error.to_string();
            return Self::new(status.0, status.1, status.2, detail).with_source(error);
        };
        let pointer = dotted_to_pointer(path);
        let mut rejection = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_event",
            "Webhook body is not the expected event",
            error.to_string(),
        );
        rejection.0.pointer = Some(pointer);
        rejection.with_source(error)
    }

    /// 400: the body is not JSON (syntax error, trailing bytes, bad UTF-8).
    pub fn malformed_json(error: serde_json::Error) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            "Webhook body is not valid JSON",
            format!("the body is not valid JSON: {error}"),
        )
        .with_source(error)
    }

    /// 500: the handler's response body failed while it was buffered for the
    /// idempotency record; the claim was released.
    pub fn response_body_failed(source: impl Into<BoxError>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "response_body_failed",
            "Webhook handler response failed",
            "the handler's response body failed while it was read; the delivery can be retried"
                .to_owned(),
        )
        .with_source(source)
    }

    /// 409 + `Retry-After`: the same delivery id is being processed right now.
    pub fn in_progress(retry_after: Duration) -> Self {
        let mut rejection = Self::new(
            StatusCode::CONFLICT,
            "delivery_in_progress",
            "Webhook delivery already in progress",
            "a delivery with this id is being processed; retry later".to_owned(),
        );
        rejection.0.retry_after = Some(retry_after);
        rejection
    }

    /// From a failed `begin` on the idempotency store: 400
    /// `invalid_delivery_id` when the sender's delivery id cannot be a key
    /// (too long, control characters), otherwise 503 `store_unavailable` +
    /// `Retry-After` (the store's own hint when it has one, else
    /// `default_retry_after`): the delivery is refused rather than maybe run twice.
    pub fn store_failure(
        error: hookproof_idempotency::StoreError,
        default_retry_after: Duration,
    ) -> Self {
        use hookproof_idempotency::StoreError;
        if let StoreError::InvalidKey { reason } = &error {
            let detail = format!("the delivery id cannot be used as an idempotency key: {reason}");
            return Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_delivery_id",
                "Invalid webhook delivery id",
                detail,
            )
            .with_source(error);
        }
        let mut rejection = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store_unavailable",
            "Idempotency store unavailable",
            format!(
                "the idempotency store failed ({}); retry later",
                error.code()
            ),
        );
        rejection.0.retry_after = Some(error.retry_after().unwrap_or(default_retry_after));
        rejection.with_source(error)
    }

    /// 500: a layer-only extractor ran on a route without the layer.
    pub fn missing_layer() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "missing_webhook_layer",
            "Webhook layer missing",
            "this route uses a webhook extractor that needs `WebhookLayer` (or `FromState` with a verifier in the router state)"
                .to_owned(),
        )
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

/// Turns a dotted path (`data.items[0].name` or `data.items.0.name`) into
/// an RFC 6901 JSON pointer (`/data/items/0/name`).
fn dotted_to_pointer(path: &str) -> String {
    let mut pointer = String::new();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let mut parts = segment.split('[');
        if let Some(key) = parts.next().filter(|k| !k.is_empty()) {
            pointer.push('/');
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        }
        for index in parts {
            pointer.push('/');
            pointer.push_str(index.trim_end_matches(']'));
        }
    }
    pointer
}

/// Turns a serde path (`data.usage[0]`) into an RFC 6901 JSON pointer (`/data/usage/0`).
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => {}
        }
    }
    pointer
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

    fn decode_err(json: &str) -> WebhookRejection {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Event {
            data: Data,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Data {
            items: Vec<u32>,
        }
        let de = &mut serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, Event>(de).expect_err("must fail");
        WebhookRejection::decode(err)
    }

    #[test]
    fn data_error_is_422_with_pointer() {
        let r = decode_err(r#"{"data":{"items":[1,"x"]}}"#);
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.code(), "invalid_event");
        assert_eq!(r.pointer(), Some("/data/items/1"));
        assert!(r.source().is_some());
        let problem = r.to_problem();
        assert_eq!(problem["pointer"], "/data/items/1");
        assert_eq!(
            problem["type"],
            "https://hookproof.dev/problems/invalid_event"
        );
        assert_eq!(problem["status"], 422);
    }

    #[test]
    fn syntax_error_is_400() {
        let r = decode_err(r#"{"data": "#);
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert_eq!(r.code(), "malformed_json");
        assert_eq!(r.pointer(), None);
    }

    #[test]
    fn pointer_escapes_rfc6901() {
        let mut path_json = serde_json::Deserializer::from_str(r#"{"a/b~c": "x"}"#);
        let err = serde_path_to_error::deserialize::<_, std::collections::HashMap<String, u8>>(
            &mut path_json,
        )
        .expect_err("must fail");
        assert_eq!(json_pointer(err.path()), "/a~1b~0c");
    }

    #[test]
    fn dotted_paths_become_pointers() {
        assert_eq!(
            dotted_to_pointer("data.usage_percent"),
            "/data/usage_percent"
        );
        assert_eq!(
            dotted_to_pointer("data.items[3].name"),
            "/data/items/3/name"
        );
        assert_eq!(dotted_to_pointer("a/b"), "/a~1b");
        assert_eq!(dotted_to_pointer(""), "");
    }

    #[test]
    fn event_decode_errors_map_to_400_and_422() {
        let r = WebhookRejection::from(hookproof_events::decode(b"{nope").expect_err("not json"));
        assert_eq!(
            (r.status(), r.code()),
            (StatusCode::BAD_REQUEST, "malformed_json")
        );
        let r = WebhookRejection::from(hookproof_events::decode(b"[1]").expect_err("no shape"));
        assert_eq!(
            (r.status(), r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_event")
        );
        assert_eq!(r.pointer(), None);
    }

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

    #[test]
    fn unsupported_media_type_caps_echo() {
        let long = "x".repeat(500);
        let r = WebhookRejection::unsupported_media_type(&long);
        assert!(r.detail().len() < 200);
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}
