//! The HTTP client of one endpoint.

use reqwest::Client;

use crate::config::{ConfigError, DeliveryConfig, EndpointConfig};
use crate::ssrf::GuardedResolver;

/// Builds the endpoint's client: SSRF-guarded resolver (the connection goes
/// to the checked addresses), redirects off, no proxy from the environment,
/// per-attempt timeout, pooled connections reused across attempts.
pub(crate) fn build_client(
    endpoint: &EndpointConfig,
    delivery: &DeliveryConfig,
) -> Result<Client, ConfigError> {
    Client::builder()
        .dns_resolver(GuardedResolver::new(endpoint.address_policy))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(delivery.timeout)
        .connect_timeout(delivery.timeout)
        .pool_max_idle_per_host(delivery.concurrent_deliveries)
        .tcp_nodelay(true)
        .user_agent(concat!("hookproof-emitter/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|source| ConfigError::Client {
            endpoint: endpoint.name.clone(),
            source,
        })
}
