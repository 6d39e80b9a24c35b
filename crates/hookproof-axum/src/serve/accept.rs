//! The accept loop: a connection slot first, then a connection; accept
//! errors are logged (rate-limited) and retried after a pause, never fatal.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::ACCEPT_ERROR_BACKOFF;
use super::connection::{Shared, serve_connection};

/// While accepting keeps failing, one warning per this interval at most.
const WARN_INTERVAL: Duration = Duration::from_secs(10);

/// Runs the server until `signal` resolves, then waits for every connection
/// to finish (in-flight requests complete, idle connections close).
pub(crate) async fn run<F>(listener: TcpListener, shared: Shared, max_connections: usize, signal: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let shared = Arc::new(shared);
    let slots = Arc::new(Semaphore::new(max_connections));
    let graceful = GracefulShutdown::new();
    let mut errors = AcceptErrors::default();
    tokio::pin!(signal);

    loop {
        // At the cap, wait for a slot before accepting: new connections stay
        // in the kernel's backlog instead of costing a descriptor.
        let permit = tokio::select! {
            biased;
            () = &mut signal => break,
            permit = Arc::clone(&slots).acquire_owned() => match permit {
                Ok(permit) => permit,
                // The semaphore is never closed; stop rather than spin.
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            biased;
            () = &mut signal => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, remote)) => {
                if let Some(failed) = errors.on_success() {
                    tracing::info!(failed, "accepting connections again");
                }
                tokio::spawn(serve_connection(
                    Arc::clone(&shared),
                    stream,
                    remote,
                    graceful.watcher(),
                    permit,
                ));
            }
            // The client gave up before we accepted: nothing to wait for.
            Err(error) if is_connection_error(&error) => {}
            Err(error) => {
                if let Some(suppressed) = errors.on_error(Instant::now()) {
                    tracing::warn!(
                        %error,
                        suppressed,
                        backoff = ?ACCEPT_ERROR_BACKOFF,
                        "cannot accept connections (too many open files?); retrying"
                    );
                }
                tokio::select! {
                    biased;
                    () = &mut signal => break,
                    () = tokio::time::sleep(ACCEPT_ERROR_BACKOFF) => {}
                }
            }
        }
    }

    // Refuse new connections, ask the open ones to finish, wait for them.
    drop(listener);
    tracing::debug!("shutting down: waiting for open connections");
    graceful.shutdown().await;
}

/// Errors about one connection that died in the backlog, not about the
/// listener: accept again at once.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Rate limit for the accept-error logs: at most one warning per
/// [`WARN_INTERVAL`] (carrying the number of errors not logged since the
/// previous one), however the errors are spread into bursts, and one
/// "accepting again" line per warned burst. Under churn at the descriptor
/// limit (accept, fail, accept, …) that is one warning per interval, not
/// one per connection.
#[derive(Debug, Default)]
struct AcceptErrors {
    /// Errors since the last successful accept.
    in_burst: u64,
    /// Whether this burst was logged.
    burst_warned: bool,
    /// Errors not logged since the last warning.
    suppressed: u64,
    /// When the last warning was logged.
    last_warned: Option<Instant>,
}

impl AcceptErrors {
    /// Records an error at `now`; `Some(suppressed)` if it should be logged.
    fn on_error(&mut self, now: Instant) -> Option<u64> {
        self.in_burst += 1;
        let due = self
            .last_warned
            .is_none_or(|last| now.saturating_duration_since(last) >= WARN_INTERVAL);
        if due {
            self.last_warned = Some(now);
            self.burst_warned = true;
            Some(std::mem::take(&mut self.suppressed))
        } else {
            self.suppressed += 1;
            None
        }
    }

    /// Records a successful accept; `Some(errors)` if it ends a burst that
    /// was logged.
    fn on_success(&mut self) -> Option<u64> {
        let failed = std::mem::take(&mut self.in_burst);
        std::mem::take(&mut self.burst_warned).then_some(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_logged_once_then_every_interval_with_the_skipped_count() {
        let mut errors = AcceptErrors::default();
        let t0 = Instant::now();
        assert_eq!(errors.on_success(), None, "no errors, nothing to say");
        assert_eq!(errors.on_error(t0), Some(0));
        for i in 1..=99u64 {
            // 100 errors at the 100 ms backoff: ten seconds of failures.
            let at = t0 + ACCEPT_ERROR_BACKOFF * u32::try_from(i).expect("small");
            assert_eq!(errors.on_error(at), None, "error {i}, before the interval");
        }
        assert_eq!(errors.on_error(t0 + WARN_INTERVAL), Some(99));
        assert_eq!(errors.on_error(t0 + WARN_INTERVAL), None);
        assert_eq!(errors.on_success(), Some(102));
        assert_eq!(errors.on_success(), None);
    }

    #[test]
    fn churn_at_the_limit_warns_once_per_interval_not_once_per_burst() {
        let mut errors = AcceptErrors::default();
        let t0 = Instant::now();
        let mut warnings = Vec::new();
        let mut recoveries = 0;
        // Fail, accept, fail, accept… every 100 ms for 25 s.
        for i in 0..250u32 {
            let at = t0 + ACCEPT_ERROR_BACKOFF * i;
            if let Some(suppressed) = errors.on_error(at) {
                warnings.push((i, suppressed));
            }
            if errors.on_success().is_some() {
                recoveries += 1;
            }
        }
        assert_eq!(warnings, vec![(0, 0), (100, 99), (200, 99)]);
        assert_eq!(recoveries, 3);
    }

    #[test]
    fn only_connection_level_errors_skip_the_backoff() {
        for kind in [
            io::ErrorKind::ConnectionAborted,
            io::ErrorKind::ConnectionReset,
            io::ErrorKind::ConnectionRefused,
        ] {
            assert!(is_connection_error(&io::Error::from(kind)), "{kind:?}");
        }
        // EMFILE: "Too many open files".
        let emfile = io::Error::from_raw_os_error(24);
        assert!(!is_connection_error(&emfile));
        assert!(!is_connection_error(&io::Error::from(
            io::ErrorKind::OutOfMemory
        )));
    }
}
