//! Emitter configuration: endpoints, event filters, retry, security, delivery.
//!
//! A config file is TOML in the shape gateway docs use. Every key, with its
//! default:
//!
//! ```toml
//! # One table per subscription.
//! [[endpoints]]
//! name = "billing"                                      # default: the URL's host
//! url = "https://hooks.example.com/gateway"             # https unless security.require_https = false
//! backup_url = "https://hooks-backup.example.com/gateway" # optional; gets events the primary gave up on
//! secrets = ["${WEBHOOK_SECRET}", "${WEBHOOK_SECRET_OLD}"] # or `secret = "..."`; one signature per secret
//! scheme = "standard"                                   # any scheme hookproof-verify signs
//! enabled = true
//! allow_loopback = false          # allow 127.0.0.1/::1, and plain http to localhost
//! allow_private_network = false   # allow 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10, link-local
//!
//! [endpoints.events]              # optional: overrides the top-level [events] for this endpoint
//! subscribe = ["budget.*"]
//!
//! # Default event selection for endpoints without their own `events`.
//! [events]
//! subscribe = ["request.completed", "guardrail.*"]   # empty or missing: every type
//!
//! [events.filters]
//! models = ["gpt-4o", "claude-sonnet-4"]
//! min_tokens = 1000
//! severity = ["high", "critical"]
//!
//! [retry]
//! max_attempts = 5
//! initial_delay_ms = 1000
//! backoff_multiplier = 2.0
//! max_delay_ms = 60000
//! jitter = 0.2
//! retryable_status_codes = [408, 429, 500, 502, 503, 504]
//!
//! [security]
//! require_https = true
//! timestamp_tolerance_seconds = 300
//!
//! [delivery]
//! timeout_ms = 30000
//! concurrent_deliveries = 10
//! queue_size = 10000
//! retention_hours = 72
//! max_response_bytes = 4096
//! ```
//!
//! `${NAME}` anywhere in `url`, `backup_url` or a secret is replaced by the
//! environment variable `NAME`; a variable that is not set is an error naming
//! the key. Unknown keys are errors too.

mod env;
mod error;
mod file;
mod model;
mod validate;

pub use error::ConfigError;
pub use model::{DeliveryConfig, EmitterConfig, EndpointConfig, SecurityConfig};
