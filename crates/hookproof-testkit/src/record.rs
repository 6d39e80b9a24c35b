//! Recording received deliveries as fixture files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http::{HeaderMap, HeaderName};

use crate::fixture::{Fixture, FixtureBody, sanitize, unix_seconds};

/// The only headers a recorded fixture keeps (an allow-list): what the body
/// is, who sent it, which event it is and which delivery. Everything else a
/// sender sent is dropped: signatures and timestamps (made fresh when the
/// fixture is re-signed), credentials of any name (`authorization`,
/// `cookie`, `x-api-key`, `x-webhook-secret`, a gateway's custom token
/// header…) and transport headers. Add a header with
/// [`Recorder::keep_header`] (`hookproof listen --record-header NAME`).
///
/// A kept delivery-id header is informational: re-signing
/// ([`Fixture::signed_request`]) replaces the scheme's own id header with
/// [`Fixture::delivery_id`].
pub const RECORDED_HEADERS: &[&str] = &[
    // the body and its sender
    "content-type",
    "user-agent",
    // delivery ids
    "webhook-id",
    "svix-id",
    "x-webhook-id",
    "x-github-delivery",
    "x-shopify-webhook-id",
    "x-shopify-event-id",
    // event types and the hook that sent them
    "x-github-event",
    "x-github-hook-id",
    "x-github-hook-installation-target-id",
    "x-github-hook-installation-target-type",
    "x-shopify-topic",
    "x-webhook-event",
];

impl Fixture {
    /// Builds a fixture from a received delivery: the headers listed in
    /// [`RECORDED_HEADERS`] (no others) and the body, expecting status 200.
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
    /// headers.insert("x-api-key", "sk-live-123".parse()?);
    /// headers.insert("user-agent", "gw/1.0".parse()?);
    /// let fixture = Fixture::from_delivery("got/one", &headers, br#"{"id":"evt_1"}"#);
    /// assert!(fixture.headers.get("webhook-signature").is_none());
    /// assert!(fixture.headers.get("x-api-key").is_none());
    /// assert_eq!(fixture.headers["user-agent"], "gw/1.0");
    /// assert!(matches!(fixture.body, FixtureBody::Json(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn from_delivery(name: impl Into<String>, headers: &HeaderMap, body: &[u8]) -> Self {
        Self::from_delivery_keeping(name.into(), headers, body, &[])
    }

    fn from_delivery_keeping(
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
            let kept = RECORDED_HEADERS.contains(&header.as_str()) || extra.contains(header);
            if kept {
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
/// Only the headers in [`RECORDED_HEADERS`], and those added with
/// [`Recorder::keep_header`], are written: a credential header of any name
/// never reaches the file.
///
/// ```
/// use hookproof_testkit::Recorder;
///
/// let dir = tempfile::tempdir()?;
/// let recorder = Recorder::new(dir.path()).keep_header(http::HeaderName::from_static("x-tenant"));
/// let mut headers = http::HeaderMap::new();
/// headers.insert("x-tenant", "acme".parse()?);
/// headers.insert("x-api-key", "sk-live-123".parse()?);
/// let path = recorder.record(&headers, br#"{"id":"evt_1","type":"x.y","data":{}}"#)?;
/// let fixtures = hookproof_testkit::load(dir.path())?;
/// assert_eq!(fixtures.len(), 1);
/// assert_eq!(fixtures[0].delivery_id(), "evt_1");
/// assert_eq!(fixtures[0].headers["x-tenant"], "acme");
/// assert!(!std::fs::read_to_string(&path)?.contains("sk-live"));
/// assert!(path.starts_with(dir.path()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Recorder {
    dir: PathBuf,
    keep: Vec<HeaderName>,
}

impl Recorder {
    /// Records into `dir` (created on first use).
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            keep: Vec::new(),
        }
    }

    /// Also writes this header to recorded fixtures, besides
    /// [`RECORDED_HEADERS`] (a sender's own event-type or tenant header,
    /// say). Never add a header that carries a credential: fixture files are
    /// meant to be shared.
    #[must_use]
    pub fn keep_header(mut self, name: HeaderName) -> Self {
        self.keep.push(name);
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
        Fixture::from_delivery_keeping(name, headers, body, &self.keep)
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

    /// Headers a sender may add that must never reach a fixture file.
    const DROPPED: &[&str] = &[
        // signatures and timestamps of the built-in schemes
        "webhook-timestamp",
        "webhook-signature",
        "svix-timestamp",
        "svix-signature",
        "x-webhook-timestamp",
        "x-webhook-signature",
        "x-hub-signature",
        "x-hub-signature-256",
        "stripe-signature",
        "x-slack-signature",
        "x-slack-request-timestamp",
        "x-shopify-hmac-sha256",
        "x-keywordsai-signature",
        // credentials, standard and custom
        "authorization",
        "proxy-authorization",
        "cookie",
        "x-api-key",
        "x-webhook-secret",
        "x-litellm-api-key",
        "x-portkey-api-key",
        "api-key",
        // transport
        "host",
        "content-length",
        "connection",
        "accept-encoding",
        "x-forwarded-for",
    ];

    fn delivery(names: &[&'static str], value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for name in names {
            headers.insert(HeaderName::from_static(name), value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn only_the_allow_list_is_kept() {
        let mut headers = delivery(DROPPED, "sk-live-0123456789");
        for name in RECORDED_HEADERS {
            headers.insert(HeaderName::from_static(name), "kept".parse().unwrap());
        }
        let fixture = Recorder::new("unused").fixture(&headers, b"not json \xff");
        let kept: Vec<&str> = fixture.headers.keys().map(HeaderName::as_str).collect();
        assert_eq!(kept, RECORDED_HEADERS);
        assert!(fixture.headers.values().all(|v| v == "kept"));
        assert!(!fixture.to_json_pretty().contains("sk-live"));
        assert_eq!(
            fixture.body,
            FixtureBody::Raw(Bytes::from_static(b"not json \xff"))
        );
        // Fixture::from_delivery applies the same list.
        let direct = Fixture::from_delivery("x", &headers, b"{}");
        assert_eq!(direct.headers.len(), RECORDED_HEADERS.len());
    }

    #[test]
    fn keep_header_adds_one_and_nothing_else() {
        let mut headers = delivery(&["x-api-key", "x-tenant", "x-github-event"], "v");
        headers.append("x-tenant", "w".parse().unwrap());
        let tenant = HeaderName::from_static("x-tenant");
        let recorder = Recorder::new("unused").keep_header(tenant.clone());
        let fixture = recorder.fixture(&headers, b"{}");
        let mut kept: Vec<&str> = fixture.headers.keys().map(HeaderName::as_str).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["x-github-event", "x-tenant"]);
        // Both values of a repeated header, once each.
        let values: Vec<_> = fixture.headers.get_all(&tenant).iter().collect();
        assert_eq!(values, ["v", "w"]);
    }

    #[test]
    fn no_signature_or_timestamp_of_any_built_in_scheme_is_kept() {
        use hookproof_verify::{Scheme, Secret, Signer};
        for name in [
            "standard", "github", "stripe", "slack", "shopify", "gateway", "hex",
        ] {
            let scheme: Scheme = name.parse().unwrap();
            let secret =
                Secret::for_scheme(&scheme, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
            let signed = Signer::new(scheme, secret).sign("evt_1", 1_700_000_000, b"{}");
            let mut headers = HeaderMap::new();
            for (header, value) in &signed {
                headers.append(
                    HeaderName::try_from(header.as_str()).unwrap(),
                    value.parse().unwrap(),
                );
            }
            let fixture = Recorder::new("unused").fixture(&headers, b"{}");
            for (header, value) in &fixture.headers {
                assert_eq!(value, "evt_1", "{name}: kept {header}: {value:?}");
            }
            assert!(fixture.headers.len() < signed.len(), "{name}: {signed:?}");
        }
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
