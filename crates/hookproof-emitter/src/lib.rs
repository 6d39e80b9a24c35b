//! Reference webhook emitter: the sending half of an LLM gateway.
//!
//! `hookproof-emitter` signs events with any scheme of `hookproof-verify`
//! and delivers them over HTTP with what receivers rely on:
//!
//! - the event id is the delivery id on every attempt; each attempt gets a
//!   fresh timestamp and signature;
//! - retries with exponential backoff and jitter after connection errors,
//!   timeouts and retryable statuses (408, 429, 5xx by default); other 4xx
//!   are not retried; `Retry-After` (seconds or HTTP date) is honoured up to
//!   `max_delay`; 3xx are failures and never followed;
//! - `410 Gone` disables the URL (reported to metrics and the observer);
//!   a backup URL gets the delivery when the primary gives up; after that
//!   the delivery is a [`DeadLetter`] that can be listed and redriven;
//! - a bounded queue: [`Emitter::send`] waits, [`Emitter::try_send`] fails
//!   with the event handed back; [`Emitter::shutdown`] finishes or hands
//!   back every undelivered event. Nothing is dropped silently, and
//!   [`MetricsSnapshot::is_balanced`] checks it;
//! - metrics: sent, delivered, attempts, retries, dead-lettered, success
//!   rate, creation-to-2xx latency p50/p99, age of the oldest event waiting
//!   for a retry; also `tracing` events (targets
//!   `hookproof_emitter::delivery` and `hookproof_emitter::metrics`).
//!
//! Configuration is a TOML file in the shape gateway docs use; see
//! [`config`] for every key.
//!
//! # Example
//!
//! A delivery to a port where nothing listens fails, is not retried
//! (`max_attempts = 1`) and ends in the dead letters:
//!
//! ```
//! use std::time::Duration;
//! use hookproof_emitter::{Emitter, EmitterConfig, OutgoingEvent};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
//! let config = EmitterConfig::from_toml_str(&format!(r#"
//!     [[endpoints]]
//!     name = "local"
//!     url = "http://127.0.0.1:{port}/webhooks"
//!     secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
//!     allow_loopback = true
//!     [retry]
//!     max_attempts = 1
//! "#)).unwrap();
//! let emitter = Emitter::start(config).unwrap();
//! let event = OutgoingEvent::new("evt_1", "request.completed", r#"{"id":"evt_1"}"#);
//! emitter.send(event).await.unwrap();
//!
//! while emitter.metrics().dead_lettered == 0 {
//!     tokio::time::sleep(Duration::from_millis(10)).await;
//! }
//! let dead = emitter.dead_letters();
//! assert_eq!((dead[0].event.id.as_str(), dead[0].attempts), ("evt_1", 1));
//! assert_eq!(dead[0].last_status, None); // no HTTP answer: a connection error
//! assert!(emitter.metrics().is_balanced());
//!
//! let leftovers = emitter.shutdown(Duration::from_secs(10)).await;
//! assert!(leftovers.is_empty());
//! # }
//! ```
//!
//! Dead letters, metrics and redrive are on the handle before shutdown:
//! [`Emitter::dead_letters`], [`Emitter::metrics`], [`Emitter::redrive`].
//!
//! # Features
//!
//! | feature | default | what |
//! |---------|---------|------|
//! | (none)  |         | everything above; HTTPS through native-tls |
//!
//! # Security
//!
//! - **SSRF guard.** Destinations that resolve to loopback, private,
//!   link-local, CGNAT, unspecified or reserved addresses are refused unless
//!   the endpoint allows them (`allow_loopback`, `allow_private_network`);
//!   cloud metadata addresses (169.254.169.254, fd00:ec2::254, …) are always
//!   refused. IPv6 addresses that carry an IPv4 address (mapped, NAT64,
//!   6to4, Teredo) are judged by that IPv4 address. The check runs inside the HTTP client's resolver, so the
//!   connection goes to the address that was checked (no DNS rebinding);
//!   proxies from the environment are ignored for the same reason. See
//!   [`ssrf`].
//! - **HTTPS** is required unless `security.require_https = false`; plain
//!   http is allowed to `localhost`/loopback for endpoints with
//!   `allow_loopback`.
//! - Redirects are never followed (a redirect could point anywhere).
//! - Response bodies are read up to `delivery.max_response_bytes`.
//! - Secrets come from `${VAR}` environment references, not the file, and
//!   never appear in `Debug` output (the signer redacts them).
//! - Credentials in endpoint URLs (user, password, query values) never
//!   appear in `Debug` output, errors, dead letters, attempt reports or
//!   logs: every URL shown goes through [`RedactedUrl`].
#![forbid(unsafe_code)]

pub mod config;
mod dead_letter;
mod delivery;
mod emitter;
mod error;
mod event;
mod filter;
mod metrics;
mod observer;
pub mod policy;
mod redact;
pub mod ssrf;

pub use config::{ConfigError, DeliveryConfig, EmitterConfig, EndpointConfig, SecurityConfig};
pub use dead_letter::DeadLetter;
pub use emitter::{Emitter, EmitterBuilder};
pub use error::SendError;
pub use event::{EncodeError, OutgoingEvent};
pub use filter::EventFilter;
pub use metrics::{MetricsHandle, MetricsSnapshot};
pub use observer::{AttemptObserver, AttemptReport, AttemptResult, EndpointRole, NextStep};
pub use policy::RetryPolicy;
pub use redact::RedactedUrl;
