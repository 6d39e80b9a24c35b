//! [`MemoryStoreBuilder`]: the memory store's policy, each default documented.

use std::time::Duration;

use super::MemoryStore;

/// Configures a [`MemoryStore`].
///
/// | setting | default | meaning |
/// |---|---|---|
/// | [`capacity`](Self::capacity) | 100 000 | most live keys held at once |
/// | [`max_record_bytes`](Self::max_record_bytes) | 16 KiB | largest record body accepted |
/// | [`sweep_interval`](Self::sweep_interval) | 5 s | period of the background sweep |
///
/// Worst-case memory is about `capacity × (max_record_bytes + key + ~100 B)`;
/// with the defaults, 1.6 GiB if every record carried a full-size body.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use hookproof_idempotency::MemoryStore;
///
/// let store = MemoryStore::builder()
///     .capacity(10_000)
///     .max_record_bytes(4096)
///     .sweep_interval(Duration::from_secs(1))
///     .build();
/// assert_eq!(store.capacity(), 10_000);
/// ```
#[derive(Debug, Clone)]
pub struct MemoryStoreBuilder {
    pub(super) capacity: usize,
    pub(super) max_record_bytes: usize,
    pub(super) sweep_interval: Duration,
}

impl Default for MemoryStoreBuilder {
    fn default() -> Self {
        MemoryStoreBuilder {
            capacity: 100_000,
            max_record_bytes: 16 * 1024,
            sweep_interval: Duration::from_secs(5),
        }
    }
}

impl MemoryStoreBuilder {
    /// Most keys (in-flight leases plus unexpired records) held at once.
    /// When full, expired entries are dropped first; if none are expired,
    /// `begin` on a new key fails with
    /// [`StoreError::Full`](crate::StoreError::Full). A value of 0 is
    /// treated as 1.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// Largest record body `complete` accepts, in bytes.
    pub fn max_record_bytes(mut self, max: usize) -> Self {
        self.max_record_bytes = max;
        self
    }

    /// How often the background task removes expired entries (expiry is also
    /// checked on every access, so this only bounds memory, not correctness).
    /// A zero interval is treated as 1 ms.
    pub fn sweep_interval(mut self, every: Duration) -> Self {
        self.sweep_interval = every.max(Duration::from_millis(1));
        self
    }

    /// Build the store. Inside a Tokio runtime this spawns the sweep task,
    /// which stops when the last clone of the store is dropped; outside one
    /// there is no background sweep (expired entries are still ignored on
    /// access and removed when the store is full).
    pub fn build(self) -> MemoryStore {
        MemoryStore::from_builder(self)
    }
}
