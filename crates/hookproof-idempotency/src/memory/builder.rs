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
/// | [`when_full`](Self::when_full) | [`WhenFull::EvictOldestRecords`] | what a full store does with a new key |
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
/// use hookproof_idempotency::WhenFull;
///
/// let store = MemoryStore::builder()
///     .capacity(10_000)
///     .max_record_bytes(4096)
///     .sweep_interval(Duration::from_secs(1))
///     .when_full(WhenFull::Refuse)
///     .build();
/// assert_eq!(store.capacity(), 10_000);
/// ```
#[derive(Debug, Clone)]
pub struct MemoryStoreBuilder {
    pub(super) capacity: usize,
    pub(super) max_record_bytes: usize,
    pub(super) sweep_interval: Duration,
    pub(super) when_full: WhenFull,
}

/// What a [`MemoryStore`] at [`capacity`](MemoryStoreBuilder::capacity)
/// does with a new key once its expired entries are gone.
///
/// Either way an in-flight lease is never evicted, and expired entries
/// always go first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum WhenFull {
    /// Forget the completed records closest to their expiry (with one
    /// record TTL, the oldest) to make room: enough to bring the store down
    /// to three quarters of its capacity, at least one. Each eviction is logged
    /// (`tracing` warning) and counted in [`MemoryStore::evicted`].
    ///
    /// Memory stays bounded and new deliveries keep being processed. The
    /// cost: a duplicate of an evicted delivery, arriving later than the
    /// oldest record the store could keep, runs the handler again. Senders
    /// retry within minutes to hours, so size the store to hold at least
    /// their retry window and this does not happen.
    #[default]
    EvictOldestRecords,
    /// Keep every record for its full TTL and refuse new keys with
    /// [`StoreError::Full`](crate::StoreError::Full) (the axum layer answers
    /// 503 + `Retry-After`; the sender retries) until entries expire. No
    /// duplicate ever runs twice, but a store sized below its traffic stops
    /// taking new deliveries.
    Refuse,
}

impl Default for MemoryStoreBuilder {
    fn default() -> Self {
        MemoryStoreBuilder {
            capacity: 100_000,
            max_record_bytes: 16 * 1024,
            sweep_interval: Duration::from_secs(5),
            when_full: WhenFull::default(),
        }
    }
}

impl MemoryStoreBuilder {
    /// Most keys (in-flight leases plus unexpired records) held at once.
    /// When full, expired entries are dropped first; if none are expired,
    /// the [`when_full`](Self::when_full) policy decides. A value of 0 is
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

    /// What a full store does with a new key once expired entries are gone:
    /// evict the oldest completed records (the default) or refuse the key.
    /// See [`WhenFull`].
    pub fn when_full(mut self, policy: WhenFull) -> Self {
        self.when_full = policy;
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
