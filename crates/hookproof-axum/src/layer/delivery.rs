//! One delivery through the layer: read, verify, claim, run, complete/release.

use std::future::Future;
use std::sync::Arc;
use std::task::Poll;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hookproof_idempotency::{Begin, MAX_KEY_LEN, Record};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Request, StatusCode};
use http_body::Body as _;
use sha2::{Digest, Sha256};
use tower::Service;

use super::body_id;
use super::config::Config;
use super::trace::{self, Outcome};
use crate::body::{collect_uncharged, read_limited};
use crate::claim::ClaimGuard;
use crate::extract::Delivery;
use crate::{IDEMPOTENT_REPLAYED, WebhookRejection};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What one delivery ended with: the response, its outcome for the span,
/// and the rejection code if it was refused.
pub(super) type Answer = (Response, Outcome, Option<String>);

fn reject(rejection: WebhookRejection) -> Answer {
    let code = rejection.code().to_owned();
    (rejection.into_response(), Outcome::Rejected, Some(code))
}

/// Runs one delivery (inside its span, see `ResponseFuture`).
///
/// The future is boxed once per request, so its size matters: glibc serves
/// blocks up to ~1 KiB from a per-thread cache, while a larger one takes the
/// slow path and consolidates the small-block bins on every request (the
/// 2 KiB future of an `async fn` version cost ~0.5 µs per delivery). So this
/// is an `async move` block over the already split request (an `async fn`
/// keeps its arguments in the future beside their moved copies), the request
/// is rebuilt before the store is asked, and the claim + handler step
/// ([`claim_and_call`]) and what follows a 2xx ([`settle`]) are boxed on their
/// own: three small blocks from the cache cost far less than one large one
/// (callgrind: ~50 instructions each against ~1,700 for the 1.1 KiB block).
pub(super) fn run<S, B, ResB>(
    inner: S,
    config: Arc<Config>,
    request: Request<B>,
    span: tracing::Span,
) -> impl Future<Output = Result<Answer, S::Error>>
where
    S: Service<Request<Body>, Response = Response<ResB>>,
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    let (parts, body) = request.into_parts();
    async move {
        // Everything that needs no body is checked before a byte of it is
        // read, so a forged or stale request costs no body buffer; the
        // parsed headers are then kept to verify the body with.
        let prechecked = match config.verifier.precheck(&parts.headers) {
            Ok(prechecked) => prechecked,
            Err(error) => return Ok(reject(WebhookRejection::verification(error))),
        };
        let read = read_limited(
            body,
            config.body_limit,
            config.read_timeout,
            &config.body_budget,
            config.unavailable_retry_after,
        );
        // The bytes stay charged to the budget until the delivery is answered.
        let (bytes, _charged) = match read.await {
            Ok(read) => read,
            Err(rejection) => return Ok(reject(rejection)),
        };
        let verified = match prechecked.verify(&bytes) {
            Ok(verified) => verified,
            Err(error) => return Ok(reject(WebhookRejection::verification(error))),
        };
        // `DeliveryId` checks its UTF-8 on every deref: read it once, and
        // not at all for a disabled span without a store.
        let id = || verified.id.as_deref();
        let key = match (&config.store, config.body_id_field) {
            (None, _) => None,
            (Some(_), field) => match (id(), field) {
                (Some(id), _) => Some(store_key(&verified.scheme, id)),
                (None, Some(field)) => {
                    body_id::field(&bytes, field, |id| store_key(&verified.scheme, id))
                }
                (None, None) => None,
            },
        };
        if !span.is_disabled() {
            // The header id; else the body id the key holds (or its hash).
            let key_id = || key.as_deref().map(|k| &k[verified.scheme.len() + 1..]);
            span.record("id", id().or_else(key_id));
            span.record("key_index", verified.key_index);
            trace::record_event_type(&span, &parts.headers, &bytes);
        }
        let mut request = Request::from_parts(parts, Body::from(bytes.clone()));
        request.extensions_mut().insert(Delivery {
            meta: verified,
            body: bytes,
        });
        // Boxed on its own: one future holding both steps' state would pass
        // the allocator's cache limit (see above).
        Box::pin(claim_and_call(inner, Arc::clone(&config), request, key)).await
    }
}

/// Claims the delivery in the store (when there is one and the delivery has
/// an id), runs the inner service, and settles the claim.
#[allow(
    clippy::manual_async_fn,
    reason = "an async fn keeps its arguments in the future beside their moved copies"
)]
fn claim_and_call<S, ResB>(
    mut inner: S,
    config: Arc<Config>,
    request: Request<Body>,
    key: Option<String>,
) -> impl Future<Output = Result<Answer, S::Error>>
where
    S: Service<Request<Body>, Response = Response<ResB>>,
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    async move {
        let guard = match (&config.store, key) {
            (Some(store), Some(key)) => match store.begin(&key, config.lease).await {
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
            },
            _ => None,
        };
        // One call site only: each would hold its own copy of the inner
        // service's future (320 B for an axum route) in this one.
        // On an error or a panic below, `guard` is dropped and releases the claim.
        let mut call = std::pin::pin!(inner.call(request));
        // A handler that answers at its first poll needs no lease renewal
        // (no timer, no boxed renewal future).
        let first = std::future::poll_fn(|cx| Poll::Ready(call.as_mut().poll(cx))).await;
        let response = match (first, &guard) {
            (Poll::Ready(response), _) => response?,
            // The lease is renewed while the handler runs.
            (Poll::Pending, Some(guard)) => Box::pin(guard.renewing(call, config.lease)).await?,
            (Poll::Pending, None) => call.await?,
        };
        let Some(guard) = guard else {
            // Nothing was claimed: the handler's answer is the answer.
            let outcome = if response.status().is_success() {
                Outcome::Accepted
            } else {
                Outcome::HandlerFailed
            };
            return Ok((response.map(Body::new), outcome, None));
        };
        // Boxed as well, for the same reason.
        Ok(Box::pin(settle(guard, response, &config)).await)
    }
}

/// After the handler answered: completes the claim on 2xx (storing a small
/// response for replays) or releases it.
async fn settle<ResB>(guard: ClaimGuard, response: Response<ResB>, config: &Config) -> Answer
where
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    let status = response.status();
    if !status.is_success() {
        if let Err(error) = guard.release().await {
            tracing::warn!(
                code = error.code(),
                "releasing the webhook claim failed; it expires with its lease"
            );
        }
        return (response.map(Body::new), Outcome::HandlerFailed, None);
    }

    let (parts, body) = response.into_parts();
    let body = Body::new(body);
    let small = body
        .size_hint()
        .exact()
        .is_some_and(|len| len <= config.max_replay_body as u64);
    let (stored, body) = if small {
        match collect_uncharged(body).await {
            Ok(bytes) => (Some(bytes.clone()), Body::from(bytes)),
            Err(error) => {
                tracing::warn!(%error, "reading the handler's response body failed");
                if let Err(error) = guard.release().await {
                    tracing::warn!(code = error.code(), "releasing the webhook claim failed");
                }
                return reject(WebhookRejection::response_body_failed(error));
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
    (Response::from_parts(parts, body), Outcome::Accepted, None)
}

/// The store key of a delivery: `"{scheme}:{id}"`, allocated once at its
/// size, when that is a valid store key; otherwise (an id too long for
/// [`MAX_KEY_LEN`], with control characters, or starting with `#`)
/// `"{scheme}:#{hex SHA-256 of the id}"`. A sender may send any id its
/// format allows (Standard Webhooks ids up to the 4 KiB header limit, JSON
/// ids with escapes), and each must be deduplicated, not refused. Plain ids
/// never start with `#`, so the two forms cannot collide.
fn store_key(scheme: &str, id: &str) -> String {
    let plain_len = scheme.len() + 1 + id.len();
    let usable = plain_len <= MAX_KEY_LEN
        && !id.starts_with('#')
        && !id.bytes().any(|b| b.is_ascii_control());
    if usable {
        let mut key = String::with_capacity(plain_len);
        key.push_str(scheme);
        key.push(':');
        key.push_str(id);
        key
    } else {
        let digest = Sha256::digest(id.as_bytes());
        format!("{scheme}:#{}", hex::encode(digest))
    }
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

#[cfg(test)]
mod tests {
    use super::store_key;
    use hookproof_idempotency::MAX_KEY_LEN;

    #[test]
    fn short_ids_are_kept_as_they_are() {
        assert_eq!(store_key("standard", "msg_1"), "standard:msg_1");
        let longest = "a".repeat(MAX_KEY_LEN - "standard:".len());
        assert_eq!(
            store_key("standard", &longest),
            format!("standard:{longest}")
        );
    }

    #[test]
    fn long_odd_or_hash_like_ids_are_hashed_into_a_valid_key() {
        let long = "a".repeat(MAX_KEY_LEN - "standard:".len() + 1);
        let huge = "b".repeat(4096);
        for id in [
            long.as_str(),
            huge.as_str(),
            "line\nbreak",
            "tab\there",
            "#abc",
        ] {
            let key = store_key("standard", id);
            assert!(key.starts_with("standard:#"), "{key}");
            assert_eq!(key.len(), "standard:#".len() + 64);
            assert_ne!(
                key,
                store_key("standard", &format!("{id}x")),
                "distinct ids, distinct keys"
            );
        }
        // A literal id that looks like a hashed key is hashed too.
        let hashed = store_key("standard", &long);
        let lookalike = &hashed["standard:".len()..];
        assert_ne!(store_key("standard", lookalike), hashed);
    }
}
