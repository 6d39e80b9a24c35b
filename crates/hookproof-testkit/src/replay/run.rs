//! Sending fixtures through a tower service and collecting the answers.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use hookproof_verify::Signer;
use http::{HeaderMap, Request, Response, StatusCode, Uri};
use http_body::Body;
use http_body_util::{BodyExt as _, Full, Limited};
use tower::{Service, ServiceExt as _};

use super::report::{FixtureResult, Outcome, ReplayReport};
use crate::fixture::{DEFAULT_PATH, Fixture};

/// The request body type replays use: the whole fixture body in one chunk.
///
/// An axum `Router`, a service behind `WebhookLayer` and hyper's client all
/// accept `http::Request<ReplayBody>`.
pub type ReplayBody = Full<Bytes>;

/// Boxed error of a service or a response body.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The response header a receiver sets on an answer replayed from its
/// idempotency store (the handler did not run again).
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// Response bodies are read up to this many bytes (1 MiB).
const MAX_RESPONSE_BODY: usize = 1024 * 1024;

/// Why one delivery got no answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The service failed (for an HTTP client: connect or I/O error).
    #[error("service error: {0}")]
    Service(#[source] BoxError),
    /// The response body could not be read, or exceeded 1 MiB.
    #[error("reading the response body failed: {0}")]
    Body(#[source] BoxError),
    /// No answer within the replayer's timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
}

impl SendError {
    /// A stable machine-readable code for the error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Service(_) => "service_error",
            Self::Body(_) => "body_error",
            Self::Timeout(_) => "timeout",
        }
    }
}

/// A receiver's answer to one delivery, with its body read.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body (at most 1 MiB).
    pub body: Bytes,
}

impl Answer {
    /// Whether the answer carries `Idempotent-Replayed: true`.
    #[must_use]
    pub fn replayed(&self) -> bool {
        self.headers
            .get(REPLAYED_HEADER)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"))
    }

    /// The machine code of an error answer whose body is JSON (RFC 9457
    /// problem details): its `code` member, or else the last path segment
    /// of its `type` URI. `None` for success answers.
    #[must_use]
    pub fn problem_code(&self) -> Option<String> {
        if self.status.as_u16() < 400 {
            return None;
        }
        let value: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        if let Some(code) = value.get("code").and_then(serde_json::Value::as_str) {
            return Some(code.to_owned());
        }
        let kind = value.get("type").and_then(serde_json::Value::as_str)?;
        let last = kind.trim_end_matches('/').rsplit(['/', '#']).next()?;
        (!last.is_empty() && kind != "about:blank").then(|| last.to_owned())
    }

    fn outcome(&self) -> Outcome {
        Outcome::Answered {
            status: self.status.as_u16(),
            problem: self.problem_code(),
            replayed: self.replayed(),
        }
    }
}

/// Sends fixtures, re-signed, through a tower service (an axum `Router`, a
/// service wrapped in `WebhookLayer`, or an HTTP client service) and reports
/// what came back.
///
/// Defaults: requests go to [`DEFAULT_PATH`] (`/webhooks`), are signed at the
/// system clock's current time, and each answer must arrive within 30 s.
///
/// `Debug` shows the target URI without userinfo or query values (`***`),
/// and no secret.
#[derive(Clone)]
pub struct Replayer {
    signer: Signer,
    uri: Uri,
    now: Option<SystemTime>,
    timeout: Duration,
}

impl std::fmt::Debug for Replayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Destructured, so a new field cannot be left out of the output.
        let Self {
            signer,
            uri,
            now,
            timeout,
        } = self;
        f.debug_struct("Replayer")
            .field("signer", signer)
            .field("uri", &RedactedUri(uri))
            .field("now", now)
            .field("timeout", timeout)
            .finish()
    }
}

/// A URI shown without the credentials it may carry: userinfo becomes
/// `***`, every query value `***` (the format of `hookproof-emitter`'s
/// `RedactedUrl`, which this crate cannot depend on).
struct RedactedUri<'a>(&'a Uri);

impl std::fmt::Debug for RedactedUri<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let uri = self.0;
        let mut shown = String::new();
        if let Some(scheme) = uri.scheme_str() {
            shown.push_str(scheme);
            shown.push_str("://");
        }
        if let Some(authority) = uri.authority() {
            let host_port = match authority.as_str().rsplit_once('@') {
                Some((userinfo, host_port)) => {
                    shown.push_str(if userinfo.contains(':') {
                        "***:***@"
                    } else {
                        "***@"
                    });
                    host_port
                }
                None => authority.as_str(),
            };
            shown.push_str(host_port);
        }
        shown.push_str(uri.path());
        if let Some(query) = uri.query() {
            shown.push('?');
            for (i, item) in query.split('&').enumerate() {
                if i > 0 {
                    shown.push('&');
                }
                match item.split_once('=') {
                    Some((key, _)) => {
                        shown.push_str(key);
                        shown.push_str("=***");
                    }
                    None if item.is_empty() => {}
                    None => shown.push_str("***"),
                }
            }
        }
        std::fmt::Debug::fmt(&shown, f)
    }
}

impl Replayer {
    /// A replayer signing with `signer`.
    #[must_use]
    pub fn new(signer: Signer) -> Self {
        Self {
            signer,
            uri: Uri::from_static(DEFAULT_PATH),
            now: None,
            timeout: Duration::from_secs(30),
        }
    }

    /// Sends to this URI: a path for an in-process service, or an absolute
    /// URL for an HTTP client service.
    #[must_use]
    pub fn uri(mut self, uri: Uri) -> Self {
        self.uri = uri;
        self
    }

    /// Signs every request with this timestamp instead of the current time
    /// (to test a receiver's clock tolerance).
    #[must_use]
    pub fn at(mut self, now: SystemTime) -> Self {
        self.now = Some(now);
        self
    }

    /// How long to wait for each answer (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The signer.
    #[must_use]
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// The signed request for `fixture` with delivery id `id`.
    #[must_use]
    pub fn request(&self, fixture: &Fixture, id: &str) -> Request<Bytes> {
        let now = self.now.unwrap_or_else(SystemTime::now);
        fixture.signed_request_with(&self.signer, now, id, &self.uri)
    }

    /// Delivers `fixture` once with delivery id `id` and reads the answer.
    ///
    /// # Errors
    ///
    /// [`SendError`] when the service fails, the body cannot be read, or no
    /// answer comes within the timeout.
    pub async fn send<S, R>(
        &self,
        service: &mut S,
        fixture: &Fixture,
        id: &str,
    ) -> Result<Answer, SendError>
    where
        S: Service<Request<ReplayBody>, Response = Response<R>>,
        S::Error: Into<BoxError>,
        R: Body,
        R::Error: Into<BoxError>,
    {
        let request = self.request(fixture, id).map(ReplayBody::new);
        let exchange = async {
            let response = service
                .ready()
                .await
                .map_err(|e| SendError::Service(e.into()))?
                .call(request)
                .await
                .map_err(|e| SendError::Service(e.into()))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, MAX_RESPONSE_BODY)
                .collect()
                .await
                .map_err(SendError::Body)?
                .to_bytes();
            Ok(Answer {
                status: parts.status,
                headers: parts.headers,
                body,
            })
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| SendError::Timeout(self.timeout))?
    }

    /// Replays every fixture in order, each with its own
    /// [delivery id](Fixture::delivery_id), and reports the answers.
    pub async fn run<S, R>(&self, service: S, fixtures: &[Fixture]) -> ReplayReport
    where
        S: Service<Request<ReplayBody>, Response = Response<R>>,
        S::Error: Into<BoxError>,
        R: Body,
        R::Error: Into<BoxError>,
    {
        self.run_with(service, fixtures, |_| {}).await
    }

    /// Like [`Replayer::run`], calling `on_result` after each fixture (for
    /// a progress bar).
    pub async fn run_with<S, R, F>(
        &self,
        mut service: S,
        fixtures: &[Fixture],
        mut on_result: F,
    ) -> ReplayReport
    where
        S: Service<Request<ReplayBody>, Response = Response<R>>,
        S::Error: Into<BoxError>,
        R: Body,
        R::Error: Into<BoxError>,
        F: FnMut(&FixtureResult),
    {
        let mut results = Vec::with_capacity(fixtures.len());
        for fixture in fixtures {
            let id = fixture.delivery_id();
            let outcome = match self.send(&mut service, fixture, &id).await {
                Ok(answer) => answer.outcome(),
                Err(err) => Outcome::Failed {
                    error: err.to_string(),
                },
            };
            let result =
                FixtureResult::new(fixture.name.clone(), id, fixture.expected_status, outcome);
            on_result(&result);
            results.push(result);
        }
        ReplayReport::new(results)
    }
}

/// Replays `fixtures` in order through `service`, re-signed by `signer` at
/// the current time, to [`DEFAULT_PATH`]; see [`Replayer`] for options.
///
/// Works with any `tower::Service<http::Request<ReplayBody>>` (an axum
/// `Router` included) whose response body implements `http_body::Body`:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hookproof_testkit::{Fixture, replay};
/// use hookproof_verify::{Scheme, Secret, Signer};
///
/// // A stand-in receiver that rejects bodies without an "id".
/// let service = tower::service_fn(|req: http::Request<hookproof_testkit::ReplayBody>| async move {
///     use http_body_util::BodyExt as _;
///     let body = req.into_body().collect().await?.to_bytes();
///     let ok = serde_json::from_slice::<serde_json::Value>(&body)?.get("id").is_some();
///     let status = if ok { 204 } else { 422 };
///     let response = http::Response::builder().status(status).body(String::new())?;
///     Ok::<_, Box<dyn std::error::Error + Send + Sync>>(response)
/// });
///
/// let signer = Signer::new(Scheme::StandardWebhooks, Secret::from_utf8("test secret")?);
/// let fixtures = [
///     Fixture::json("ok", serde_json::json!({"id": "evt_1"})).with_expected_status(204),
///     Fixture::json("no-id", serde_json::json!({})).with_expected_status(204),
/// ];
/// let report = replay(service, &signer, &fixtures).await;
/// assert!(report.get("ok").is_some_and(|r| r.passed()));
/// assert_eq!(report.get("no-id").and_then(|r| r.status()), Some(422));
/// # Ok(())
/// # }
/// ```
pub async fn replay<S, R>(service: S, signer: &Signer, fixtures: &[Fixture]) -> ReplayReport
where
    S: Service<Request<ReplayBody>, Response = Response<R>>,
    S::Error: Into<BoxError>,
    R: Body,
    R::Error: Into<BoxError>,
{
    Replayer::new(signer.clone()).run(service, fixtures).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_uri_credentials_and_the_secret() {
        let secret = hookproof_verify::Secret::from_utf8("k3y-s3cret").unwrap();
        let signer = Signer::new(hookproof_verify::Scheme::StandardWebhooks, secret);
        let cases = [
            (
                "https://user:pa55@staging.example.com:8443/in?token=s3cret&x=1",
                "https://***:***@staging.example.com:8443/in?token=***&x=***",
            ),
            ("http://tok3n@[::1]/in?s3cret", "http://***@[::1]/in?***"),
            ("/webhooks", "/webhooks"),
        ];
        for (uri, want) in cases {
            let replayer = Replayer::new(signer.clone()).uri(uri.parse().unwrap());
            let shown = format!("{replayer:?}");
            assert!(shown.contains(&format!("uri: {want:?}")), "{shown}");
            for secret in ["pa55", "s3cret", "tok3n"] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn problem_code_reads_code_then_type() {
        assert_eq!(
            answer(401, r#"{"code":"signature_mismatch"}"#)
                .problem_code()
                .as_deref(),
            Some("signature_mismatch")
        );
        assert_eq!(
            answer(
                400,
                r#"{"type":"https://hookproof.dev/problems/missing_header"}"#
            )
            .problem_code()
            .as_deref(),
            Some("missing_header")
        );
        assert_eq!(
            answer(400, r#"{"type":"about:blank"}"#).problem_code(),
            None
        );
        assert_eq!(answer(500, "oops").problem_code(), None);
        assert_eq!(answer(200, r#"{"code":"x"}"#).problem_code(), None);
    }

    #[test]
    fn replayed_reads_the_header_case_insensitively() {
        let mut a = answer(200, "");
        assert!(!a.replayed());
        a.headers
            .insert(REPLAYED_HEADER, http::HeaderValue::from_static("True"));
        assert!(a.replayed());
    }
}
