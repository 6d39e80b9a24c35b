//! The state of one key in the memory store.

use std::time::Duration;

use tokio::time::Instant;

use crate::{Begin, Record};

/// One key: either held under a lease, or completed with a record. Absent
/// keys are simply not in the map.
#[derive(Debug)]
pub(super) enum Entry {
    InProgress { token: u64, expires: Instant },
    Completed { record: Record, expires: Instant },
}

impl Entry {
    pub(super) fn expires(&self) -> Instant {
        match self {
            Entry::InProgress { expires, .. } | Entry::Completed { expires, .. } => *expires,
        }
    }

    /// Expired entries behave exactly like absent ones.
    pub(super) fn is_expired(&self, now: Instant) -> bool {
        self.expires() <= now
    }

    /// What `begin` answers for a live entry; `None` when it is expired.
    pub(super) fn observe(&self, now: Instant) -> Option<Begin> {
        if self.is_expired(now) {
            return None;
        }
        Some(match self {
            Entry::InProgress { expires, .. } => Begin::InProgress {
                retry_after: expires.saturating_duration_since(now),
            },
            Entry::Completed { record, .. } => Begin::Completed(record.clone()),
        })
    }

    /// True if `token` holds a live lease on this entry (the fencing check).
    pub(super) fn is_held_by(&self, token: u64, now: Instant) -> bool {
        matches!(self, Entry::InProgress { token: t, expires } if *t == token && *expires > now)
    }
}

/// `now + d`, saturating far in the future instead of panicking. Durations
/// are validated to at most [`MAX_DURATION`](crate::MAX_DURATION), so the
/// fallback is only a guard.
pub(super) fn deadline(now: Instant, d: Duration) -> Instant {
    now.checked_add(d)
        .unwrap_or_else(|| now + crate::MAX_DURATION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_progress_reports_remaining_lease_and_fences_tokens() {
        let now = Instant::now();
        let e = Entry::InProgress {
            token: 7,
            expires: now + Duration::from_millis(300),
        };
        let later = now + Duration::from_millis(100);
        match e.observe(later) {
            Some(Begin::InProgress { retry_after }) => {
                assert_eq!(retry_after, Duration::from_millis(200));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(e.is_held_by(7, later));
        assert!(!e.is_held_by(8, later));
        let at_expiry = now + Duration::from_millis(300);
        assert!(!e.is_held_by(7, at_expiry));
        assert!(e.observe(at_expiry).is_none());
    }

    #[test]
    fn completed_is_never_held() {
        let now = Instant::now();
        let e = Entry::Completed {
            record: Record::new(200),
            expires: now + Duration::from_secs(1),
        };
        assert!(!e.is_held_by(0, now));
        assert!(matches!(e.observe(now), Some(Begin::Completed(r)) if r.status == 200));
    }
}
