//! One delivery through the layer: read, verify, claim, run, complete/release.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hookproof_idempotency::{Begin, Record};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Request, StatusCode};
use http_body::Body as _;
use http_body_util::BodyExt;
use tower::Service;
use tracing::Instrument;

use super::config::Config;
use super::trace::{self, Outcome};
use crate::body::read_limited;
use crate::claim::ClaimGuard;
use crate::extract::Delivery;
use crate::{IDEMPOTENT_REPLAYED, WebhookRejection};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Runs one delivery inside its span and traces how it ended.
pub(super) async fn handle<S, B, ResB>(
    inner: S,
    config: Arc<Config>,
    request: Request<B>,
) -> Result<Response, S::Error>
where
    S: Service<Request<Body>, Response = Response<ResB>>,
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    let started = Instant::now();
    let span = trace::delivery_span(&config);
    let result = run(inner, &config, request, &span)
        .instrument(span.clone())
        .await;
    match &result {
        Ok((response, outcome, code)) => {
            trace::finish(&span, started, *outcome, response.status(), code.as_deref())
        }
        Err(_) => trace::finish(
            &span,
            started,
            Outcome::HandlerFailed,
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
        ),
    }
    result.map(|(response, _, _)| response)
}

type Answer = (Response, Outcome, Option<String>);

fn reject(rejection: WebhookRejection) -> Answer {
    let code = rejection.code().to_owned();
    (rejection.into_response(), Outcome::Rejected, Some(code))
}

async fn run<S, B, ResB>(
    mut inner: S,
    config: &Config,
    request: Request<B>,
    span: &tracing::Span,
) -> Result<Answer, S::Error>
where
    S: Service<Request<Body>, Response = Response<ResB>>,
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    let (parts, body) = request.into_parts();
    let bytes = match read_limited(body, config.body_limit, config.read_timeout).await {
        Ok(bytes) => bytes,
        Err(rejection) => return Ok(reject(rejection)),
    };
    let verified = match config.verifier.verify(&parts.headers, &bytes) {
        Ok(verified) => verified,
        Err(error) => return Ok(reject(WebhookRejection::verification(error))),
    };
    span.record("id", verified.id.as_deref());
    span.record("key_index", verified.key_index);
    trace::record_event_type(span, &parts.headers, &bytes);

    let guard = match (&config.store, &verified.id) {
        (Some(store), Some(id)) => {
            let key = format!("{}:{id}", verified.scheme);
            match store.begin(&key, config.lease).await {
                Ok(Begin::Acquired(claim)) => Some(ClaimGuard::new(Arc::clone(store), claim)),
                Ok(Begin::InProgress { retry_after }) => {
                    return Ok(reject(WebhookRejection::in_progress(retry_after)));
                }
                Ok(Begin::Completed(record)) => {
                    return Ok((replay(record), Outcome::Replayed, None));
                }
                Err(error) => {
                    return Ok(reject(WebhookRejection::store_failure(
                        error,
                        config.unavailable_retry_after,
                    )));
                }
            }
        }
        _ => None,
    };

    let mut request = Request::from_parts(parts, Body::from(bytes.clone()));
    request.extensions_mut().insert(Delivery {
        meta: verified,
        body: bytes,
    });
    // On an error or a panic below, `guard` is dropped and releases the claim.
    let response = inner.call(request).await?;
    let status = response.status();
    let Some(guard) = guard else {
        let outcome = if status.is_success() {
            Outcome::Accepted
        } else {
            Outcome::HandlerFailed
        };
        return Ok((response.map(Body::new), outcome, None));
    };
    if !status.is_success() {
        if let Err(error) = guard.release().await {
            tracing::warn!(
                code = error.code(),
                "releasing the webhook claim failed; it expires with its lease"
            );
        }
        return Ok((response.map(Body::new), Outcome::HandlerFailed, None));
    }

    let (parts, body) = response.into_parts();
    let body = Body::new(body);
    let small = body
        .size_hint()
        .exact()
        .is_some_and(|len| len <= config.max_replay_body as u64);
    let (stored, body) = if small {
        match body.collect().await {
            Ok(collected) => {
                let bytes = collected.to_bytes();
                (Some(bytes.clone()), Body::from(bytes))
            }
            Err(error) => {
                tracing::warn!(%error, "reading the handler's response body failed");
                if let Err(error) = guard.release().await {
                    tracing::warn!(code = error.code(), "releasing the webhook claim failed");
                }
                return Ok(reject(WebhookRejection::response_body_failed(error)));
            }
        }
    } else {
        (None, body)
    };
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let record = Record {
        status: status.as_u16(),
        body: stored,
        content_type,
    };
    if let Err(error) = guard.complete(record, config.record_ttl).await {
        // The handler's work is done: answer its 2xx so the sender stops
        // retrying; a retry that still arrives will run the handler again.
        tracing::warn!(
            code = error.code(),
            "recording the completed webhook delivery failed"
        );
    }
    Ok((Response::from_parts(parts, body), Outcome::Accepted, None))
}

/// The answer to a duplicate of a completed delivery.
fn replay(record: Record) -> Response {
    let status = StatusCode::from_u16(record.status).unwrap_or(StatusCode::OK);
    let mut response = (status, record.body.unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    match record.content_type.as_deref().map(HeaderValue::from_str) {
        Some(Ok(value)) => {
            headers.insert(CONTENT_TYPE, value);
        }
        _ => {
            headers.remove(CONTENT_TYPE);
        }
    }
    headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    response
}
