//! [`ClaimGuard`]: a held idempotency claim that is released if nobody
//! completes it (handler error, dropped future, panic).

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use hookproof_idempotency::{Claim, IdempotencyStore, Record, StoreError};

/// Owns an acquired [`Claim`] until it is completed or released.
///
/// Dropping the guard while it still holds the claim (the request future was
/// cancelled, or the handler panicked and unwound through it) spawns the
/// release on the current tokio runtime, so a retry can run immediately
/// instead of waiting for the lease to expire. Without a runtime the claim is
/// left to expire with its lease.
pub(crate) struct ClaimGuard {
    /// The store and the claim, taken together when the claim is settled
    /// (moved into the settling future, so the store handle is not cloned).
    held: Option<(Arc<dyn IdempotencyStore>, Claim)>,
}

impl ClaimGuard {
    pub(crate) fn new(store: Arc<dyn IdempotencyStore>, claim: Claim) -> Self {
        Self {
            held: Some((store, claim)),
        }
    }

    /// Runs `work` (the handler) to completion while keeping the claim's
    /// lease alive: every third of `lease` the lease is renewed for another
    /// `lease`, so a handler slower than the lease is never taken over and
    /// run a second time by a retry, and its `complete` still holds.
    ///
    /// The caller polls `work` once first: a handler that answers at once
    /// needs no renewal. A renewal that fails because the store is
    /// unreachable is retried at the next tick; one that finds the lease
    /// lost (the store forgot it, or the handler was stalled past the lease)
    /// stops renewing and is logged, since a retry may then run the delivery
    /// again.
    pub(crate) async fn renewing<F: Future>(&self, work: F, lease: Duration) -> F::Output {
        let mut work = pin!(work);
        let Some((store, claim)) = &self.held else {
            return work.await;
        };
        let every = (lease / 3).max(Duration::from_millis(1));
        let renew = async {
            loop {
                tokio::time::sleep(every).await;
                match store.renew(claim, lease).await {
                    Ok(()) => {}
                    Err(StoreError::LeaseLost { .. }) => {
                        tracing::warn!(
                            key = claim.key(),
                            "the webhook claim's lease was lost while the handler ran; a retry may run it again"
                        );
                        return;
                    }
                    Err(error) => tracing::warn!(
                        key = claim.key(),
                        code = error.code(),
                        "renewing the webhook claim's lease failed; retrying at the next tick"
                    ),
                }
            }
        };
        tokio::select! {
            biased;
            output = &mut work => return output,
            () = renew => {}
        }
        work.await
    }

    /// Records the outcome so duplicates are answered from the store.
    ///
    /// Not an `async fn`: the returned future holds only the claim, the
    /// record and the store, not the guard as well (it is awaited inside the
    /// boxed per-delivery future, whose size is kept small).
    pub(crate) fn complete(
        mut self,
        record: Record,
        ttl: Duration,
    ) -> impl Future<Output = Result<(), StoreError>> + use<> {
        let held = self.held.take();
        async move {
            match held {
                Some((store, claim)) => store.complete(claim, record, ttl).await,
                None => Ok(()),
            }
        }
    }

    /// Gives the claim back so a retry of the same delivery can run.
    pub(crate) fn release(mut self) -> impl Future<Output = Result<(), StoreError>> + use<> {
        let held = self.held.take();
        async move {
            match held {
                Some((store, claim)) => store.release(claim).await,
                None => Ok(()),
            }
        }
    }
}

impl Drop for ClaimGuard {
    fn drop(&mut self) {
        let Some((store, claim)) = self.held.take() else {
            return;
        };
        let key = claim.key().to_owned();
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                let task_key = key.clone();
                handle.spawn(async move {
                    let key = task_key;
                    if let Err(error) = store.release(claim).await {
                        tracing::warn!(
                            key,
                            code = error.code(),
                            "releasing an abandoned webhook claim failed"
                        );
                    }
                });
                tracing::debug!(key, "webhook claim abandoned; release spawned");
            }
            Err(_) => {
                tracing::warn!(
                    key,
                    "webhook claim abandoned outside a tokio runtime; it expires with its lease"
                );
            }
        }
    }
}

impl std::fmt::Debug for ClaimGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimGuard")
            .field("key", &self.held.as_ref().map(|(_, claim)| claim.key()))
            .finish_non_exhaustive()
    }
}
