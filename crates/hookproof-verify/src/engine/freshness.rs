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
pub(crate) fn check(
    ts: i64,
    unit: TimestampUnit,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), Stale> {
    let scale: i128 = match unit {
        TimestampUnit::Seconds => 1_000_000_000,
        TimestampUnit::Millis => 1_000_000,
    };
    let now_ns: i128 = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    let now_ns = now_ns.div_euclid(scale) * scale;
    let skew_ns = now_ns - i128::from(ts) * scale;
    let tol_ns = tolerance.as_nanos() as i128;
    let secs = |ns: i128| i64::try_from(ns / 1_000_000_000).unwrap_or(i64::MAX);
    if skew_ns > tol_ns {
        Err(Stale::TooOld {
            skew_secs: secs(skew_ns),
        })
    } else if -skew_ns > tol_ns {
        Err(Stale::InFuture {
            skew_secs: secs(-skew_ns),
        })
    } else {
        Ok(())
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
}
