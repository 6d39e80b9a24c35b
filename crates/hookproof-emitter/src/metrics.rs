//! Delivery metrics: counters, latency percentiles, retry backlog age.
//!
//! A *delivery* is one event for one endpoint (an event matching two
//! endpoints is two deliveries). Every delivery that enters the queue holds a
//! ticket that must end in exactly one of delivered, dead-lettered or handed
//! back; a ticket dropped without an ending is counted as `lost`, so
//! "nothing is lost" is a checkable property ([`MetricsSnapshot::is_balanced`]).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// How many recent latencies the percentiles are computed over.
const LATENCY_WINDOW: usize = 65_536;

/// A point-in-time copy of the emitter's metrics.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct MetricsSnapshot {
    /// Deliveries accepted into the queue (redrives included).
    pub sent: u64,
    /// Deliveries answered with a 2xx.
    pub delivered: u64,
    /// Deliveries that exhausted their attempts (primary and backup).
    pub dead_lettered: u64,
    /// Deliveries returned by `shutdown`.
    pub handed_back: u64,
    /// Deliveries dropped without an ending: always 0 unless there is a bug.
    pub lost: u64,
    /// Deliveries accepted and not yet ended.
    pub in_flight: u64,
    /// Events that matched no enabled endpoint.
    pub filtered: u64,
    /// HTTP attempts made.
    pub attempts: u64,
    /// Attempts that were scheduled again after a failure.
    pub retries: u64,
    /// Endpoints disabled after answering 410 Gone.
    pub endpoints_disabled: u64,
    /// `delivered / (delivered + dead_lettered)`; `None` before any ending.
    pub success_rate: Option<f64>,
    /// Median time from event creation to its 2xx.
    pub latency_p50: Option<Duration>,
    /// 99th percentile time from event creation to its 2xx.
    pub latency_p99: Option<Duration>,
    /// Deliveries currently waiting for a retry.
    pub waiting_for_retry: u64,
    /// Age (since creation) of the oldest event waiting for a retry.
    pub oldest_retry_age: Option<Duration>,
}

impl MetricsSnapshot {
    /// Whether every accepted delivery is accounted for and none was lost:
    /// `sent == delivered + dead_lettered + handed_back + in_flight` and
    /// `lost == 0`. After `shutdown`, `in_flight` is 0 too.
    #[must_use]
    pub fn is_balanced(&self) -> bool {
        self.lost == 0
            && self.sent == self.delivered + self.dead_lettered + self.handed_back + self.in_flight
    }

    /// Emits the snapshot as one `tracing` event (target
    /// `hookproof_emitter::metrics`, level INFO).
    pub fn trace(&self) {
        tracing::info!(
            target: "hookproof_emitter::metrics",
            sent = self.sent,
            delivered = self.delivered,
            dead_lettered = self.dead_lettered,
            handed_back = self.handed_back,
            lost = self.lost,
            in_flight = self.in_flight,
            filtered = self.filtered,
            attempts = self.attempts,
            retries = self.retries,
            endpoints_disabled = self.endpoints_disabled,
            success_rate = self.success_rate,
            latency_p50_ms = self.latency_p50.map(|d| d.as_millis()),
            latency_p99_ms = self.latency_p99.map(|d| d.as_millis()),
            waiting_for_retry = self.waiting_for_retry,
            oldest_retry_age_ms = self.oldest_retry_age.map(|d| d.as_millis()),
            "emitter metrics"
        );
    }
}

/// A handle on an emitter's live metrics that stays usable after
/// [`Emitter::shutdown`](crate::Emitter::shutdown), to check the final
/// balance.
#[derive(Clone, Debug)]
pub struct MetricsHandle(pub(crate) std::sync::Arc<Metrics>);

impl MetricsHandle {
    /// A snapshot of the metrics now.
    #[must_use]
    pub fn snapshot(&self) -> MetricsSnapshot {
        self.0.snapshot()
    }
}

/// The live counters.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    sent: AtomicU64,
    delivered: AtomicU64,
    dead_lettered: AtomicU64,
    handed_back: AtomicU64,
    lost: AtomicU64,
    in_flight: AtomicU64,
    filtered: AtomicU64,
    attempts: AtomicU64,
    retries: AtomicU64,
    endpoints_disabled: AtomicU64,
    latencies: Mutex<VecDeque<Duration>>,
    waiting: Mutex<HashMap<u64, SystemTime>>,
    next_wait_id: AtomicU64,
}

fn inc(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl Metrics {
    pub(crate) fn accepted(&self, deliveries: u64) {
        self.sent.fetch_add(deliveries, Ordering::Relaxed);
        self.in_flight.fetch_add(deliveries, Ordering::Relaxed);
    }
    pub(crate) fn filtered(&self) {
        inc(&self.filtered);
    }
    pub(crate) fn attempt(&self) {
        inc(&self.attempts);
    }
    pub(crate) fn retry(&self) {
        inc(&self.retries);
    }
    pub(crate) fn endpoint_disabled(&self) {
        inc(&self.endpoints_disabled);
    }

    fn ended(&self, counter: &AtomicU64) {
        inc(counter);
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
    }

    fn record_latency(&self, latency: Duration) {
        let mut window = self
            .latencies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if window.len() == LATENCY_WINDOW {
            window.pop_front();
        }
        window.push_back(latency);
    }

    /// Registers a delivery waiting for a retry; the guard unregisters it.
    pub(crate) fn waiting(&self, created_at: SystemTime) -> WaitingGuard<'_> {
        let id = self.next_wait_id.fetch_add(1, Ordering::Relaxed);
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(id, created_at);
        WaitingGuard { metrics: self, id }
    }

    pub(crate) fn snapshot(&self) -> MetricsSnapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let delivered = get(&self.delivered);
        let dead_lettered = get(&self.dead_lettered);
        let ended = delivered + dead_lettered;
        let mut latencies: Vec<Duration> = self
            .latencies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .copied()
            .collect();
        latencies.sort_unstable();
        let (waiting_for_retry, oldest) = {
            let waiting = self
                .waiting
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (waiting.len() as u64, waiting.values().min().copied())
        };
        MetricsSnapshot {
            sent: get(&self.sent),
            delivered,
            dead_lettered,
            handed_back: get(&self.handed_back),
            lost: get(&self.lost),
            in_flight: get(&self.in_flight),
            filtered: get(&self.filtered),
            attempts: get(&self.attempts),
            retries: get(&self.retries),
            endpoints_disabled: get(&self.endpoints_disabled),
            #[allow(clippy::cast_precision_loss)]
            success_rate: (ended > 0).then(|| delivered as f64 / ended as f64),
            latency_p50: percentile(&latencies, 50),
            latency_p99: percentile(&latencies, 99),
            waiting_for_retry,
            oldest_retry_age: oldest.map(|t| {
                SystemTime::now()
                    .duration_since(t)
                    .unwrap_or(Duration::ZERO)
            }),
        }
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], p: usize) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Unregisters a waiting delivery when dropped (also when the wait is
/// cancelled by shutdown).
#[derive(Debug)]
pub(crate) struct WaitingGuard<'a> {
    metrics: &'a Metrics,
    id: u64,
}

impl Drop for WaitingGuard<'_> {
    fn drop(&mut self) {
        self.metrics
            .waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&self.id);
    }
}

/// One accepted delivery's obligation to end exactly once.
#[derive(Debug)]
pub(crate) struct Ticket {
    metrics: std::sync::Arc<Metrics>,
    ended: bool,
}

impl Ticket {
    /// Tickets for `n` deliveries, counted as sent.
    pub(crate) fn issue(metrics: &std::sync::Arc<Metrics>, n: usize) -> Vec<Ticket> {
        metrics.accepted(n as u64);
        (0..n)
            .map(|_| Ticket {
                metrics: metrics.clone(),
                ended: false,
            })
            .collect()
    }

    pub(crate) fn delivered(mut self, latency: Duration) {
        self.ended = true;
        self.metrics.record_latency(latency);
        self.metrics.ended(&self.metrics.delivered);
    }

    pub(crate) fn dead_lettered(mut self) {
        self.ended = true;
        self.metrics.ended(&self.metrics.dead_lettered);
    }

    pub(crate) fn handed_back(mut self) {
        self.ended = true;
        self.metrics.ended(&self.metrics.handed_back);
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if !self.ended {
            self.metrics.ended(&self.metrics.lost);
            tracing::error!(target: "hookproof_emitter::metrics", "a delivery was dropped without an outcome");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn tickets_balance_and_losses_show() {
        let m = Arc::new(Metrics::default());
        let mut t = Ticket::issue(&m, 4);
        t.pop().unwrap().delivered(Duration::from_millis(5));
        t.pop().unwrap().dead_lettered();
        t.pop().unwrap().handed_back();
        let s = m.snapshot();
        assert_eq!((s.sent, s.in_flight), (4, 1));
        assert!(s.is_balanced());
        assert_eq!(s.success_rate, Some(0.5));
        drop(t);
        let s = m.snapshot();
        assert_eq!((s.lost, s.in_flight), (1, 0));
        assert!(!s.is_balanced());
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let ms = |n| Duration::from_millis(n);
        let v: Vec<_> = (1..=100).map(ms).collect();
        assert_eq!(percentile(&v, 50), Some(ms(50)));
        assert_eq!(percentile(&v, 99), Some(ms(99)));
        assert_eq!(percentile(&[ms(7)], 99), Some(ms(7)));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn oldest_retry_age_follows_the_guards() {
        let m = Metrics::default();
        assert_eq!(m.snapshot().oldest_retry_age, None);
        let old = SystemTime::now() - Duration::from_secs(100);
        let g1 = m.waiting(old);
        let g2 = m.waiting(SystemTime::now());
        let s = m.snapshot();
        assert_eq!(s.waiting_for_retry, 2);
        assert!(s.oldest_retry_age.unwrap() >= Duration::from_secs(100));
        drop(g1);
        assert!(m.snapshot().oldest_retry_age.unwrap() < Duration::from_secs(100));
        drop(g2);
        assert_eq!(m.snapshot().waiting_for_retry, 0);
    }
}
