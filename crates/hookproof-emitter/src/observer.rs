//! Per-attempt reports, for progress output (the CLI's `trigger`) and logs.

use std::time::Duration;

/// Receives a report after every HTTP attempt. Implemented for closures.
///
/// Called on the delivery task: keep it quick and non-blocking.
///
/// # Examples
///
/// ```
/// use hookproof_emitter::{AttemptObserver, AttemptReport};
///
/// let observer = |r: &AttemptReport| println!("{} attempt {}: {:?}", r.event_id, r.attempt, r.result);
/// fn takes(_: impl AttemptObserver) {}
/// takes(observer);
/// ```
pub trait AttemptObserver: Send + Sync + 'static {
    /// Called once per attempt, after its outcome is known.
    fn on_attempt(&self, report: &AttemptReport);
}

impl<F> AttemptObserver for F
where
    F: Fn(&AttemptReport) + Send + Sync + 'static,
{
    fn on_attempt(&self, report: &AttemptReport) {
        self(report);
    }
}

/// Which of a subscription's URLs an attempt went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointRole {
    /// The endpoint's `url`.
    Primary,
    /// The endpoint's `backup_url`.
    Backup,
}

/// What one attempt produced.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptResult {
    /// The receiver answered with this status.
    Status(u16),
    /// No status: the attempt failed in transport.
    Error {
        /// Stable code: `timeout`, `connect`, `destination_blocked`, `body`,
        /// `request`.
        code: &'static str,
        /// Human-readable detail (the transport error and its causes); it
        /// never shows the URL's userinfo or query values.
        message: String,
    },
}

/// What happens after the attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextStep {
    /// The delivery succeeded.
    Delivered,
    /// Another attempt on the same URL after this delay.
    Retry(Duration),
    /// This URL gave up; the backup URL is tried next.
    Backup,
    /// The delivery gave up and went to the dead letters.
    DeadLetter,
}

/// One attempt's report.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct AttemptReport {
    /// The endpoint (subscription) name.
    pub endpoint: String,
    /// Primary or backup URL.
    pub role: EndpointRole,
    /// The URL attempted, without its credentials (userinfo and query
    /// values replaced by `***`, see [`RedactedUrl`](crate::RedactedUrl)).
    pub url: String,
    /// The event id (the delivery id sent on every attempt).
    pub event_id: String,
    /// Attempt number on this URL, from 1.
    pub attempt: u32,
    /// Status or transport error.
    pub result: AttemptResult,
    /// How long the attempt took.
    pub elapsed: Duration,
    /// The URL answered 410 Gone and is now disabled.
    pub endpoint_disabled: bool,
    /// What happens next.
    pub next: NextStep,
}
