//! Webhook fixtures for tests: load recorded deliveries, re-sign them with a
//! test secret, replay them into a tower service (an axum `Router`, a
//! service behind `hookproof_axum::WebhookLayer`, or an HTTP client), and
//! check that duplicates are answered from the idempotency store.
//!
//! Recorded webhook deliveries go stale: their signature was made with the
//! sender's secret and a timestamp that is minutes old by the time a test
//! runs. A [`Fixture`] keeps only what matters — payload, extra headers and
//! the expected status — and [`Fixture::signed_request`] signs it afresh.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use hookproof_testkit::{Fixture, replay};
//! use hookproof_verify::{Scheme, Secret, Signer, Verifier};
//!
//! let fixture = Fixture::from_json_slice(br#"{
//!     "name": "gateway/request.completed",
//!     "headers": { "user-agent": "hookproof-gateway/1.0" },
//!     "body": { "id": "evt_1", "type": "request.completed", "data": {} }
//! }"#)?;
//!
//! // A receiver that verifies with the test secret.
//! let verifier = Verifier::new(Scheme::StandardWebhooks, Secret::from_utf8("test secret")?);
//! let receiver = tower::service_fn(move |req: http::Request<hookproof_testkit::ReplayBody>| {
//!     let verifier = verifier.clone();
//!     async move {
//!         use http_body_util::BodyExt as _;
//!         let (parts, body) = req.into_parts();
//!         let body = body.collect().await?.to_bytes();
//!         let status = match verifier.verify(&parts.headers, &body) {
//!             Ok(_) => 200,
//!             Err(_) => 401,
//!         };
//!         http::Response::builder().status(status).body(String::new())
//!     }
//! });
//!
//! let signer = Signer::new(Scheme::StandardWebhooks, Secret::from_utf8("test secret")?);
//! let report = replay(receiver, &signer, &[fixture]).await;
//! report.assert_all_passed();
//! println!("{report}");
//! # Ok(())
//! # }
//! ```
//!
//! # Fixture files
//!
//! One JSON file per delivery (the repository's `fixtures/` directory holds
//! one per event type):
//!
//! ```json
//! {
//!   "name": "gateway/guardrail.blocked",
//!   "notes": "optional free text",
//!   "headers": { "user-agent": "hookproof-gateway/1.0", "x-tag": ["a", "b"] },
//!   "expected_status": 200,
//!   "body": { "id": "evt_...", "type": "guardrail.blocked", "data": {} }
//! }
//! ```
//!
//! | field | required | meaning |
//! |---|---|---|
//! | `body` | one of the two | the JSON payload, sent re-serialized compactly ([`FixtureBody::to_bytes`]) |
//! | `body_base64` | one of the two | the exact raw bytes, standard base64 |
//! | `name` | no | unique name; default: the path below the loaded directory without `.json` |
//! | `headers` | no | extra headers, a string or a list of strings per name |
//! | `expected_status` | no | the status the receiver should answer, default 200 |
//! | `notes` | no | free text |
//!
//! Unknown fields are errors (a typo such as `expeted_status` must not pass
//! silently). [`load`] reads one file or a directory tree; every
//! [`LoadError`] names the file and the field path. The delivery id used when
//! signing is the payload's `id` ([`Fixture::delivery_id`]). Signature and
//! timestamp headers are never stored: they are made on every send, as is
//! the scheme's id header. [`Recorder`] writes received deliveries in this
//! format.
//!
//! # Feature flags
//!
//! | feature | default | what |
//! |---|---|---|
//! | (none) | | the crate has no optional features; it needs a tokio runtime (time driver) to replay |
//!
//! # Security notes
//!
//! - Fixtures are signed with whatever [`Signer`](hookproof_verify::Signer)
//!   you pass: use a test secret, never a production one. Signature headers
//!   in the built request are marked sensitive.
//! - The recorder writes an allow-list of headers only
//!   ([`RECORDED_HEADERS`]: content type, user agent, the senders' event-type
//!   and delivery-id headers); signatures, timestamps, transport headers and
//!   credentials of any name (`authorization`, `cookie`, `x-api-key`, …) are
//!   dropped. Add a harmless header with [`Recorder::keep_header`].
//! - Loading reads files only: it does not follow symbolic links to
//!   directories, and response bodies are read up to 1 MiB.
#![forbid(unsafe_code)]

mod fixture;
mod record;
mod replay;

pub use fixture::{DEFAULT_PATH, Fixture, FixtureBody, LoadError, load};
pub use record::{RECORDED_HEADERS, RecordError, Recorder};
pub use replay::{
    Answer, BoxError, FixtureResult, Outcome, REPLAYED_HEADER, ReplayBody, ReplayReport, Replayer,
    SendError, assert_idempotent, replay,
};
