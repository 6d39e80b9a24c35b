//! The config file as written (TOML), and its translation into
//! [`EmitterConfig`].

use std::time::Duration;

use hookproof_verify::{Scheme, Secret, Signer};
use serde::Deserialize;
use url::Url;

use super::env::expand;
use super::{ConfigError, DeliveryConfig, EmitterConfig, EndpointConfig, SecurityConfig};
use crate::ssrf::AddressPolicy;
use crate::{EventFilter, RetryPolicy};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    endpoints: Vec<RawEndpoint>,
    events: Option<RawEvents>,
    #[serde(default)]
    retry: RawRetry,
    #[serde(default)]
    security: RawSecurity,
    #[serde(default)]
    delivery: RawDelivery,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoint {
    name: Option<String>,
    url: String,
    backup_url: Option<String>,
    secret: Option<String>,
    secrets: Option<Vec<String>>,
    scheme: Option<String>,
    enabled: Option<bool>,
    events: Option<RawEvents>,
    #[serde(default)]
    allow_loopback: bool,
    #[serde(default)]
    allow_private_network: bool,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawEvents {
    #[serde(default)]
    subscribe: Vec<String>,
    filters: Option<RawFilters>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawFilters {
    models: Option<Vec<String>>,
    min_tokens: Option<u64>,
    severity: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRetry {
    max_attempts: Option<u32>,
    initial_delay_ms: Option<u64>,
    backoff_multiplier: Option<f64>,
    max_delay_ms: Option<u64>,
    jitter: Option<f64>,
    retryable_status_codes: Option<Vec<u16>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSecurity {
    require_https: Option<bool>,
    timestamp_tolerance_seconds: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDelivery {
    timeout_ms: Option<u64>,
    concurrent_deliveries: Option<usize>,
    queue_size: Option<usize>,
    retention_hours: Option<u64>,
    max_response_bytes: Option<usize>,
}

/// Parses and validates a TOML document; `lookup` resolves `${VAR}`.
pub(super) fn parse(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<EmitterConfig, ConfigError> {
    let raw = deserialize(text)?;
    let default_events = raw.events.clone();
    let mut endpoints = Vec::with_capacity(raw.endpoints.len());
    for (i, ep) in raw.endpoints.into_iter().enumerate() {
        endpoints.push(endpoint(i, ep, default_events.as_ref(), lookup)?);
    }
    let d = RetryPolicy::default();
    let r = raw.retry;
    let retry = RetryPolicy {
        max_attempts: r.max_attempts.unwrap_or(d.max_attempts),
        initial_delay: r
            .initial_delay_ms
            .map_or(d.initial_delay, Duration::from_millis),
        backoff_multiplier: r.backoff_multiplier.unwrap_or(d.backoff_multiplier),
        max_delay: r.max_delay_ms.map_or(d.max_delay, Duration::from_millis),
        jitter: r.jitter.unwrap_or(d.jitter),
        retryable_status_codes: r.retryable_status_codes.unwrap_or(d.retryable_status_codes),
    };
    let ds = SecurityConfig::default();
    let security = SecurityConfig {
        require_https: raw.security.require_https.unwrap_or(ds.require_https),
        timestamp_tolerance: raw
            .security
            .timestamp_tolerance_seconds
            .map_or(ds.timestamp_tolerance, Duration::from_secs),
    };
    let dd = DeliveryConfig::default();
    let x = raw.delivery;
    let delivery = DeliveryConfig {
        timeout: x.timeout_ms.map_or(dd.timeout, Duration::from_millis),
        concurrent_deliveries: x.concurrent_deliveries.unwrap_or(dd.concurrent_deliveries),
        queue_size: x.queue_size.unwrap_or(dd.queue_size),
        retention: x.retention_hours.map_or(dd.retention, |h| {
            Duration::from_secs(h.saturating_mul(3600))
        }),
        max_response_bytes: x.max_response_bytes.unwrap_or(dd.max_response_bytes),
    };
    let config = EmitterConfig {
        endpoints,
        retry,
        security,
        delivery,
    };
    config.validate()?;
    Ok(config)
}

fn deserialize(text: &str) -> Result<RawConfig, ConfigError> {
    let located = |err: &toml::de::Error| match err.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("{} (line {line})", err.message().trim_end())
        }
        None => err.message().trim_end().to_owned(),
    };
    let de = toml::Deserializer::parse(text).map_err(|e| ConfigError::Parse {
        key: ".".to_owned(),
        message: located(&e),
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        // The path includes an unknown field's own name.
        ConfigError::Parse {
            key: e.path().to_string(),
            message: located(e.inner()),
        }
    })
}

fn endpoint(
    i: usize,
    ep: RawEndpoint,
    default_events: Option<&RawEvents>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<EndpointConfig, ConfigError> {
    let key = |field: &str| format!("endpoints[{i}].{field}");
    let url = parse_url(&key("url"), &expand(&key("url"), &ep.url, lookup)?)?;
    let backup_url = match &ep.backup_url {
        Some(u) => Some(parse_url(
            &key("backup_url"),
            &expand(&key("backup_url"), u, lookup)?,
        )?),
        None => None,
    };
    let scheme_name = ep.scheme.as_deref().unwrap_or("standard");
    let scheme: Scheme = scheme_name.parse().map_err(|_| {
        ConfigError::invalid(
            key("scheme"),
            format!("unknown signature scheme `{scheme_name}`"),
        )
    })?;
    let raw_secrets: Vec<(String, String)> = match (ep.secret, ep.secrets) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::invalid(
                key("secret"),
                "set either `secret` or `secrets`, not both",
            ));
        }
        (Some(s), None) => vec![(key("secret"), s)],
        (None, Some(list)) => list
            .into_iter()
            .enumerate()
            .map(|(j, s)| (format!("endpoints[{i}].secrets[{j}]"), s))
            .collect(),
        (None, None) => Vec::new(),
    };
    if raw_secrets.is_empty() {
        return Err(ConfigError::invalid(
            key("secrets"),
            "at least one secret is required",
        ));
    }
    let mut secrets = Vec::with_capacity(raw_secrets.len());
    for (k, s) in raw_secrets {
        let value = expand(&k, &s, lookup)?;
        let secret = Secret::for_scheme(&scheme, &value)
            .map_err(|source| ConfigError::Secret { key: k, source })?;
        secrets.push(secret);
    }
    let signer = Signer::with_secrets(scheme, secrets)
        .map_err(|e| ConfigError::invalid(key("secrets"), e.to_string()))?;
    let events = ep
        .events
        .as_ref()
        .or(default_events)
        .map(filter)
        .unwrap_or_default();
    let name = ep
        .name
        .unwrap_or_else(|| url.host_str().unwrap_or("endpoint").to_owned());
    Ok(EndpointConfig {
        name,
        url,
        backup_url,
        signer,
        events,
        enabled: ep.enabled.unwrap_or(true),
        address_policy: AddressPolicy {
            allow_loopback: ep.allow_loopback,
            allow_private_network: ep.allow_private_network,
        },
    })
}

fn filter(events: &RawEvents) -> EventFilter {
    let mut f = EventFilter::new(events.subscribe.iter().cloned());
    if let Some(filters) = &events.filters {
        f.models = filters.models.clone();
        f.min_tokens = filters.min_tokens;
        f.severity = filters.severity.clone();
    }
    f
}

fn parse_url(key: &str, value: &str) -> Result<Url, ConfigError> {
    Url::parse(value).map_err(|e| ConfigError::invalid(key, format!("not a URL: {e}")))
}
