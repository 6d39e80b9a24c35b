//! The store-independent suite: every function here runs against every store.
//!
//! A [`Harness`] gives a fresh store and a way to let time pass: the memory
//! store uses Tokio's paused clock, Redis needs real time (its TTLs run on
//! the server).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use hookproof_idempotency::{Begin, Claim, IdempotencyStore, Record, StoreError};
use tokio::sync::Barrier;

/// Lease used by the suite; long enough for a real Redis round trip on a
/// loaded machine, short enough to wait out in real time.
pub(crate) const LEASE: Duration = Duration::from_millis(400);
pub(crate) const TTL: Duration = Duration::from_millis(800);

pub(crate) trait Harness {
    type Store: IdempotencyStore + Clone;
    fn store(&self) -> Self::Store;
    /// Let `d` pass for the store.
    fn pass(&self, d: Duration) -> impl Future<Output = ()>;
    /// Clean up after a passed test (e.g. keys left in a shared Redis).
    fn finish(self) -> impl Future<Output = ()>;
}

/// A key no other test (or run, on a shared Redis) uses.
pub(crate) fn key(name: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{name}-{}", N.fetch_add(1, Ordering::Relaxed))
}

pub(crate) async fn acquire<S: IdempotencyStore>(store: &S, key: &str, lease: Duration) -> Claim {
    match store.begin(key, lease).await {
        Ok(Begin::Acquired(claim)) => claim,
        other => panic!("expected Acquired for {key}, got {other:?}"),
    }
}

/// N tasks race `begin` on one key after a barrier: exactly one acquires,
/// all others see it in progress.
pub(crate) async fn racing_begin_acquires_once<H: Harness>(h: &H, tasks: usize) {
    let store = h.store();
    let key: Arc<str> = key("race").into();
    let barrier = Arc::new(Barrier::new(tasks));
    let mut handles = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let (store, key, barrier) = (store.clone(), Arc::clone(&key), Arc::clone(&barrier));
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            store.begin(&key, Duration::from_secs(30)).await
        }));
    }
    let mut acquired = Vec::new();
    let mut in_progress = 0;
    for handle in handles {
        match handle.await.expect("task") {
            Ok(Begin::Acquired(claim)) => acquired.push(claim),
            Ok(Begin::InProgress { .. }) => in_progress += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(acquired.len(), 1, "exactly one task acquires");
    assert_eq!(in_progress, tasks - 1);
    let claim = acquired.pop().expect("one claim");
    store.release(claim).await.expect("the winner releases");
}

/// A completed key returns its record (binary-safe) until the TTL runs out,
/// then it can be acquired again.
pub(crate) async fn completed_record_returned_until_ttl<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("done");
    let claim = acquire(&store, &key, LEASE).await;
    let body = Bytes::from_static(b"\x00\xff{\"ok\":true}\r\n\x00");
    let record = Record::new(202).with_body("application/octet-stream", body);
    store
        .complete(claim, record.clone(), TTL)
        .await
        .expect("complete");
    for _ in 0..2 {
        match store.begin(&key, LEASE).await {
            Ok(Begin::Completed(got)) => assert_eq!(got, record),
            other => panic!("expected the record, got {other:?}"),
        }
    }
    h.pass(TTL / 2).await;
    assert!(matches!(
        store.begin(&key, LEASE).await,
        Ok(Begin::Completed(_))
    ));
    h.pass(TTL / 2 + Duration::from_millis(50)).await;
    let again = acquire(&store, &key, LEASE).await;
    store.release(again).await.expect("release");
}

/// A record without body or content type comes back the same.
pub(crate) async fn bodiless_record_round_trips<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("nobody");
    let claim = acquire(&store, &key, LEASE).await;
    store
        .complete(claim, Record::new(204), TTL)
        .await
        .expect("complete");
    match store.begin(&key, LEASE).await {
        Ok(Begin::Completed(got)) => assert_eq!(got, Record::new(204)),
        other => panic!("expected the record, got {other:?}"),
    }
}

/// A crashed holder's lease expires: the key is free again, and the old
/// claim can neither complete nor release over the new holder.
pub(crate) async fn lease_expiry_frees_key_and_fences_old_holder<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("lease");
    let stale = acquire(&store, &key, LEASE).await;
    assert!(matches!(
        store.begin(&key, LEASE).await,
        Ok(Begin::InProgress { .. })
    ));
    h.pass(LEASE + Duration::from_millis(50)).await;

    let fresh = acquire(&store, &key, Duration::from_secs(30)).await;
    assert!(fresh.token() > stale.token(), "fencing tokens increase");
    let stale_token = stale.token();
    match store.complete(stale, Record::new(200), TTL).await {
        Err(StoreError::LeaseLost { key: k, token }) => {
            assert_eq!((k.as_str(), token), (key.as_str(), stale_token));
        }
        other => panic!("stale complete must be fenced, got {other:?}"),
    }
    let stale_again = Claim::new(key.as_str(), stale_token);
    assert_eq!(
        store
            .release(stale_again)
            .await
            .expect_err("stale release")
            .code(),
        "lease_lost"
    );
    // The new holder's state is untouched: still in progress, and it can
    // complete.
    assert!(matches!(
        store.begin(&key, LEASE).await,
        Ok(Begin::InProgress { .. })
    ));
    store
        .complete(fresh, Record::new(201), TTL)
        .await
        .expect("fresh complete");
    assert!(matches!(store.begin(&key, LEASE).await, Ok(Begin::Completed(r)) if r.status == 201));
}

/// A crashed handler (claim dropped without complete or release) blocks the
/// delivery for at most the lease: retries are told when to come back, and
/// the first retry after the lease runs the handler.
pub(crate) async fn crashed_handler_blocks_at_most_the_lease<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("crash");
    drop(acquire(&store, &key, LEASE).await);
    let Ok(Begin::InProgress { retry_after }) = store.begin(&key, LEASE).await else {
        panic!("expected InProgress while the lease runs");
    };
    assert!(retry_after <= LEASE);
    h.pass(retry_after + Duration::from_millis(20)).await;
    let claim = acquire(&store, &key, LEASE).await;
    store.release(claim).await.expect("release");
}

/// A lease that expired is lost even if nobody took the key over.
pub(crate) async fn expired_lease_cannot_complete<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("expired");
    let claim = acquire(&store, &key, LEASE).await;
    h.pass(LEASE + Duration::from_millis(50)).await;
    let err = store
        .complete(claim, Record::new(200), TTL)
        .await
        .expect_err("expired");
    assert_eq!(err.code(), "lease_lost");
    // Nothing was recorded: the next attempt runs the handler.
    let next = acquire(&store, &key, LEASE).await;
    store.release(next).await.expect("release");
}

/// After `release`, the next `begin` acquires; a second release of the same
/// token is fenced.
pub(crate) async fn release_lets_next_begin_acquire<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("release");
    let first = acquire(&store, &key, LEASE).await;
    let token = first.token();
    store.release(first).await.expect("release");
    let second = acquire(&store, &key, LEASE).await;
    assert_ne!(second.token(), token);
    let err = store
        .release(Claim::new(key.as_str(), token))
        .await
        .expect_err("old token");
    assert_eq!(err.code(), "lease_lost");
    assert!(matches!(
        store.begin(&key, LEASE).await,
        Ok(Begin::InProgress { .. })
    ));
    store.release(second).await.expect("release");
}

/// `retry_after` of an in-progress key never exceeds what is left of the lease.
pub(crate) async fn in_progress_retry_after_within_remaining_lease<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("retry");
    let claim = acquire(&store, &key, LEASE).await;
    let Ok(Begin::InProgress { retry_after }) = store.begin(&key, LEASE).await else {
        panic!("expected InProgress");
    };
    assert!(
        retry_after <= LEASE && !retry_after.is_zero(),
        "{retry_after:?}"
    );
    let waited = LEASE / 2;
    h.pass(waited).await;
    let Ok(Begin::InProgress { retry_after }) = store.begin(&key, LEASE).await else {
        panic!("expected InProgress");
    };
    assert!(retry_after <= LEASE - waited, "{retry_after:?} > remaining");
    store.release(claim).await.expect("release");
}

/// Bad input is a typed error, never a panic.
pub(crate) async fn bad_input_is_a_typed_error<H: Harness>(h: &H) {
    let store = h.store();
    let long = "k".repeat(hookproof_idempotency::MAX_KEY_LEN + 1);
    for bad in ["", "a\r\nb", long.as_str()] {
        let err = store.begin(bad, LEASE).await.expect_err("bad key");
        assert_eq!(err.code(), "invalid_key", "{bad:?}");
    }
    let err = store
        .begin("ok", Duration::ZERO)
        .await
        .expect_err("zero lease");
    assert_eq!(err.code(), "invalid_duration");
    let claim = acquire(&store, &key("bad-ttl"), LEASE).await;
    let err = store
        .complete(claim, Record::new(200), Duration::ZERO)
        .await
        .expect_err("zero ttl");
    assert_eq!(err.code(), "invalid_duration");
}

/// The store works through `Arc<dyn IdempotencyStore>`.
pub(crate) async fn works_as_a_trait_object<H: Harness>(h: &H) {
    let store: Arc<dyn IdempotencyStore> = Arc::new(h.store());
    let key = key("dyn");
    let claim = acquire(&store, &key, LEASE).await;
    store
        .complete(claim, Record::new(200), TTL)
        .await
        .expect("complete");
    assert!(matches!(
        store.begin(&key, LEASE).await,
        Ok(Begin::Completed(_))
    ));
}

/// Generate one `#[tokio::test]` per suite function for a harness.
/// `$make` is an async fn returning `Option<Harness>` (`None` = skip).
macro_rules! store_suite {
    ($make:path, $race_tasks:expr, #[$rt:meta]) => {
        #[$rt]
        async fn racing_begin_acquires_once() {
            let Some(h) = $make().await else { return };
            $crate::suite::racing_begin_acquires_once(&h, $race_tasks).await;
            h.finish().await;
        }
        #[$rt]
        async fn completed_record_returned_until_ttl() {
            let Some(h) = $make().await else { return };
            $crate::suite::completed_record_returned_until_ttl(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn bodiless_record_round_trips() {
            let Some(h) = $make().await else { return };
            $crate::suite::bodiless_record_round_trips(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn lease_expiry_frees_key_and_fences_old_holder() {
            let Some(h) = $make().await else { return };
            $crate::suite::lease_expiry_frees_key_and_fences_old_holder(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn crashed_handler_blocks_at_most_the_lease() {
            let Some(h) = $make().await else { return };
            $crate::suite::crashed_handler_blocks_at_most_the_lease(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn expired_lease_cannot_complete() {
            let Some(h) = $make().await else { return };
            $crate::suite::expired_lease_cannot_complete(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn release_lets_next_begin_acquire() {
            let Some(h) = $make().await else { return };
            $crate::suite::release_lets_next_begin_acquire(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn in_progress_retry_after_within_remaining_lease() {
            let Some(h) = $make().await else { return };
            $crate::suite::in_progress_retry_after_within_remaining_lease(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn bad_input_is_a_typed_error() {
            let Some(h) = $make().await else { return };
            $crate::suite::bad_input_is_a_typed_error(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn works_as_a_trait_object() {
            let Some(h) = $make().await else { return };
            $crate::suite::works_as_a_trait_object(&h).await;
            h.finish().await;
        }
    };
}
pub(crate) use store_suite;
