//! [`StoreError`]: everything a store can answer instead of a result.

use std::error::Error as StdError;
use std::time::Duration;

/// Boxed source error of a backend.
type Source = Box<dyn StdError + Send + Sync + 'static>;

/// Why a store operation did not give an answer.
///
/// Each variant has a stable machine [`code`](StoreError::code).
/// [`is_unavailable`](StoreError::is_unavailable) says whether the receiver
/// should answer 503 (with [`retry_after`](StoreError::retry_after) when
/// known) so the sender retries: the delivery is never treated as processed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backend did not answer (connection refused or lost, timeout,
    /// server error).
    #[error("idempotency store unavailable: {message}")]
    Unavailable {
        /// What failed, for logs.
        message: String,
        /// The backend's error, when there is one.
        #[source]
        source: Option<Source>,
    },
    /// The memory store holds `capacity` live keys (in-flight leases and
    /// unexpired records, which are never evicted); nothing was evicted.
    #[error("idempotency store is full ({capacity} live keys); retry after {retry_after:?}")]
    Full {
        /// The configured capacity.
        capacity: usize,
        /// When to try again.
        retry_after: Duration,
    },
    /// The claim no longer holds the key: its lease expired, possibly a newer
    /// holder took it. The key's state was not changed.
    #[error("lease lost on idempotency key {key:?} (token {token}): it expired or was taken over")]
    LeaseLost {
        /// The key of the stale claim.
        key: String,
        /// The stale claim's fencing token.
        token: u64,
    },
    /// The key is empty, too long or contains control characters.
    #[error("invalid idempotency key: {reason}")]
    InvalidKey {
        /// Which rule the key broke.
        reason: &'static str,
    },
    /// A lease or TTL of zero, or longer than [`MAX_DURATION`](crate::MAX_DURATION).
    #[error("invalid {what}: {value:?} (must be > 0 and at most {max:?})", max = crate::MAX_DURATION)]
    InvalidDuration {
        /// `"lease"` or `"ttl"`.
        what: &'static str,
        /// The value given.
        value: Duration,
    },
    /// The record's body is larger than the store accepts.
    #[error("record body of {len} bytes exceeds the store's limit of {max} bytes")]
    RecordTooLarge {
        /// Body length given.
        len: usize,
        /// The store's limit.
        max: usize,
    },
    /// The backend holds data this crate cannot decode (another program wrote
    /// under our key prefix, or a newer format).
    #[error("corrupt idempotency record: {message}")]
    Corrupt {
        /// What could not be decoded.
        message: String,
    },
    /// The store's configuration is invalid (e.g. a bad Redis URL).
    #[error("invalid idempotency store configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<Source>,
    },
}

impl StoreError {
    /// Stable snake_case machine code of the variant.
    ///
    /// # Examples
    ///
    /// ```
    /// use hookproof_idempotency::StoreError;
    /// let e = StoreError::LeaseLost { key: "evt_1".into(), token: 7 };
    /// assert_eq!(e.code(), "lease_lost");
    /// assert!(!e.is_unavailable());
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Unavailable { .. } => "store_unavailable",
            StoreError::Full { .. } => "store_full",
            StoreError::LeaseLost { .. } => "lease_lost",
            StoreError::InvalidKey { .. } => "invalid_key",
            StoreError::InvalidDuration { .. } => "invalid_duration",
            StoreError::RecordTooLarge { .. } => "record_too_large",
            StoreError::Corrupt { .. } => "corrupt_record",
            StoreError::Config { .. } => "invalid_config",
        }
    }

    /// True when the store could not answer now and the receiver should
    /// reply 503 so the sender retries later: [`Unavailable`](Self::Unavailable),
    /// [`Full`](Self::Full) and [`Corrupt`](Self::Corrupt).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Unavailable { .. } | StoreError::Full { .. } | StoreError::Corrupt { .. }
        )
    }

    /// A suggested `Retry-After`, when the store knows one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            StoreError::Full { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn unavailable(
        message: impl Into<String>,
        source: impl Into<Option<Source>>,
    ) -> StoreError {
        StoreError::Unavailable {
            message: message.into(),
            source: source.into(),
        }
    }

    pub(crate) fn lease_lost(claim: &crate::Claim) -> StoreError {
        StoreError::LeaseLost {
            key: claim.key().to_owned(),
            token: claim.token(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_unavailability_is_classified() {
        let all = [
            StoreError::unavailable("down", None),
            StoreError::Full {
                capacity: 1,
                retry_after: Duration::from_secs(1),
            },
            StoreError::LeaseLost {
                key: "k".into(),
                token: 1,
            },
            StoreError::InvalidKey { reason: "empty" },
            StoreError::InvalidDuration {
                what: "lease",
                value: Duration::ZERO,
            },
            StoreError::RecordTooLarge { len: 2, max: 1 },
            StoreError::Corrupt {
                message: "x".into(),
            },
            StoreError::Config {
                message: "x".into(),
                source: None,
            },
        ];
        let mut codes: Vec<_> = all.iter().map(StoreError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        let unavailable: Vec<_> = all
            .iter()
            .filter(|e| e.is_unavailable())
            .map(StoreError::code)
            .collect();
        assert_eq!(
            unavailable,
            ["store_unavailable", "store_full", "corrupt_record"]
        );
        assert_eq!(all[1].retry_after(), Some(Duration::from_secs(1)));
        assert_eq!(all[0].retry_after(), None);
    }
}
