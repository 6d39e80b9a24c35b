//! [`RedisStoreBuilder`]: where Redis is, the key prefix, and the timeouts
//! that turn a dead Redis into a quick [`StoreError::Unavailable`].

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::RedisStore;
use crate::StoreError;

/// Configures a [`RedisStore`].
///
/// | setting | default | meaning |
/// |---|---|---|
/// | [`prefix`](Self::prefix) | `hookproof:idem:` | prepended to every Redis key |
/// | [`connect_timeout`](Self::connect_timeout) | 500 ms | one TCP connect + handshake attempt |
/// | [`response_timeout`](Self::response_timeout) | 1 s | one command's reply |
/// | [`operation_timeout`](Self::operation_timeout) | 2 s | a whole store operation, reconnects included |
/// | [`reconnect_retries`](Self::reconnect_retries) | 2 | connection attempts retried (backoff from 50 ms) |
/// | [`max_record_bytes`](Self::max_record_bytes) | 16 KiB | largest record body accepted |
///
/// The URL may hold a password; it is never printed by `Debug`.
#[derive(Clone)]
pub struct RedisStoreBuilder {
    url: String,
    pub(super) prefix: String,
    connect_timeout: Duration,
    response_timeout: Duration,
    pub(super) operation_timeout: Duration,
    reconnect_retries: usize,
    pub(super) max_record_bytes: usize,
}

impl std::fmt::Debug for RedisStoreBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStoreBuilder")
            .field("url", &"<redacted>")
            .field("prefix", &self.prefix)
            .field("connect_timeout", &self.connect_timeout)
            .field("response_timeout", &self.response_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("reconnect_retries", &self.reconnect_retries)
            .field("max_record_bytes", &self.max_record_bytes)
            .finish()
    }
}

impl RedisStoreBuilder {
    pub(super) fn new(url: impl Into<String>) -> RedisStoreBuilder {
        RedisStoreBuilder {
            url: url.into(),
            prefix: "hookproof:idem:".to_owned(),
            connect_timeout: Duration::from_millis(500),
            response_timeout: Duration::from_secs(1),
            operation_timeout: Duration::from_secs(2),
            reconnect_retries: 2,
            max_record_bytes: 16 * 1024,
        }
    }

    /// Prefix of every key this store writes. Use one per application (and
    /// per test run on a shared Redis).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Time allowed for one connection attempt.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Time allowed for one command's reply.
    pub fn response_timeout(mut self, d: Duration) -> Self {
        self.response_timeout = d;
        self
    }

    /// Upper bound for a whole store operation (waiting for a reconnect
    /// included); past it the operation fails with
    /// [`StoreError::Unavailable`].
    pub fn operation_timeout(mut self, d: Duration) -> Self {
        self.operation_timeout = d;
        self
    }

    /// How many times a failed connection attempt is retried (with
    /// exponential backoff from 50 ms) before operations fail.
    pub fn reconnect_retries(mut self, n: usize) -> Self {
        self.reconnect_retries = n;
        self
    }

    /// Largest record body `complete` accepts, in bytes.
    pub fn max_record_bytes(mut self, max: usize) -> Self {
        self.max_record_bytes = max;
        self
    }

    /// Connect (once, eagerly, so a wrong URL fails at startup) and build the
    /// store. The connection manager reconnects by itself afterwards.
    ///
    /// # Errors
    ///
    /// [`StoreError::Config`] for an invalid URL; [`StoreError::Unavailable`]
    /// when Redis cannot be reached within the timeouts.
    pub async fn connect(self) -> Result<RedisStore, StoreError> {
        let client = redis::Client::open(self.url.as_str()).map_err(|e| StoreError::Config {
            message: "invalid Redis URL".to_owned(),
            source: Some(Box::new(e)),
        })?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.connect_timeout))
            .set_response_timeout(Some(self.response_timeout))
            .set_number_of_retries(self.reconnect_retries)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(500));
        let connecting = ConnectionManager::new_with_config(client, config);
        let conn = match tokio::time::timeout(self.operation_timeout, connecting).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => {
                return Err(StoreError::unavailable(
                    "cannot connect to Redis",
                    Some(Box::new(e) as _),
                ));
            }
            Err(_) => {
                return Err(StoreError::unavailable(
                    format!("no connection to Redis within {:?}", self.operation_timeout),
                    None,
                ));
            }
        };
        Ok(RedisStore::from_parts(conn, &self))
    }
}
