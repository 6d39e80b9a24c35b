//! One signed HTTP attempt.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hookproof_verify::Signer;
use reqwest::Client;
use reqwest::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};
use url::Url;

use crate::observer::AttemptResult;
use crate::policy::parse_retry_after;
use crate::{OutgoingEvent, redact, ssrf};

/// What one attempt produced.
#[derive(Debug)]
pub(super) struct Attempt {
    pub(super) result: AttemptResult,
    pub(super) retry_after: Option<Duration>,
    pub(super) location: Option<String>,
    pub(super) elapsed: Duration,
}

/// Signs (fresh timestamp, the event id as delivery id) and posts the event;
/// reads at most `max_body` bytes of the response so the connection can be
/// reused without trusting the receiver's body size.
pub(super) async fn attempt(
    client: &Client,
    url: &Url,
    signer: &Signer,
    event: &OutgoingEvent,
    max_body: usize,
) -> Attempt {
    let started = Instant::now();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let mut request = client
        .post(url.clone())
        .header(CONTENT_TYPE, "application/json")
        .body(event.payload.clone());
    for (name, value) in signer.sign(&event.id, timestamp, &event.payload) {
        request = request.header(name, value);
    }
    let (result, retry_after, location) = match request.send().await {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                    .map(str::to_owned)
            };
            let retry_after =
                header(RETRY_AFTER).and_then(|v| parse_retry_after(&v, SystemTime::now()));
            let location = header(LOCATION);
            let mut read = 0usize;
            // The status is the answer; a body that fails or times out
            // mid-way does not change it.
            while read < max_body {
                match response.chunk().await {
                    Ok(Some(chunk)) => read += chunk.len(),
                    Ok(None) | Err(_) => break,
                }
            }
            (AttemptResult::Status(status), retry_after, location)
        }
        Err(err) => (transport_error(err, url), None, None),
    };
    Attempt {
        result,
        retry_after,
        location,
        elapsed: started.elapsed(),
    }
}

/// The attempt error: a stable code and a message that never shows the URL's
/// credentials (reqwest's own text quotes the URL, so it is removed, and the
/// whole message is scrubbed in case a source quotes it too).
fn transport_error(err: reqwest::Error, url: &Url) -> AttemptResult {
    let err = err.without_url();
    let code = if let Some(blocked) = ssrf::find_blocked(&err) {
        blocked.code()
    } else if err.is_timeout() {
        "timeout"
    } else if err.is_connect() {
        "connect"
    } else if err.is_body() {
        "body"
    } else {
        "request"
    };
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(e) = source {
        message.push_str(": ");
        message.push_str(&e.to_string());
        source = e.source();
    }
    let message = redact::scrub(&message, url);
    AttemptResult::Error { code, message }
}
