//! [`Claim`]: proof of holding a key's lease, with its fencing token.

use std::sync::Arc;

/// Proof that the caller holds the lease on a key, returned by
/// [`Begin::Acquired`](crate::Begin::Acquired).
///
/// It carries the key and a *fencing token*: a number that grows with every
/// acquisition in a store (`MemoryStore`: a counter from 1; `RedisStore`:
/// microseconds of the Redis server's clock, kept increasing by a counter,
/// so tokens also grow across a Redis restart that lost the counter). A
/// store only lets `complete`/`release`/`renew` act when the key is still
/// held, under a live lease, with this exact token, so a handler whose lease
/// ran out cannot overwrite a newer holder's work.
///
/// A claim is deliberately not `Clone`: `complete` and `release` consume it;
/// [`renew`](crate::IdempotencyStore::renew) borrows it, so the task awaiting
/// the handler can renew on an interval beside it (`tokio::select!`) and
/// still complete the claim afterwards. Dropping it
/// without `complete` or `release` leaves the key blocked until the lease
/// expires.
#[derive(Debug, PartialEq, Eq)]
pub struct Claim {
    key: Arc<str>,
    token: u64,
}

impl Claim {
    /// Build a claim. Meant for implementors of
    /// [`IdempotencyStore`](crate::IdempotencyStore); handlers get claims
    /// from `begin`. A forged claim only passes the fencing check if its
    /// token matches the live holder's.
    pub fn new(key: impl Into<Arc<str>>, token: u64) -> Claim {
        Claim {
            key: key.into(),
            token,
        }
    }

    /// The key (delivery id) this claim holds.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The fencing token of this acquisition.
    pub fn token(&self) -> u64 {
        self.token
    }

    pub(crate) fn shared_key(&self) -> &Arc<str> {
        &self.key
    }
}
