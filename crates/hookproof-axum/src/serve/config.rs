//! [`ServeConfig`]: the server's limits, each with a documented default.

use std::time::Duration;

use super::ServeError;

/// Default [`ServeConfig::header_read_timeout`]: 10 seconds.
///
/// Real senders send a request head in one or two TCP segments, so ten
/// seconds is generous even across continents, and it caps how long a client
/// that trickles its headers (or sends nothing) holds a connection slot.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Default [`ServeConfig::idle_timeout`]: 20 seconds.
///
/// Long enough for a sender's keep-alive pool to reuse a connection between
/// bursts of deliveries, short enough that idle sockets do not pile up.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// Default [`ServeConfig::max_connections`]: 512.
///
/// Below the usual soft limit of 1,024 open files per process, leaving room
/// for the listener, log files, store connections and outgoing requests, so
/// accepting never fails with "too many open files". While at the cap the
/// server stops accepting: new connections wait in the kernel's listen
/// backlog (they are not refused) and are accepted as others close — and the
/// timeouts make sure others do close.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// The longest accepted timeout: one day. Longer values are refused with
/// [`ServeError::TimeoutOutOfRange`] (they would disable the protection, and
/// deadline arithmetic near `Duration::MAX` overflows).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// How long the accept loop pauses after an accept error such as "too many
/// open files" (`EMFILE` / `ENFILE`) before trying again: 100 ms. Retrying at
/// once would spin a core while nothing can change; waiting longer would
/// delay deliveries once a descriptor is free again.
pub const ACCEPT_ERROR_BACKOFF: Duration = Duration::from_millis(100);

/// The limits of [`serve`](super::serve): how long a client may take to send
/// a request head, how long a connection may sit idle, and how many
/// connections are served at once.
///
/// Set fields on [`ServeConfig::default()`] (the struct is
/// `#[non_exhaustive]`, so new limits can be added), or use the setters of
/// [`Serve`](super::Serve).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use hookproof_axum::{DEFAULT_MAX_CONNECTIONS, ServeConfig, ServeError};
///
/// let mut config = ServeConfig::default();
/// assert_eq!(config.max_connections, DEFAULT_MAX_CONNECTIONS);
/// config.idle_timeout = Duration::from_secs(5);
/// assert!(config.validate().is_ok());
///
/// config.max_connections = 0;
/// let err = config.validate().unwrap_err();
/// assert!(matches!(err, ServeError::ZeroMaxConnections));
/// assert_eq!(err.code(), "zero_max_connections");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServeConfig {
    /// Time allowed to receive a complete request head, counted from the
    /// moment the connection is accepted and, on a keep-alive connection,
    /// from the end of the previous response. A client that has not sent the
    /// full head by then is disconnected (hyper's `header_read_timeout`).
    /// Default [`DEFAULT_HEADER_READ_TIMEOUT`].
    pub header_read_timeout: Duration,
    /// A connection with no request in progress on which no byte has been
    /// read or written for this long is closed. A request is in progress from
    /// the moment its head is parsed until its handler has returned the
    /// response, so a slow handler is never cut off; the request body is
    /// bounded by the layer's read timeout instead. It also closes a
    /// connection whose client stops reading its response. Default
    /// [`DEFAULT_IDLE_TIMEOUT`].
    pub idle_timeout: Duration,
    /// Connections served at once. At the cap the server stops accepting;
    /// new connections wait in the kernel's listen backlog until one closes.
    /// The backlog is the listener's: 128 for `TcpListener::bind` (choose
    /// another with `tokio::net::TcpSocket::listen`); past it, clients'
    /// kernels retry the connection on their own. Default
    /// [`DEFAULT_MAX_CONNECTIONS`].
    pub max_connections: usize,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

impl ServeConfig {
    /// Checks every limit: timeouts between 1 ms and [`MAX_TIMEOUT`], at
    /// least one connection. [`serve`](super::serve) runs this before it
    /// accepts anything.
    ///
    /// # Errors
    ///
    /// [`ServeError::TimeoutOutOfRange`] for a timeout below 1 ms or above
    /// [`MAX_TIMEOUT`]; [`ServeError::ZeroMaxConnections`] for a cap of 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use hookproof_axum::{ServeConfig, ServeError};
    ///
    /// let mut config = ServeConfig::default();
    /// config.header_read_timeout = Duration::ZERO;
    /// match config.validate() {
    ///     Err(ServeError::TimeoutOutOfRange { setting, .. }) => {
    ///         assert_eq!(setting, "header_read_timeout")
    ///     }
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// ```
    pub fn validate(&self) -> Result<(), ServeError> {
        for (setting, value) in [
            ("header_read_timeout", self.header_read_timeout),
            ("idle_timeout", self.idle_timeout),
        ] {
            if value < Duration::from_millis(1) || value > MAX_TIMEOUT {
                return Err(ServeError::TimeoutOutOfRange { setting, value });
            }
        }
        if self.max_connections == 0 {
            return Err(ServeError::ZeroMaxConnections);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_documented_values() {
        let config = ServeConfig::default();
        assert_eq!(config.header_read_timeout, Duration::from_secs(10));
        assert_eq!(config.idle_timeout, Duration::from_secs(20));
        assert_eq!(config.max_connections, 512);
        assert_eq!(config.validate(), Ok(()));
    }

    #[test]
    fn out_of_range_values_are_refused_with_the_setting_named() {
        let config = ServeConfig {
            idle_timeout: MAX_TIMEOUT + Duration::from_secs(1),
            ..ServeConfig::default()
        };
        let err = config.validate().expect_err("too long");
        assert_eq!(err.code(), "timeout_out_of_range");
        assert!(err.to_string().contains("idle_timeout"), "{err}");

        let config = ServeConfig {
            header_read_timeout: Duration::from_micros(999),
            ..ServeConfig::default()
        };
        assert!(matches!(
            config.validate(),
            Err(ServeError::TimeoutOutOfRange {
                setting: "header_read_timeout",
                ..
            })
        ));

        let config = ServeConfig {
            idle_timeout: MAX_TIMEOUT,
            header_read_timeout: Duration::from_millis(1),
            ..ServeConfig::default()
        };
        assert_eq!(config.validate(), Ok(()));
    }
}
