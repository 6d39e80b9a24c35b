//! Checks of values that parse but cannot work.

use url::{Host, Url};

use super::{ConfigError, EmitterConfig};
use crate::ssrf::AddressPolicy;

impl EmitterConfig {
    /// Checks values that are well-typed but unusable. [`Emitter::start`]
    /// calls it, so configs built in code are checked too.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the key.
    ///
    /// [`Emitter::start`]: crate::Emitter::start
    pub fn validate(&self) -> Result<(), ConfigError> {
        let r = &self.retry;
        if r.max_attempts == 0 {
            return Err(ConfigError::invalid(
                "retry.max_attempts",
                "must be at least 1",
            ));
        }
        if !(r.backoff_multiplier.is_finite() && r.backoff_multiplier >= 1.0) {
            return Err(ConfigError::invalid(
                "retry.backoff_multiplier",
                "must be a finite number >= 1.0",
            ));
        }
        if !(0.0..=1.0).contains(&r.jitter) {
            return Err(ConfigError::invalid(
                "retry.jitter",
                "must be between 0.0 and 1.0",
            ));
        }
        if r.initial_delay > r.max_delay {
            return Err(ConfigError::invalid(
                "retry.initial_delay_ms",
                "must not exceed retry.max_delay_ms",
            ));
        }
        if let Some(bad) = r
            .retryable_status_codes
            .iter()
            .find(|s| !(100..=599).contains(*s))
        {
            return Err(ConfigError::invalid(
                "retry.retryable_status_codes",
                format!("{bad} is not an HTTP status"),
            ));
        }
        let d = &self.delivery;
        if d.timeout.is_zero() {
            return Err(ConfigError::invalid(
                "delivery.timeout_ms",
                "must be positive",
            ));
        }
        if d.concurrent_deliveries == 0 {
            return Err(ConfigError::invalid(
                "delivery.concurrent_deliveries",
                "must be at least 1",
            ));
        }
        if d.queue_size == 0 {
            return Err(ConfigError::invalid(
                "delivery.queue_size",
                "must be at least 1",
            ));
        }
        if self.endpoints.is_empty() {
            return Err(ConfigError::invalid(
                "endpoints",
                "at least one endpoint is required",
            ));
        }
        for (i, ep) in self.endpoints.iter().enumerate() {
            if self.endpoints[..i]
                .iter()
                .any(|other| other.name == ep.name)
            {
                return Err(ConfigError::invalid(
                    format!("endpoints[{i}].name"),
                    format!("duplicate endpoint name `{}`", ep.name),
                ));
            }
            self.check_url(&format!("endpoints[{i}].url"), &ep.url, ep.address_policy)?;
            if let Some(backup) = &ep.backup_url {
                self.check_url(
                    &format!("endpoints[{i}].backup_url"),
                    backup,
                    ep.address_policy,
                )?;
            }
        }
        Ok(())
    }

    fn check_url(&self, key: &str, url: &Url, policy: AddressPolicy) -> Result<(), ConfigError> {
        let host = url
            .host()
            .ok_or_else(|| ConfigError::invalid(key, "the URL has no host"))?;
        let ip = match host {
            Host::Ipv4(ip) => Some(std::net::IpAddr::V4(ip)),
            Host::Ipv6(ip) => Some(std::net::IpAddr::V6(ip)),
            Host::Domain(_) => None,
        };
        match url.scheme() {
            "https" => {}
            "http" if !self.security.require_https => {}
            "http" => {
                let loopback = match host {
                    Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
                    _ => ip.is_some_and(|ip| ip.is_loopback()),
                };
                if !(policy.allow_loopback && loopback) {
                    return Err(ConfigError::invalid(
                        key,
                        "plain http is refused (security.require_https); it is allowed only to \
                         localhost or a loopback address with allow_loopback = true",
                    ));
                }
            }
            other => {
                return Err(ConfigError::invalid(
                    key,
                    format!("scheme `{other}` is not http or https"),
                ));
            }
        }
        // An IP literal is never looked up, so check it here; names are
        // checked by the client's resolver at connect time.
        if let Some(ip) = ip {
            policy
                .check(ip)
                .map_err(|blocked| ConfigError::invalid(key, blocked.to_string()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    fn parse(text: &str) -> Result<EmitterConfig, ConfigError> {
        EmitterConfig::from_toml_str_with_env(text, |name| {
            (name == "WEBHOOK_SECRET").then(|| SECRET.to_owned())
        })
    }

    fn err(text: &str) -> ConfigError {
        parse(text).expect_err("config must be refused")
    }

    const EP: &str =
        "[[endpoints]]\nurl = \"https://h.example.com/\"\nsecret = \"${WEBHOOK_SECRET}\"\n";

    #[test]
    fn unknown_keys_are_named() {
        let e = err(&format!("{EP}colour = 'red'"));
        assert_eq!(
            (e.code(), e.key()),
            ("config_parse", Some("endpoints[0].colour"))
        );
        let e = err(&format!("{EP}[retry]\nmax_attempt = 3"));
        assert_eq!(e.key(), Some("retry.max_attempt"));
        assert!(e.to_string().contains("max_attempt"), "{e}");
        let e = err(&format!("{EP}[events.filters]\nmodel = ['x']"));
        assert_eq!(e.key(), Some("events.filters.model"));
        let e = err(&format!("{EP}[deliveries]\ntimeout_ms = 1"));
        assert_eq!(e.key(), Some("deliveries"));
    }

    #[test]
    fn wrong_types_and_syntax_are_named() {
        let e = err(&format!("{EP}[retry]\nmax_attempts = 'five'"));
        assert_eq!(e.key(), Some("retry.max_attempts"));
        assert!(e.to_string().contains("line"), "{e}");
        let e = err("[[endpoints]\nurl=");
        assert_eq!(e.code(), "config_parse");
        let e = err("[retry]\nmax_attempts = 3");
        assert!(e.to_string().contains("endpoints"), "{e}");
    }

    #[test]
    fn missing_env_var_is_named() {
        let e = err(
            "[[endpoints]]\nurl = 'https://h.example.com/'\nsecrets = ['${WEBHOOK_SECRET}', '${NOT_SET}']",
        );
        assert_eq!(e.code(), "missing_env");
        assert_eq!(e.key(), Some("endpoints[0].secrets[1]"));
        assert!(e.to_string().contains("NOT_SET"), "{e}");
    }

    #[test]
    fn invalid_values_are_named() {
        let cases = [
            (
                format!("{EP}[retry]\nmax_attempts = 0"),
                "retry.max_attempts",
            ),
            (
                format!("{EP}[retry]\nbackoff_multiplier = 0.5"),
                "retry.backoff_multiplier",
            ),
            (format!("{EP}[retry]\njitter = 2.0"), "retry.jitter"),
            (
                format!("{EP}[retry]\nretryable_status_codes = [42]"),
                "retry.retryable_status_codes",
            ),
            (
                format!("{EP}[retry]\ninitial_delay_ms = 9\nmax_delay_ms = 1"),
                "retry.initial_delay_ms",
            ),
            (
                format!("{EP}[delivery]\nqueue_size = 0"),
                "delivery.queue_size",
            ),
            (
                format!("{EP}[delivery]\ntimeout_ms = 0"),
                "delivery.timeout_ms",
            ),
            (
                format!("{EP}[delivery]\nconcurrent_deliveries = 0"),
                "delivery.concurrent_deliveries",
            ),
            (
                format!("{EP}scheme = 'carrier-pigeon'"),
                "endpoints[0].scheme",
            ),
            (format!("{EP}secrets = ['a']"), "endpoints[0].secret"),
            (format!("{EP}{EP}"), "endpoints[1].name"),
            (
                "[[endpoints]]\nurl = 'https://h.example.com/'".to_owned(),
                "endpoints[0].secrets",
            ),
            (
                "[[endpoints]]\nurl = 'nope'\nsecret = 'x'".to_owned(),
                "endpoints[0].url",
            ),
            ("endpoints = []".to_owned(), "endpoints"),
        ];
        for (text, key) in cases {
            let e = err(&text);
            assert_eq!(e.key(), Some(key), "{text}: {e}");
        }
    }

    #[test]
    fn plain_http_and_internal_addresses_are_refused_unless_allowed() {
        let http = "[[endpoints]]\nurl = 'http://h.example.com/'\nsecret = '${WEBHOOK_SECRET}'";
        assert_eq!(err(http).key(), Some("endpoints[0].url"));
        let lo = "[[endpoints]]\nurl = 'http://127.0.0.1:9/'\nsecret = '${WEBHOOK_SECRET}'";
        assert_eq!(err(lo).key(), Some("endpoints[0].url"));
        assert!(parse(&format!("{lo}\nallow_loopback = true")).is_ok());
        // allow_loopback does not make plain http to the internet acceptable.
        assert!(parse(&format!("{http}\nallow_loopback = true")).is_err());
        assert!(parse(&format!("{http}\n[security]\nrequire_https = false")).is_ok());
        let meta = "[[endpoints]]\nurl = 'https://169.254.169.254/'\nsecret = '${WEBHOOK_SECRET}'\nallow_private_network = true";
        let e = err(meta);
        assert!(e.to_string().contains("Metadata"), "{e}");
        let private = "[[endpoints]]\nurl = 'https://10.0.0.8/'\nsecret = '${WEBHOOK_SECRET}'";
        assert!(parse(private).is_err());
        assert!(parse(&format!("{private}\nallow_private_network = true")).is_ok());
        let backup = format!("{EP}backup_url = 'https://[::1]/'");
        assert_eq!(err(&backup).key(), Some("endpoints[0].backup_url"));
    }
}
