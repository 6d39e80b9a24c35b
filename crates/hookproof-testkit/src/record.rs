//! Recording received deliveries as fixture files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http::{HeaderMap, HeaderName};

use crate::fixture::{Fixture, FixtureBody, sanitize, unix_seconds};

/// Headers never written to a recorded fixture: signatures, timestamps and
/// delivery ids (made fresh when the fixture is re-signed), credentials,
/// and transport headers that describe one connection, not the delivery.
pub const STRIPPED_HEADERS: &[&str] = &[
    // signing (all built-in schemes)
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "svix-id",
    "svix-timestamp",
    "svix-signature",
    "x-webhook-id",
    "x-webhook-timestamp",
    "x-webhook-signature",
    "x-hub-signature",
    "x-hub-signature-256",
    "x-github-delivery",
    "stripe-signature",
    "x-slack-signature",
    "x-slack-request-timestamp",
    "x-shopify-hmac-sha256",
    "x-shopify-webhook-id",
    "x-keywordsai-signature",
    // credentials
    "authorization",
    "proxy-authorization",
    "cookie",
    // transport
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "upgrade",
    "accept-encoding",
    "expect",
];

impl Fixture {
    /// Builds a fixture from a received delivery: its headers (minus
    /// [`STRIPPED_HEADERS`]) and body, expecting status 200.
    ///
    /// A body that parses as JSON is kept as JSON (readable in the file, and
    /// re-serialized compactly when sent, see
    /// [`FixtureBody::to_bytes`]); any other body is kept as exact bytes.
    ///
    /// ```
    /// use hookproof_testkit::{Fixture, FixtureBody};
    ///
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("webhook-signature", "v1,abc=".parse()?);
    /// headers.insert("user-agent", "gw/1.0".parse()?);
    /// let fixture = Fixture::from_delivery("got/one", &headers, br#"{"id":"evt_1"}"#);
    /// assert!(fixture.headers.get("webhook-signature").is_none());
    /// assert_eq!(fixture.headers["user-agent"], "gw/1.0");
    /// assert!(matches!(fixture.body, FixtureBody::Json(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn from_delivery(name: impl Into<String>, headers: &HeaderMap, body: &[u8]) -> Self {
        Self::from_delivery_stripping(name.into(), headers, body, &[])
    }

    fn from_delivery_stripping(
        name: String,
        headers: &HeaderMap,
        body: &[u8],
        extra: &[HeaderName],
    ) -> Self {
        let body = match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(value) => FixtureBody::Json(value),
            Err(_) => FixtureBody::Raw(Bytes::copy_from_slice(body)),
        };
        let mut fixture = match body {
            FixtureBody::Json(value) => Fixture::json(name, value),
            raw => Fixture::raw(name, raw.to_bytes()),
        };
        for (header, value) in headers {
            let stripped = STRIPPED_HEADERS.contains(&header.as_str()) || extra.contains(header);
            if !stripped {
                fixture.headers.append(header.clone(), value.clone());
            }
        }
        fixture
    }
}

/// Why a delivery could not be recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The directory or file could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl RecordError {
    /// A stable machine-readable code for the error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "io",
        }
    }
}

/// Writes received deliveries into a directory as fixture files that
/// [`load`](crate::load) reads back (`hookproof listen --record DIR`).
///
/// Each delivery becomes `DIR/<event type>.<delivery id>.json` (characters
/// other than letters, digits, `-` and `_` in either part become `_`), named
/// like the file without `.json`. The type and id come from decoding the
/// body with `hookproof_events::decode`; without them the type is `unknown`
/// and the id is the body's `id`, else the delivery id header, else a
/// timestamp and counter. A retried delivery overwrites its own file.
/// Files are written to a temporary name and renamed, so a reader never
/// sees half a file.
///
/// ```
/// use hookproof_testkit::Recorder;
///
/// let dir = tempfile::tempdir()?;
/// let recorder = Recorder::new(dir.path());
/// let headers = http::HeaderMap::new();
/// let path = recorder.record(&headers, br#"{"id":"evt_1","type":"x.y","data":{}}"#)?;
/// let fixtures = hookproof_testkit::load(dir.path())?;
/// assert_eq!(fixtures.len(), 1);
/// assert_eq!(fixtures[0].delivery_id(), "evt_1");
/// assert!(path.starts_with(dir.path()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Recorder {
    dir: PathBuf,
    strip: Vec<HeaderName>,
}

impl Recorder {
    /// Records into `dir` (created on first use).
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            strip: Vec::new(),
        }
    }

    /// Also leaves this header out of recorded fixtures (e.g. a custom
    /// scheme's signature header, or an API key the sender adds).
    #[must_use]
    pub fn strip_header(mut self, name: HeaderName) -> Self {
        self.strip.push(name);
        self
    }

    /// The directory recorded into.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The fixture a delivery would be recorded as.
    #[must_use]
    pub fn fixture(&self, headers: &HeaderMap, body: &[u8]) -> Fixture {
        let (event_type, id) = identify(headers, body);
        let name = format!("{}.{}", sanitize(&event_type), sanitize(&id));
        Fixture::from_delivery_stripping(name, headers, body, &self.strip)
    }

    /// Records one delivery; returns the file written.
    ///
    /// # Errors
    ///
    /// [`RecordError::Io`] when the directory cannot be created or the
    /// file cannot be written.
    pub fn record(&self, headers: &HeaderMap, body: &[u8]) -> Result<PathBuf, RecordError> {
        let fixture = self.fixture(headers, body);
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| RecordError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let path = self.dir.join(format!("{}.json", fixture.name));
        let temp = self
            .dir
            .join(format!(".{}.json.{}.tmp", fixture.name, next_counter()));
        std::fs::write(&temp, fixture.to_json_pretty() + "\n").map_err(io(&temp))?;
        std::fs::rename(&temp, &path).map_err(|source| {
            let _ = std::fs::remove_file(&temp);
            io(&path)(source)
        })?;
        Ok(path)
    }
}

/// Event type and delivery id of a received delivery.
fn identify(headers: &HeaderMap, body: &[u8]) -> (String, String) {
    let decoded = hookproof_events::decode(body).ok();
    let event_type = decoded.as_ref().map_or_else(
        || "unknown".to_owned(),
        |event| event.event_type().to_owned(),
    );
    let id = decoded
        .as_ref()
        .and_then(|event| event.id().map(str::to_owned))
        .or_else(|| {
            serde_json::from_slice::<serde_json::Value>(body)
                .ok()?
                .get("id")?
                .as_str()
                .map(str::to_owned)
        })
        .or_else(|| {
            [
                "webhook-id",
                "x-webhook-id",
                "svix-id",
                "x-github-delivery",
                "x-shopify-webhook-id",
            ]
            .iter()
            .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
        })
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| {
            format!(
                "rec{}-{}",
                unix_seconds(std::time::SystemTime::now()),
                next_counter()
            )
        });
    (event_type, id)
}

fn next_counter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_signing_credential_and_transport_headers_but_keeps_the_rest() {
        let mut headers = HeaderMap::new();
        for name in STRIPPED_HEADERS {
            headers.insert(HeaderName::from_static(name), "x".parse().unwrap());
        }
        headers.insert("x-github-event", "ping".parse().unwrap());
        headers.insert("x-api-key", "k".parse().unwrap());
        let recorder = Recorder::new("unused").strip_header(HeaderName::from_static("x-api-key"));
        let fixture = recorder.fixture(&headers, b"not json \xff");
        let kept: Vec<&str> = fixture.headers.keys().map(HeaderName::as_str).collect();
        assert_eq!(kept, ["x-github-event"]);
        assert_eq!(
            fixture.body,
            FixtureBody::Raw(Bytes::from_static(b"not json \xff"))
        );
    }

    #[test]
    fn names_fall_back_to_the_id_header_then_a_generated_id() {
        let mut headers = HeaderMap::new();
        headers.insert("webhook-id", "msg/42".parse().unwrap());
        let recorder = Recorder::new("unused");
        assert_eq!(recorder.fixture(&headers, b"\x00").name, "unknown.msg_42");
        let generated = recorder.fixture(&HeaderMap::new(), b"\x00").name;
        assert!(generated.starts_with("unknown.rec"), "{generated}");
    }

    #[test]
    fn recorded_files_load_back_equal_and_retries_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let recorder = Recorder::new(dir.path().join("rec"));
        let mut headers = HeaderMap::new();
        headers.insert("user-agent", "gw/2".parse().unwrap());
        headers.append("x-tag", "a".parse().unwrap());
        headers.append("x-tag", "b".parse().unwrap());
        let body = br#"{"id":"evt_7","type":"custom.thing","data":{"n":1}}"#;
        let first = recorder.record(&headers, body).unwrap();
        let again = recorder.record(&headers, body).unwrap();
        assert_eq!(first, again);
        let loaded = crate::load(recorder.dir()).unwrap();
        assert_eq!(loaded, vec![recorder.fixture(&headers, body)]);
        assert_eq!(loaded[0].delivery_id(), "evt_7");
        assert_eq!(loaded[0].name, first.file_stem().unwrap().to_string_lossy());
    }
}
