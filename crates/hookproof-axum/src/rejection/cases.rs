//! The constructors of [`WebhookRejection`], one per refusal.

use std::time::Duration;

use http::StatusCode;

use super::WebhookRejection;
use super::pointer::{dotted_to_pointer, json_pointer};
use super::problem::BoxError;

impl WebhookRejection {
    /// 400 or 401 from a failed signature check: 400 for missing or malformed
    /// headers and for a blank delivery id (`invalid_delivery_id`), 401 for
    /// everything else (fail closed).
    pub fn verification(error: hookproof_verify::VerifyError) -> Self {
        let code = error.code();
        let (status, title) = match code {
            "missing_header" | "malformed_header" => (
                StatusCode::BAD_REQUEST,
                "Webhook signature headers are missing or malformed",
            ),
            "invalid_delivery_id" => (StatusCode::BAD_REQUEST, "Invalid webhook delivery id"),
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

    /// 503 + `Retry-After`: the layer's [`BodyBudget`](crate::BodyBudget) of
    /// `budget` bytes has no room for this body now (too many bodies are
    /// being read at once). Nothing was processed; the sender retries.
    pub fn body_budget_exhausted(budget: usize, retry_after: Duration) -> Self {
        let mut rejection = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "body_budget_exhausted",
            "Too many webhook bodies in flight",
            format!(
                "the {budget}-byte budget for bodies being read at once is used up; retry later"
            ),
        );
        rejection.0.retry_after = Some(retry_after);
        rejection
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

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
    fn unsupported_media_type_caps_echo() {
        let long = "x".repeat(500);
        let r = WebhookRejection::unsupported_media_type(&long);
        assert!(r.detail().len() < 200);
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}
