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
///                 begin                     complete(claim, record, ttl)
///   ┌────────┐ ───────────▶ ┌────────────────┐ ──────────────────────────▶ ┌───────────┐
///   │ absent │              │  in progress   │                             │ completed │
///   │        │ ◀─────────── │ (token, lease) │                             │ (record)  │
///   └────────┘  release or  └────────────────┘                             └───────────┘
///       ▲      lease expiry     │         ▲                                      │
///       │                       └─────────┘                                      │
///       │           renew(claim, lease): the lease now ends at now + lease       │
///       │                                                                        │
///       └──────────────────────────────── ttl expiry ────────────────────────────┘
///
///   begin while in progress → InProgress { retry_after }; while completed → Completed(record)
/// ```
///
/// - `begin` on an absent (or expired) key moves it to *in progress* with a
///   fresh fencing token and a lease, and returns [`Begin::Acquired`] with the
///   [`Claim`]. Exactly one of any number of concurrent `begin`s on one key
///   acquires it.
/// - `begin` on an in-progress key returns [`Begin::InProgress`] with the time
///   left on the holder's lease (never more than the lease it was last set
///   or renewed to).
/// - `begin` on a completed key returns [`Begin::Completed`] with the stored
///   [`Record`] until its `ttl` runs out.
/// - `renew` moves the deadline of a live lease to `now + lease`, so a
///   handler that runs longer than one lease keeps the key as long as it
///   keeps renewing (every third of the lease, say). A holder that stops
///   renewing — it crashed or hangs — loses the key one lease after its
///   last renewal.
/// - `complete`, `release` and `renew` only act if the claim's token still
///   holds a live lease on the key. A holder whose lease expired — even if
///   nobody took the key over yet — gets [`StoreError::LeaseLost`], and the
///   state of the key (possibly a newer holder's) is left untouched. This is
///   the fencing rule. Tokens grow with every acquisition in a store (in
///   `RedisStore` even across a Redis restart that lost every key), so a
///   stale claim never matches a newer holder's.
/// - A claim dropped without `complete` or `release` (a crashed handler)
///   blocks the key for at most the lease (counted from its last renewal),
///   then the key is free again.
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

    /// Keep holding the key: if `claim` still holds a live lease, its
    /// deadline becomes `now + lease`, counted from when the store handles
    /// the call.
    ///
    /// This sets the deadline rather than adding to it, so a `lease` shorter
    /// than what is left *shortens* the lease (a holder that knows it is
    /// nearly done may do so; callers that only want to extend pass their
    /// usual lease). The claim stays valid for `complete`, `release` and
    /// further renewals. Call it periodically while the handler runs — every
    /// third of the lease leaves two chances before the lease runs out.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use hookproof_idempotency::{Begin, IdempotencyStore, MemoryStore, Record};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), hookproof_idempotency::StoreError> {
    /// let store = MemoryStore::new();
    /// let lease = Duration::from_secs(30);
    /// let Begin::Acquired(claim) = store.begin("evt_1", lease).await? else { unreachable!() };
    /// // The handler is still running: hold the key for another 10 minutes.
    /// store.renew(&claim, Duration::from_secs(600)).await?;
    /// match store.begin("evt_1", lease).await? {
    ///     Begin::InProgress { retry_after } => assert!(retry_after > lease),
    ///     other => panic!("expected InProgress, got {other:?}"),
    /// }
    /// // Zero is not a lease.
    /// let err = store.renew(&claim, Duration::ZERO).await.unwrap_err();
    /// assert_eq!(err.code(), "invalid_duration");
    /// store.complete(claim, Record::new(200), Duration::from_secs(3600)).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`StoreError::InvalidDuration`] if `lease` is zero or longer than
    /// [`MAX_DURATION`](crate::MAX_DURATION); [`StoreError::LeaseLost`] if
    /// the claim's lease already expired, was released or completed, or the
    /// key was taken over (nothing is changed then: stop working and do not
    /// complete); [`StoreError::Unavailable`] if the store cannot answer (the
    /// lease is unchanged; retry before it runs out).
    fn renew<'a>(
        &'a self,
        claim: &'a Claim,
        lease: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
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

            fn renew<'a>(
                &'a self,
                claim: &'a Claim,
                lease: Duration,
            ) -> BoxFuture<'a, Result<(), StoreError>> {
                (**self).renew(claim, lease)
            }
        }
    )+};
}

forward_through!(Arc, Box);
