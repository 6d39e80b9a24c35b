//! Input rules shared by every store: keys and durations.

use std::time::Duration;

use crate::StoreError;

/// Longest accepted key, in bytes. Delivery ids are far shorter; the bound
/// keeps memory and Redis key sizes predictable.
pub const MAX_KEY_LEN: usize = 512;

/// Longest accepted lease or TTL (366 days).
pub const MAX_DURATION: Duration = Duration::from_secs(366 * 24 * 60 * 60);

/// Check a key: non-empty, at most [`MAX_KEY_LEN`] bytes, no control characters.
pub(crate) fn key(key: &str) -> Result<(), StoreError> {
    if key.is_empty() {
        return Err(StoreError::InvalidKey {
            reason: "the key is empty",
        });
    }
    if key.len() > MAX_KEY_LEN {
        return Err(StoreError::InvalidKey {
            reason: "the key is longer than 512 bytes",
        });
    }
    if key.bytes().any(|b| b.is_ascii_control()) {
        return Err(StoreError::InvalidKey {
            reason: "the key contains a control character",
        });
    }
    Ok(())
}

/// Check a lease or TTL: `0 < d <= MAX_DURATION`.
pub(crate) fn duration(what: &'static str, value: Duration) -> Result<(), StoreError> {
    if value.is_zero() || value > MAX_DURATION {
        return Err(StoreError::InvalidDuration { what, value });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(key("evt_01HZX").is_ok());
        assert!(key(&"a".repeat(MAX_KEY_LEN)).is_ok());
        for bad in ["", "a\nb", "\u{7f}", &"a".repeat(MAX_KEY_LEN + 1)] {
            assert_eq!(key(bad).unwrap_err().code(), "invalid_key", "{bad:?}");
        }
    }

    #[test]
    fn durations() {
        assert!(duration("lease", Duration::from_nanos(1)).is_ok());
        assert!(duration("lease", MAX_DURATION).is_ok());
        assert!(duration("ttl", Duration::ZERO).is_err());
        assert!(duration("ttl", MAX_DURATION + Duration::from_nanos(1)).is_err());
    }
}
