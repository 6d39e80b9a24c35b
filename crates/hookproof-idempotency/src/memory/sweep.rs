//! The background sweep: removes expired entries so memory does not hold
//! keys nobody asks about again.

use std::sync::Weak;
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior};

use super::store::Inner;

/// Spawn the sweep on the current runtime, if there is one. The task holds
/// only a `Weak`, so it never keeps the store alive; it ends when the store
/// is gone (and the store aborts it on drop, so it stops at once).
pub(super) fn spawn(inner: Weak<Inner>, every: Duration) -> Option<tokio::task::AbortHandle> {
    let handle = tokio::runtime::Handle::try_current().ok()?;
    // The schedule starts now, not when the task is first polled.
    let first = Instant::now() + every;
    Some(handle.spawn(run(inner, first, every)).abort_handle())
}

async fn run(inner: Weak<Inner>, first: Instant, every: Duration) {
    let mut tick = tokio::time::interval_at(first, every);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // The strong reference lives only for the synchronous sweep, never
        // across an await.
        let Some(inner) = inner.upgrade() else {
            return;
        };
        let removed = inner.remove_expired(Instant::now());
        if removed > 0 {
            tracing::trace!(removed, "idempotency memory store swept expired keys");
        }
    }
}
