//! Retry policy: which outcomes are retried and how long to wait.
//!
//! Everything here is a plain function of its inputs (the random jitter and the
//! clock are parameters), so the policy is tested without sleeping.

use std::time::{Duration, SystemTime};

/// How failed attempts are retried. Each field's default is the one gateway
/// docs use; the `[retry]` table of the config file maps onto it.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use hookproof_emitter::RetryPolicy;
///
/// let policy = RetryPolicy::default();
/// // Without jitter (u = 0), the delay doubles from one second.
/// assert_eq!(policy.backoff(1, 0.0), Duration::from_secs(1));
/// assert_eq!(policy.backoff(3, 0.0), Duration::from_secs(4));
/// // ... up to max_delay.
/// assert_eq!(policy.backoff(20, 0.0), Duration::from_secs(60));
/// assert!(policy.is_retryable_status(503));
/// assert!(!policy.is_retryable_status(400));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts per endpoint, the first one included (default 5). A backup
    /// endpoint gets the same number again.
    pub max_attempts: u32,
    /// Delay before the first retry (default 1 s).
    pub initial_delay: Duration,
    /// Factor between consecutive delays (default 2.0).
    pub backoff_multiplier: f64,
    /// Upper bound of any delay, Retry-After included (default 60 s).
    pub max_delay: Duration,
    /// Fraction of the delay removed at random so that retries from many
    /// events spread out (default 0.2: the delay is 80–100% of the backoff).
    pub jitter: f64,
    /// HTTP statuses that are retried (default 408, 429, 500, 502, 503, 504).
    /// Connection errors and timeouts are always retried. Besides these, a
    /// `409 Conflict` that carries `Retry-After` is retried (see
    /// [`RetryPolicy::is_retryable_response`]).
    pub retryable_status_codes: Vec<u16>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_delay: Duration::from_millis(1000),
            backoff_multiplier: 2.0,
            max_delay: Duration::from_millis(60_000),
            jitter: 0.2,
            retryable_status_codes: vec![408, 429, 500, 502, 503, 504],
        }
    }
}

impl RetryPolicy {
    /// The delay before retry number `retry` (1 for the first retry), with
    /// `u` a random number in `[0, 1)` that picks the jitter.
    ///
    /// `initial_delay * backoff_multiplier^(retry-1)`, capped at `max_delay`,
    /// minus `jitter * u` of itself.
    #[must_use]
    pub fn backoff(&self, retry: u32, u: f64) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let base = self.initial_delay.as_secs_f64() * self.backoff_multiplier.powi(exponent);
        let capped = if base.is_finite() {
            base.min(self.max_delay.as_secs_f64())
        } else {
            self.max_delay.as_secs_f64()
        };
        let jitter = self.jitter.clamp(0.0, 1.0) * u.clamp(0.0, 1.0);
        Duration::from_secs_f64((capped * (1.0 - jitter)).max(0.0))
    }

    /// Whether a response with this status is retried.
    #[must_use]
    pub fn is_retryable_status(&self, status: u16) -> bool {
        self.retryable_status_codes.contains(&status)
    }

    /// Whether a response is retried, given its status and parsed
    /// `Retry-After`: a status in [`retryable_status_codes`](Self::retryable_status_codes),
    /// or `409 Conflict` with a `Retry-After`. The latter is what an
    /// idempotent receiver (`hookproof-axum`, Stripe-style APIs) answers
    /// while the same delivery id is still being processed — typically the
    /// attempt this emitter timed out on. Giving up there would dead-letter
    /// a delivery the receiver is about to complete; a 409 without
    /// `Retry-After` is a final answer.
    ///
    /// ```
    /// use hookproof_emitter::policy::RetryPolicy;
    /// use std::time::Duration;
    ///
    /// let policy = RetryPolicy::default();
    /// assert!(policy.is_retryable_response(409, Some(Duration::from_secs(1))));
    /// assert!(!policy.is_retryable_response(409, None));
    /// assert!(policy.is_retryable_response(503, None));
    /// assert!(!policy.is_retryable_response(400, Some(Duration::from_secs(1))));
    /// ```
    #[must_use]
    pub fn is_retryable_response(&self, status: u16, retry_after: Option<Duration>) -> bool {
        self.is_retryable_status(status) || (status == 409 && retry_after.is_some())
    }

    /// The delay before retry number `retry`, given the response's
    /// `Retry-After` (already parsed with [`parse_retry_after`]).
    ///
    /// The receiver's wish is honoured: the delay is at least `Retry-After`,
    /// never more than `max_delay`.
    #[must_use]
    pub fn next_delay(&self, retry: u32, u: f64, retry_after: Option<Duration>) -> Duration {
        let backoff = self.backoff(retry, u);
        match retry_after {
            Some(wanted) => backoff.max(wanted).min(self.max_delay),
            None => backoff,
        }
    }
}

/// Parses a `Retry-After` header value: delay seconds (`"120"`) or an
/// HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`), relative to `now`.
///
/// A date in the past means "now" (zero). Anything else is `None`.
///
/// # Examples
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use hookproof_emitter::policy::parse_retry_after;
///
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
/// assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
#[must_use]
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn backoff_grows_then_caps() {
        let p = RetryPolicy::default();
        let delays: Vec<_> = (1..=8).map(|r| p.backoff(r, 0.0)).collect();
        assert_eq!(
            delays,
            vec![
                secs(1),
                secs(2),
                secs(4),
                secs(8),
                secs(16),
                secs(32),
                secs(60),
                secs(60)
            ]
        );
        assert_eq!(p.backoff(u32::MAX, 0.0), secs(60));
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(2, 0.5), Duration::from_millis(1800));
        let max_jitter = p.backoff(2, 0.999_999);
        assert!(max_jitter >= Duration::from_millis(1600) && max_jitter < secs(2));
        // Out-of-range random inputs are clamped, never negative.
        assert_eq!(p.backoff(2, 7.0), Duration::from_millis(1600));
        assert_eq!(p.backoff(2, -1.0), secs(2));
    }

    #[test]
    fn huge_multiplier_does_not_overflow() {
        let p = RetryPolicy {
            backoff_multiplier: 1e300,
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff(40, 0.0), secs(60));
    }

    #[test]
    fn retry_after_raises_the_delay_but_never_past_max() {
        let p = RetryPolicy::default();
        assert_eq!(p.next_delay(1, 0.0, Some(secs(10))), secs(10));
        assert_eq!(p.next_delay(1, 0.0, Some(secs(3600))), secs(60));
        // A shorter Retry-After does not shorten the backoff.
        assert_eq!(p.next_delay(3, 0.0, Some(secs(1))), secs(4));
        assert_eq!(p.next_delay(3, 0.0, None), secs(4));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + secs(1_700_000_000);
        assert_eq!(parse_retry_after(" 120 ", now), Some(secs(120)));
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + secs(30));
        assert_eq!(parse_retry_after(&later, now), Some(secs(30)));
        let earlier = httpdate::fmt_http_date(now - secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        assert_eq!(parse_retry_after("99999999999999999999999", now), None);
    }

    #[test]
    fn default_retryable_statuses() {
        let p = RetryPolicy::default();
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(p.is_retryable_status(s), "{s}");
        }
        for s in [200, 301, 400, 401, 404, 409, 410, 422, 501] {
            assert!(!p.is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn conflict_with_retry_after_is_retried_and_only_then() {
        let p = RetryPolicy::default();
        let later = Some(secs(2));
        assert!(p.is_retryable_response(409, later));
        assert!(!p.is_retryable_response(409, None));
        // Retry-After does not make other final answers retryable.
        for s in [400, 401, 404, 410, 422] {
            assert!(!p.is_retryable_response(s, later), "{s}");
        }
        for s in [408, 429, 500, 503] {
            assert!(p.is_retryable_response(s, None), "{s}");
        }
    }
}
