//! Reading the raw body once: a size limit (413 without reading the rest) and
//! a read timeout (408).

use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http_body::Body;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::WebhookRejection;
use crate::budget::{BodyBudget, Exhausted, Reservation};

/// Default body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// Default time allowed to receive the whole body: 10 seconds.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Rejects up front when `Content-Length` already says the body is too large,
/// so nothing of it is read.
pub(crate) fn check_content_length(
    headers: &HeaderMap,
    limit: usize,
) -> Result<(), WebhookRejection> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(len) if len > limit as u64 => Err(WebhookRejection::body_too_large(limit)),
        _ => Ok(()),
    }
}

/// Accepts a missing `Content-Type` (the signature already vouches for the
/// bytes) and any JSON media type (`application/json`, `application/*+json`,
/// with parameters); rejects anything else with 415.
pub(crate) fn check_json_content_type(headers: &HeaderMap) -> Result<(), WebhookRejection> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return Ok(());
    };
    let text = value.to_str().unwrap_or("");
    let essence = text
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let is_json = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"));
    if is_json {
        Ok(())
    } else {
        Err(WebhookRejection::unsupported_media_type(text))
    }
}

/// Collects `body` into one buffer, charging what it holds to `budget`:
/// stops with 413 as soon as it grows past `limit`, with 503 + `Retry-After`
/// (`busy_retry_after`) when the budget has no room for the next chunk, and
/// with 408 when it takes longer than `timeout`. The bytes stay charged until
/// the returned [`Reservation`] is dropped.
pub(crate) async fn read_limited<B>(
    body: B,
    limit: usize,
    timeout: Duration,
    budget: &BodyBudget,
    busy_retry_after: Duration,
) -> Result<(Bytes, Reservation<'_>), WebhookRejection>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut reservation = budget.reserve();
    // The declared length (within the limit) sizes the buffer once.
    let expected = body
        .size_hint()
        .exact()
        .and_then(|len| usize::try_from(len).ok())
        .filter(|&len| len <= limit)
        .unwrap_or(0);
    // `collect_data`, not `BodyExt::collect`: a single data frame (what
    // hyper yields for a small body) is kept without a copy and without
    // `Collected`'s buffer list and trailer map.
    let read = {
        let limited = std::pin::pin!(Limited::new(body, limit));
        let mut collect =
            std::pin::pin!(collect_data(limited, expected, |len| reservation.grow(len)));
        // A small body has usually arrived with the head: then it is read
        // without starting a timer (a clock read and a timer entry per delivery).
        let first = std::future::poll_fn(|cx| Poll::Ready(collect.as_mut().poll(cx))).await;
        match first {
            Poll::Ready(read) => Ok(read),
            Poll::Pending => tokio::time::timeout(timeout, collect).await,
        }
    };
    let bytes = match read {
        Err(_elapsed) => return Err(WebhookRejection::body_read_timeout(timeout)),
        Ok(Ok(bytes)) => bytes,
        Ok(Err(Collect::Charge(Exhausted))) => {
            return Err(WebhookRejection::body_budget_exhausted(
                budget.capacity(),
                busy_retry_after,
            ));
        }
        Ok(Err(Collect::Body(error))) if error.is::<LengthLimitError>() => {
            return Err(WebhookRejection::body_too_large(limit));
        }
        Ok(Err(Collect::Body(error))) => return Err(WebhookRejection::body_read_failed(error)),
    };
    Ok((bytes, reservation))
}

/// Why [`collect_data`] stopped: the body failed, or `charge` refused a chunk.
#[derive(Debug, PartialEq)]
pub(crate) enum Collect<E, C> {
    Body(E),
    Charge(C),
}

/// Collects a body into one buffer: a single data frame is kept as is (no
/// copy), several are joined into one buffer of `expected` bytes (the
/// declared length, when known, so it is allocated once) that grows if
/// needed; trailers are ignored. What is held is passed to `charge` as it
/// grows — the first frame's length, then the joined buffer's *capacity* —
/// so a budget counts the memory really allocated, growth slack included;
/// `charge` may refuse it. Holds far less state across its await than
/// `BodyExt::collect` (no trailer map), which keeps the boxed per-delivery
/// future small.
pub(crate) async fn collect_data<B, C>(
    mut body: B,
    expected: usize,
    mut charge: impl FnMut(usize) -> Result<(), C>,
) -> Result<Bytes, Collect<B::Error, C>>
where
    B: Body<Data = Bytes> + Unpin,
{
    let mut first = Bytes::new();
    let mut joined: Option<BytesMut> = None;
    let mut charged = 0;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(Collect::Body)?.into_data() else {
            continue;
        };
        if data.is_empty() {
            continue;
        }
        let held = match &mut joined {
            Some(buf) => {
                buf.reserve(data.len());
                buf.capacity()
            }
            None if first.is_empty() => data.len(),
            None => expected.max(first.len() + data.len()),
        };
        if held > charged {
            charge(held - charged).map_err(Collect::Charge)?;
            charged = held;
        }
        match &mut joined {
            Some(buf) => buf.extend_from_slice(&data),
            None if first.is_empty() => first = data,
            None => {
                let mut buf = BytesMut::with_capacity(held);
                buf.extend_from_slice(&first);
                buf.extend_from_slice(&data);
                joined = Some(buf);
            }
        }
    }
    Ok(joined.map_or(first, BytesMut::freeze))
}

/// [`collect_data`] without a charge, for bodies we produce ourselves.
pub(crate) async fn collect_uncharged<B>(body: B) -> Result<Bytes, B::Error>
where
    B: Body<Data = Bytes> + Unpin,
{
    match collect_data(body, 0, |_| Ok::<(), std::convert::Infallible>(())).await {
        Ok(bytes) => Ok(bytes),
        Err(Collect::Body(error)) => Err(error),
        Err(Collect::Charge(never)) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderValue, StatusCode};
    use http_body_util::{Full, StreamBody};

    const RETRY: Duration = Duration::from_secs(2);

    #[test]
    fn content_length_precheck() {
        let mut headers = HeaderMap::new();
        assert!(check_content_length(&headers, 10).is_ok());
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("10"));
        assert!(check_content_length(&headers, 10).is_ok());
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("11"));
        let err = check_content_length(&headers, 10).expect_err("too large");
        assert_eq!(err.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn json_content_types() {
        let mut headers = HeaderMap::new();
        assert!(check_json_content_type(&headers).is_ok());
        for ok in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/cloudevents+json",
        ] {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(ok));
            assert!(check_json_content_type(&headers).is_ok(), "{ok}");
        }
        for bad in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/jsonx",
        ] {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(bad));
            let err = check_json_content_type(&headers).expect_err(bad);
            assert_eq!(err.code(), "unsupported_media_type");
        }
    }

    #[tokio::test]
    async fn reads_within_limit() {
        let budget = BodyBudget::new(5);
        let (bytes, held) = read_limited(
            Full::new(Bytes::from_static(b"hello")),
            5,
            DEFAULT_READ_TIMEOUT,
            &budget,
            RETRY,
        )
        .await
        .expect("fits");
        assert_eq!(budget.in_use(), 5, "charged while the delivery is held");
        drop(held);
        assert_eq!(budget.in_use(), 0);
        assert_eq!(&bytes[..], b"hello");
    }

    #[tokio::test]
    async fn stops_past_limit_without_reading_the_rest() {
        // An endless stream: the read must stop at the limit, not hang.
        let chunks = futures_util::stream::repeat_with(|| {
            Ok::<_, std::convert::Infallible>(http_body::Frame::data(Bytes::from_static(
                &[0u8; 1024],
            )))
        });
        let budget = BodyBudget::default();
        let err = read_limited(
            StreamBody::new(chunks),
            4096,
            DEFAULT_READ_TIMEOUT,
            &budget,
            RETRY,
        )
        .await
        .expect_err("too large");
        assert_eq!(err.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(budget.in_use(), 0, "a refused body gives its bytes back");
    }

    #[tokio::test]
    async fn a_body_past_the_budget_is_503_and_gives_its_bytes_back() {
        let budget = BodyBudget::new(3000);
        let mut other = budget.reserve();
        other.grow(1000).expect("fits");
        let chunks = futures_util::stream::iter((0..3).map(|_| {
            Ok::<_, std::convert::Infallible>(http_body::Frame::data(Bytes::from_static(
                &[0u8; 1024],
            )))
        }));
        let err = read_limited(
            StreamBody::new(chunks),
            1 << 20,
            DEFAULT_READ_TIMEOUT,
            &budget,
            RETRY,
        )
        .await
        .expect_err("past the budget");
        assert_eq!(err.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(err.code(), "body_budget_exhausted");
        assert_eq!(err.retry_after(), Some(RETRY));
        assert_eq!(budget.in_use(), 1000, "only the other delivery's bytes");
    }

    #[tokio::test]
    async fn collect_data_keeps_one_frame_and_joins_several() {
        let one = Bytes::from_static(b"single");
        let got = collect_uncharged(Full::new(one.clone())).await.expect("ok");
        assert_eq!(got, one);
        assert_eq!(got.as_ptr(), one.as_ptr(), "one frame is not copied");

        let frames = [
            Ok::<_, std::convert::Infallible>(http_body::Frame::data(Bytes::from_static(b"ab"))),
            Ok(http_body::Frame::data(Bytes::new())),
            Ok(http_body::Frame::data(Bytes::from_static(b"cd"))),
            Ok(http_body::Frame::trailers(HeaderMap::new())),
            Ok(http_body::Frame::data(Bytes::from_static(b"e"))),
        ];
        let body = StreamBody::new(futures_util::stream::iter(frames));
        assert_eq!(&collect_uncharged(body).await.expect("ok")[..], b"abcde");

        let empty = collect_uncharged(http_body_util::Empty::<Bytes>::new()).await;
        assert!(empty.expect("ok").is_empty());
    }

    #[tokio::test]
    async fn collect_data_charges_what_it_allocates() {
        let frames = || {
            StreamBody::new(futures_util::stream::iter((0..3).map(|_| {
                Ok::<_, std::convert::Infallible>(http_body::Frame::data(Bytes::from_static(
                    &[7u8; 1000],
                )))
            })))
        };
        // The declared length sizes the joined buffer once: charged exactly.
        let mut charges = Vec::new();
        let got = collect_data(frames(), 3000, |n| {
            charges.push(n);
            Ok::<(), ()>(())
        })
        .await
        .expect("ok");
        assert_eq!((got.len(), charges.as_slice()), (3000, &[1000, 2000][..]));
        // Unknown length: the buffer's growth slack is charged too.
        let mut total = 0;
        let got = collect_data(frames(), 0, |n| {
            total += n;
            Ok::<(), ()>(())
        })
        .await
        .expect("ok");
        assert_eq!(got.len(), 3000);
        assert!(total >= 3000, "charged {total}");
    }

    #[tokio::test]
    async fn collect_data_reports_the_body_error() {
        let frames = [
            Ok(http_body::Frame::data(Bytes::from_static(b"ab"))),
            Err("broken"),
        ];
        let body = StreamBody::new(futures_util::stream::iter(frames));
        assert_eq!(collect_uncharged(body).await, Err("broken"));
    }

    #[tokio::test(start_paused = true)]
    async fn body_arriving_late_within_the_timeout_is_read() {
        use futures_util::StreamExt;
        // One frame now, the next 4 s later: the first poll is pending, so
        // the read goes on under the 5 s timer and completes.
        let now = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(
            http_body::Frame::data(Bytes::from_static(b"ab")),
        )]);
        let later = futures_util::stream::once(async {
            tokio::time::sleep(Duration::from_secs(4)).await;
            Ok(http_body::Frame::data(Bytes::from_static(b"cd")))
        });
        let started = tokio::time::Instant::now();
        let budget = BodyBudget::default();
        let (bytes, _held) = read_limited(
            StreamBody::new(now.chain(later)),
            1024,
            Duration::from_secs(5),
            &budget,
            RETRY,
        )
        .await
        .expect("arrives in time");
        assert_eq!(&bytes[..], b"abcd");
        assert_eq!(started.elapsed(), Duration::from_secs(4));
    }

    #[tokio::test(start_paused = true)]
    async fn slow_body_times_out() {
        let pending = futures_util::stream::pending::<
            Result<http_body::Frame<Bytes>, std::convert::Infallible>,
        >();
        let budget = BodyBudget::default();
        let err = read_limited(
            StreamBody::new(pending),
            1024,
            Duration::from_secs(5),
            &budget,
            RETRY,
        )
        .await
        .expect_err("timeout");
        assert_eq!(err.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(err.code(), "body_read_timeout");
    }
}
