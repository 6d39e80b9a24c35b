//! What the idle timeout watches on one connection: when a byte last moved,
//! and whether a handler is running.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::Instant;

/// Shared between a connection's I/O wrapper, its service and its watchdog.
#[derive(Debug)]
pub(crate) struct Activity {
    /// When the connection was accepted; `last_ms` counts from here.
    start: Instant,
    /// Milliseconds from `start` to the last byte read or written, or to the
    /// end of the last request.
    last_ms: AtomicU64,
    /// Requests whose handler has not returned yet.
    in_flight: AtomicUsize,
}

/// What the watchdog should do at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdleCheck {
    /// Idle for the whole timeout: close the connection.
    Close,
    /// Not idle (yet): look again at this instant.
    WaitUntil(Instant),
}

impl Activity {
    /// A connection accepted at `start`, counted as active at that moment.
    pub(crate) fn new(start: Instant) -> Self {
        Self {
            start,
            last_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    /// Something happened now: a byte moved or a request ended.
    pub(crate) fn touch(&self) {
        self.touch_at(Instant::now());
    }

    fn touch_at(&self, now: Instant) {
        let ms = u64::try_from(now.saturating_duration_since(self.start).as_millis())
            .unwrap_or(u64::MAX);
        self.last_ms.fetch_max(ms, Ordering::Relaxed);
    }

    /// The last activity.
    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }

    /// Whether a connection with this `idle_timeout` is idle at `now`, or
    /// when to look again. While a handler runs the connection is never
    /// idle; it is looked at again one timeout later (the request's end
    /// touches the activity, so the timeout then counts from there).
    pub(crate) fn check(&self, now: Instant, idle_timeout: Duration) -> IdleCheck {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return IdleCheck::WaitUntil(now + idle_timeout);
        }
        let deadline = self.last() + idle_timeout;
        if now >= deadline {
            IdleCheck::Close
        } else {
            IdleCheck::WaitUntil(deadline)
        }
    }
}

/// Marks one request in progress for as long as it lives: created when the
/// service is called, dropped when the handler's future finishes (or is
/// dropped because the connection went away).
#[derive(Debug)]
pub(crate) struct InFlight(std::sync::Arc<Activity>);

impl InFlight {
    pub(crate) fn enter(activity: &std::sync::Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        Self(std::sync::Arc::clone(activity))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // Touch first, so the watchdog never sees "no request" with the
        // activity still dated before the request.
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    const IDLE: Duration = Duration::from_millis(500);

    #[test]
    fn a_quiet_connection_is_idle_one_timeout_after_its_last_activity() {
        let start = Instant::now();
        let activity = Activity::new(start);
        assert_eq!(
            activity.check(start, IDLE),
            IdleCheck::WaitUntil(start + IDLE)
        );
        assert_eq!(activity.check(start + IDLE, IDLE), IdleCheck::Close);

        activity.touch_at(start + Duration::from_millis(300));
        assert_eq!(
            activity.check(start + IDLE, IDLE),
            IdleCheck::WaitUntil(start + Duration::from_millis(800))
        );
        assert_eq!(
            activity.check(start + Duration::from_millis(800), IDLE),
            IdleCheck::Close
        );
    }

    #[test]
    fn an_older_touch_does_not_move_the_activity_back() {
        let start = Instant::now();
        let activity = Activity::new(start);
        activity.touch_at(start + Duration::from_millis(400));
        activity.touch_at(start + Duration::from_millis(100));
        assert_eq!(
            activity.check(start + IDLE, IDLE),
            IdleCheck::WaitUntil(start + Duration::from_millis(900))
        );
    }

    #[test]
    fn a_running_handler_is_never_idle_and_its_end_restarts_the_timeout() {
        let start = Instant::now();
        let activity = Arc::new(Activity::new(start));
        let request = InFlight::enter(&activity);
        let much_later = start + 10 * IDLE;
        assert_eq!(
            activity.check(much_later, IDLE),
            IdleCheck::WaitUntil(much_later + IDLE)
        );
        drop(request);
        // The end of the request counts as activity (it happened at the real
        // "now", after `start`), so the connection is not idle right away.
        let ended = Instant::now();
        assert!(matches!(
            activity.check(ended, IDLE),
            IdleCheck::WaitUntil(at) if at >= ended
        ));
        assert_eq!(activity.check(ended + IDLE, IDLE), IdleCheck::Close);
    }
}
