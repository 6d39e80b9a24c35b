//! [`ServeError`]: why [`serve`](super::serve) refused to start.

use std::time::Duration;

/// Why [`serve`](super::serve) refused to start. Once it runs, the server
/// does not fail: accept errors are logged and retried, connection errors
/// end only that connection.
///
/// # Examples
///
/// ```
/// use hookproof_axum::{ServeConfig, ServeError};
///
/// let mut config = ServeConfig::default();
/// config.max_connections = 0;
/// let err = config.validate().unwrap_err();
/// assert_eq!(err.code(), "zero_max_connections");
/// assert_eq!(err.to_string(), "max_connections must be at least 1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// A timeout is below 1 ms or above [`MAX_TIMEOUT`](super::MAX_TIMEOUT).
    #[error("{setting} must be between 1 ms and 24 h (got {value:?})")]
    TimeoutOutOfRange {
        /// The setting: `header_read_timeout` or `idle_timeout`.
        setting: &'static str,
        /// The value given.
        value: Duration,
    },
    /// `max_connections` is 0: nothing could ever be served.
    #[error("max_connections must be at least 1")]
    ZeroMaxConnections,
}

impl ServeError {
    /// A stable machine-readable code: `timeout_out_of_range` or
    /// `zero_max_connections`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use hookproof_axum::ServeConfig;
    ///
    /// let mut config = ServeConfig::default();
    /// config.idle_timeout = Duration::ZERO;
    /// assert_eq!(config.validate().unwrap_err().code(), "timeout_out_of_range");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::TimeoutOutOfRange { .. } => "timeout_out_of_range",
            Self::ZeroMaxConnections => "zero_max_connections",
        }
    }
}
