//! The validated configuration types.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use hookproof_verify::Signer;
use url::Url;

use super::{ConfigError, file};
use crate::ssrf::AddressPolicy;
use crate::{EventFilter, RedactedUrl, RetryPolicy};

/// Everything an [`Emitter`](crate::Emitter) needs.
///
/// `Debug` shows no secret and no URL credentials (user, password, query
/// values): see [`EndpointConfig`].
///
/// # Examples
///
/// ```
/// use hookproof_emitter::EmitterConfig;
///
/// let toml = r#"
///     [[endpoints]]
///     url = "https://hooks.example.com/gateway"
///     secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
/// "#;
/// let config = EmitterConfig::from_toml_str(toml).unwrap();
/// assert_eq!(config.endpoints[0].name, "hooks.example.com");
/// assert_eq!(config.retry.max_attempts, 5);
///
/// let err = EmitterConfig::from_toml_str("[[endpoints]]\nurl = 'x'\nretries = 3").unwrap_err();
/// assert_eq!(err.key(), Some("endpoints[0].retries"));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EmitterConfig {
    /// The subscriptions.
    pub endpoints: Vec<EndpointConfig>,
    /// Retry policy, shared by all endpoints.
    pub retry: RetryPolicy,
    /// Transport security rules.
    pub security: SecurityConfig,
    /// Queue, concurrency and timeouts.
    pub delivery: DeliveryConfig,
}

/// One subscription: where to send, how to sign, which events.
///
/// `Debug` hides the secrets and the credentials in both URLs (see
/// [`RedactedUrl`]).
///
/// # Examples
///
/// ```
/// use hookproof_emitter::EndpointConfig;
/// use hookproof_verify::{Scheme, Secret, Signer};
///
/// let url = "https://user:pa55@hooks.example.com/in?token=s3cret".parse()?;
/// let signer = Signer::new(Scheme::StandardWebhooks, Secret::from_utf8("k3y")?);
/// let endpoint = EndpointConfig::new("billing", url, signer);
/// let shown = format!("{endpoint:?}");
/// assert!(shown.contains("https://***:***@hooks.example.com/in?token=***"), "{shown}");
/// assert!(!shown.contains("pa55") && !shown.contains("s3cret") && !shown.contains("k3y"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct EndpointConfig {
    /// Name used in metrics, logs, dead letters and observer reports.
    pub name: String,
    /// Primary URL.
    pub url: Url,
    /// Backup URL, tried with a fresh retry budget when the primary gives up.
    pub backup_url: Option<Url>,
    /// Signs each attempt (scheme and secrets).
    pub signer: Signer,
    /// Which events this endpoint receives.
    pub events: EventFilter,
    /// Disabled endpoints receive nothing.
    pub enabled: bool,
    /// Which internal networks the endpoint may reach (SSRF guard).
    pub address_policy: AddressPolicy,
}

impl fmt::Debug for EndpointConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured, so a new field cannot be left out of the output
        // (or shown unredacted by a derive).
        let Self {
            name,
            url,
            backup_url,
            signer,
            events,
            enabled,
            address_policy,
        } = self;
        f.debug_struct("EndpointConfig")
            .field("name", name)
            .field("url", &RedactedUrl::new(url))
            .field("backup_url", &backup_url.as_ref().map(RedactedUrl::new))
            .field("signer", signer)
            .field("events", events)
            .field("enabled", enabled)
            .field("address_policy", address_policy)
            .finish()
    }
}

impl EndpointConfig {
    /// An enabled endpoint receiving every event, public addresses only.
    #[must_use]
    pub fn new(name: impl Into<String>, url: Url, signer: Signer) -> Self {
        Self {
            name: name.into(),
            url,
            backup_url: None,
            signer,
            events: EventFilter::default(),
            enabled: true,
            address_policy: AddressPolicy::default(),
        }
    }
}

/// The `[security]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecurityConfig {
    /// Only `https` URLs (default true). Plain `http` is still allowed to
    /// `localhost` or a loopback address for an endpoint with
    /// `allow_loopback`.
    pub require_https: bool,
    /// The receivers' timestamp tolerance (default 300 s). Every attempt is
    /// signed with a fresh timestamp, so retries stay inside it; the value is
    /// kept here so one file configures sender and receiver (the CLI's
    /// `listen` reads it).
    pub timestamp_tolerance: Duration,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            require_https: true,
            timestamp_tolerance: Duration::from_secs(300),
        }
    }
}

/// The `[delivery]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeliveryConfig {
    /// Timeout of one attempt, response body included (default 30 s).
    pub timeout: Duration,
    /// HTTP requests in flight at once (default 10).
    pub concurrent_deliveries: usize,
    /// Events waiting to start delivery (default 10,000). When it is full,
    /// `send` waits and `try_send` fails.
    pub queue_size: usize,
    /// How long dead letters are kept (default 72 h).
    pub retention: Duration,
    /// How much of a response body is read (default 4 KiB).
    pub max_response_bytes: usize,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_millis(30_000),
            concurrent_deliveries: 10,
            queue_size: 10_000,
            retention: Duration::from_secs(72 * 3600),
            max_response_bytes: 4096,
        }
    }
}

impl EmitterConfig {
    /// A config with these endpoints and every default.
    #[must_use]
    pub fn new(endpoints: Vec<EndpointConfig>) -> Self {
        Self {
            endpoints,
            retry: RetryPolicy::default(),
            security: SecurityConfig::default(),
            delivery: DeliveryConfig::default(),
        }
    }

    /// Parses a TOML document, reading `${VAR}` from the process environment.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming the offending key: syntax, unknown key, wrong
    /// type, unset variable, bad secret or invalid value.
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        Self::from_toml_str_with_env(text, |name| std::env::var(name).ok())
    }

    /// Parses a TOML document, resolving `${VAR}` with `lookup`.
    ///
    /// # Errors
    ///
    /// As [`EmitterConfig::from_toml_str`].
    pub fn from_toml_str_with_env(
        text: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        file::parse(text, &lookup)
    }

    /// Reads and parses a TOML file.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Io`] when the file cannot be read, otherwise as
    /// [`EmitterConfig::from_toml_str`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    fn env(name: &str) -> Option<String> {
        match name {
            "WEBHOOK_SECRET" | "WEBHOOK_SECRET_OLD" => Some(SECRET.to_owned()),
            _ => None,
        }
    }

    fn parse(text: &str) -> Result<EmitterConfig, ConfigError> {
        EmitterConfig::from_toml_str_with_env(text, env)
    }

    /// The example in the module docs, taken from the source so the docs
    /// cannot drift from what parses.
    fn documented_example() -> String {
        let source = include_str!("mod.rs");
        let start = source.find("//! ```toml").expect("toml block in docs");
        source[start..]
            .lines()
            .skip(1)
            .take_while(|l| l.trim() != "//! ```")
            .map(|l| l.strip_prefix("//!").unwrap_or(l).trim_start())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn documented_example_parses_with_every_value() {
        let c = parse(&documented_example()).unwrap();
        assert_eq!(c.endpoints.len(), 1);
        let ep = &c.endpoints[0];
        assert_eq!(ep.name, "billing");
        assert_eq!(ep.url.as_str(), "https://hooks.example.com/gateway");
        assert_eq!(
            ep.backup_url.as_ref().map(Url::as_str),
            Some("https://hooks-backup.example.com/gateway")
        );
        assert!(ep.enabled);
        assert_eq!(ep.events.subscribe, vec!["budget.*"]);
        assert_eq!(
            ep.events.models, None,
            "endpoint events replace the defaults"
        );
        assert_eq!(c.retry, RetryPolicy::default());
        assert_eq!(c.security, SecurityConfig::default());
        assert_eq!(c.delivery, DeliveryConfig::default());
        // Two secrets: one signature per secret.
        let headers = ep.signer.sign("evt_1", 1_700_000_000, b"{}");
        let sig = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("webhook-signature"))
            .expect("signature header");
        assert_eq!(sig.1.split(' ').count(), 2, "{sig:?}");
    }

    #[test]
    fn top_level_events_are_the_default_filter() {
        let example = documented_example();
        let mut skip = 0;
        let text: String = example
            .lines()
            .filter(|l| {
                if l.starts_with("[endpoints.events]") {
                    skip = 2;
                }
                if skip > 0 {
                    skip -= 1;
                    return false;
                }
                true
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let c = parse(&text).unwrap();
        let f = &c.endpoints[0].events;
        assert_eq!(f.subscribe, vec!["request.completed", "guardrail.*"]);
        assert_eq!(f.min_tokens, Some(1000));
        assert_eq!(
            f.severity.as_deref(),
            Some(&["high".to_owned(), "critical".to_owned()][..])
        );
    }

    #[test]
    fn overrides_are_read() {
        let c = parse(
            r#"
            [[endpoints]]
            url = "http://localhost:8080/hook"
            secret = "${WEBHOOK_SECRET}"
            allow_loopback = true
            [retry]
            max_attempts = 2
            initial_delay_ms = 5
            max_delay_ms = 50
            retryable_status_codes = [500]
            [delivery]
            timeout_ms = 250
            queue_size = 7
            retention_hours = 1
            "#,
        )
        .unwrap();
        assert_eq!(c.retry.max_attempts, 2);
        assert_eq!(c.retry.initial_delay, Duration::from_millis(5));
        assert_eq!(c.retry.retryable_status_codes, vec![500]);
        assert_eq!(c.delivery.timeout, Duration::from_millis(250));
        assert_eq!(c.delivery.queue_size, 7);
        assert_eq!(c.delivery.retention, Duration::from_secs(3600));
        assert_eq!(c.delivery.concurrent_deliveries, 10);
        assert!(c.endpoints[0].address_policy.allow_loopback);
    }

    #[test]
    fn from_file_reports_io_errors() {
        let e = EmitterConfig::from_file("/nonexistent/hookproof-emitter.toml").unwrap_err();
        assert_eq!(e.code(), "config_io");
    }
}
