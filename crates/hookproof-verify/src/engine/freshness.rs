//! The timestamp tolerance check: a pure function of (timestamp, now, tolerance).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::TimestampUnit;

/// Outcome of a failed freshness check, in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stale {
    /// `now - timestamp` exceeds the tolerance.
    TooOld { skew_secs: i64 },
    /// `timestamp - now` exceeds the tolerance.
    InFuture { skew_secs: i64 },
}

/// Accepts `|now - ts| <= tolerance` (both edges inclusive), with `now`
/// truncated to the timestamp's unit first, as the senders' own SDKs do
/// (`int(time.time())`), so a timestamp exactly `tolerance` old is accepted
/// during that whole second.
#[inline]
pub(crate) fn check(
    ts: i64,
    unit: TimestampUnit,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), Stale> {
    // Everything in the timestamp's unit, integers only (no i128 on the hot path).
    let (now_units, tol_units, per_sec): (i64, i64, i64) = match unit {
        TimestampUnit::Seconds => (signed_secs(now), clamp(tolerance.as_secs().into()), 1),
        TimestampUnit::Millis => (signed_millis(now), clamp(tolerance.as_millis()), 1000),
    };
    let skew = now_units.saturating_sub(ts);
    if skew > tol_units {
        Err(Stale::TooOld {
            skew_secs: skew / per_sec,
        })
    } else if skew.saturating_neg() > tol_units {
        Err(Stale::InFuture {
            skew_secs: skew.saturating_neg() / per_sec,
        })
    } else {
        Ok(())
    }
}

fn clamp(v: u128) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Whole seconds since the epoch, rounded down (also before 1970).
fn signed_secs(now: SystemTime) -> i64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(d) => clamp(d.as_secs().into()),
        Err(e) => {
            let d = e.duration();
            let s = clamp(d.as_secs().into());
            if d.subsec_nanos() > 0 {
                s.saturating_neg() - 1
            } else {
                s.saturating_neg()
            }
        }
    }
}

/// Whole milliseconds since the epoch, rounded down.
fn signed_millis(now: SystemTime) -> i64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(d) => clamp(d.as_millis()),
        Err(e) => {
            let d = e.duration();
            let ms = clamp(d.as_millis());
            if d.as_nanos() % 1_000_000 > 0 {
                ms.saturating_neg() - 1
            } else {
                ms.saturating_neg()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn edges_are_inclusive() {
        let tol = Duration::from_secs(300);
        assert_eq!(check(1000, TimestampUnit::Seconds, at(1300), tol), Ok(()));
        assert_eq!(
            check(1000, TimestampUnit::Seconds, at(1301), tol),
            Err(Stale::TooOld { skew_secs: 301 })
        );
        assert_eq!(check(1300, TimestampUnit::Seconds, at(1000), tol), Ok(()));
        assert_eq!(
            check(1301, TimestampUnit::Seconds, at(1000), tol),
            Err(Stale::InFuture { skew_secs: 301 })
        );
    }

    #[test]
    fn millis_and_subsecond_now() {
        let tol = Duration::from_secs(5);
        let now = UNIX_EPOCH + Duration::from_millis(10_000);
        assert_eq!(check(5_000, TimestampUnit::Millis, now, tol), Ok(()));
        assert!(check(4_999, TimestampUnit::Millis, now, tol).is_err());
        // now is truncated to whole seconds: 300.9 s old is still 300 s old
        let tol = Duration::from_secs(300);
        let now = UNIX_EPOCH + Duration::from_millis(1_300_900);
        assert_eq!(check(1000, TimestampUnit::Seconds, now, tol), Ok(()));
        let now = UNIX_EPOCH + Duration::from_millis(1_301_000);
        assert!(check(1000, TimestampUnit::Seconds, now, tol).is_err());
    }

    #[test]
    fn extremes_do_not_overflow() {
        let tol = Duration::MAX;
        assert_eq!(check(i64::MAX, TimestampUnit::Millis, at(0), tol), Ok(()));
        let before = UNIX_EPOCH - Duration::from_millis(1500);
        assert_eq!(signed_secs(before), -2);
        assert_eq!(signed_millis(before), -1500);
        assert_eq!(
            check(0, TimestampUnit::Seconds, before, Duration::from_secs(1)),
            Err(Stale::InFuture { skew_secs: 2 })
        );
    }
}
