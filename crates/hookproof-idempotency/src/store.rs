//! The [`IdempotencyStore`] trait: the per-key state machine every store implements.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::{Begin, Claim, Record, StoreError};

/// A boxed, `Send` future, so that [`IdempotencyStore`] stays object-safe
/// (`Arc<dyn IdempotencyStore>` works).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Remembers, per delivery id ("key"), whether a delivery is new, being
/// processed, or done — so each delivery's side effects run once although
/// senders deliver at least once.
///
/// # State machine (per key)
///
/// ```text
///                 begin                      complete(claim, record, ttl)
///   ┌────────┐  ──────────▶  ┌─────────────┐ ─────────────────────────────▶ ┌───────────┐
///   │ absent │               │ in progress │                                │ completed │
///   └────────┘  ◀──────────  │ (token, lease)│                              │ (record)  │
///       ▲   release(claim)   └─────────────┘                                └───────────┘
///       │   or lease expiry        │ begin → InProgress { retry_after }          │ begin → Completed(record)
///       └──────────────────────────┴──── ttl expiry ──────────────────────────────┘
/// ```
///
/// - `begin` on an absent (or expired) key moves it to *in progress* with a
///   fresh fencing token and a lease, and returns [`Begin::Acquired`] with the
///   [`Claim`]. Exactly one of any number of concurrent `begin`s on one key
///   acquires it.
/// - `begin` on an in-progress key returns [`Begin::InProgress`] with the time
///   left on the lease (never more than the lease).
/// - `begin` on a completed key returns [`Begin::Completed`] with the stored
///   [`Record`] until its `ttl` runs out.
/// - `complete` and `release` only act if the claim's token still holds a live
///   lease on the key. A holder whose lease expired — even if nobody took the
///   key over yet — gets [`StoreError::LeaseLost`], and the state of the key
///   (possibly a newer holder's) is left untouched. This is the fencing rule.
/// - A claim dropped without `complete` or `release` (a crashed handler)
///   blocks the key for at most the lease, then the key is free again.
///
/// # Errors
///
/// Every method returns a typed [`StoreError`]. A store that cannot answer
/// (Redis down, memory store full) returns an error for which
/// [`StoreError::is_unavailable`] is true; callers answer 503 so the sender
/// retries. A store never answers "already processed" when it does not know.
pub trait IdempotencyStore: Send + Sync + std::fmt::Debug + 'static {
    /// Try to start processing `key`, holding it for at most `lease`.
    ///
    /// # Errors
    ///
    /// [`StoreError::InvalidKey`] / [`StoreError::InvalidDuration`] for bad
    /// input; [`StoreError::Full`] or [`StoreError::Unavailable`] when the
    /// store cannot take the key now.
    fn begin<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Begin, StoreError>>;

    /// Store the outcome of a processed delivery for `ttl`, ending the lease.
    ///
    /// # Errors
    ///
    /// [`StoreError::LeaseLost`] if the claim's lease expired or was taken
    /// over; [`StoreError::RecordTooLarge`] if the record's body exceeds the
    /// store's limit; [`StoreError::Unavailable`] if the store cannot answer.
    fn complete<'a>(
        &'a self,
        claim: Claim,
        record: Record,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Give the key up after a failed attempt, so the sender's retry runs.
    ///
    /// # Errors
    ///
    /// [`StoreError::LeaseLost`] if the claim's lease expired or was taken
    /// over; [`StoreError::Unavailable`] if the store cannot answer (the lease
    /// then frees the key when it runs out).
    fn release<'a>(&'a self, claim: Claim) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// Forwards the trait through a smart pointer, so `Arc<dyn IdempotencyStore>`
/// and `Box<dyn IdempotencyStore>` are stores too.
macro_rules! forward_through {
    ($($pointer:ident),+) => {$(
        impl<T: IdempotencyStore + ?Sized> IdempotencyStore for $pointer<T> {
            fn begin<'a>(
                &'a self,
                key: &'a str,
                lease: Duration,
            ) -> BoxFuture<'a, Result<Begin, StoreError>> {
                (**self).begin(key, lease)
            }

            fn complete<'a>(
                &'a self,
                claim: Claim,
                record: Record,
                ttl: Duration,
            ) -> BoxFuture<'a, Result<(), StoreError>> {
                (**self).complete(claim, record, ttl)
            }

            fn release<'a>(&'a self, claim: Claim) -> BoxFuture<'a, Result<(), StoreError>> {
                (**self).release(claim)
            }
        }
    )+};
}

forward_through!(Arc, Box);
