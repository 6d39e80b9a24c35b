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

/// `renew` extends a live lease: after the original lease would have ended
/// the key is still in progress, with more time left than any `begin` lease
/// could give, and the holder completes.
pub(crate) async fn renew_extends_the_lease<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("renew");
    let claim = acquire(&store, &key, LEASE).await;
    h.pass(LEASE / 2).await;
    store
        .renew(&claim, Duration::from_secs(30))
        .await
        .expect("renew a live lease");
    // Past the end of the original lease.
    h.pass(LEASE).await;
    match store.begin(&key, LEASE).await {
        Ok(Begin::InProgress { retry_after }) => assert!(
            retry_after > LEASE && retry_after <= Duration::from_secs(30),
            "the renewed lease is what is left: {retry_after:?}"
        ),
        other => panic!("expected InProgress after renewal, got {other:?}"),
    }
    store
        .complete(claim, Record::new(200), TTL)
        .await
        .expect("the renewed holder completes");
    assert!(matches!(store.begin(&key, LEASE).await, Ok(Begin::Completed(r)) if r.status == 200));
}

/// `renew` sets the lease to `now + lease`, so a short lease shortens it.
pub(crate) async fn renew_can_shorten_the_lease<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("shorten");
    let claim = acquire(&store, &key, Duration::from_secs(30)).await;
    let short = Duration::from_millis(100);
    store.renew(&claim, short).await.expect("renew");
    match store.begin(&key, LEASE).await {
        Ok(Begin::InProgress { retry_after }) => {
            assert!(retry_after <= short, "{retry_after:?}");
        }
        other => panic!("expected InProgress, got {other:?}"),
    }
    h.pass(short + Duration::from_millis(50)).await;
    let next = acquire(&store, &key, LEASE).await;
    assert!(next.token() > claim.token());
    assert_eq!(
        store
            .renew(&claim, LEASE)
            .await
            .expect_err("shortened lease ran out")
            .code(),
        "lease_lost"
    );
    store.release(next).await.expect("release");
}

/// A lease that ran out cannot be renewed, and the failed renewal changes
/// nothing: the key is free for the next attempt.
pub(crate) async fn renew_after_expiry_is_lease_lost<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("renew-late");
    let claim = acquire(&store, &key, LEASE).await;
    h.pass(LEASE + Duration::from_millis(50)).await;
    match store.renew(&claim, Duration::from_secs(30)).await {
        Err(StoreError::LeaseLost { key: k, token }) => {
            assert_eq!((k.as_str(), token), (key.as_str(), claim.token()));
        }
        other => panic!("renewing an expired lease must fail, got {other:?}"),
    }
    let next = acquire(&store, &key, LEASE).await;
    assert!(next.token() > claim.token());
    store.release(next).await.expect("release");
    // Neither released nor completed claims can be renewed.
    let released = acquire(&store, &key, LEASE).await;
    let token = released.token();
    store.release(released).await.expect("release");
    let gone = Claim::new(key.as_str(), token);
    let err = store.renew(&gone, LEASE).await.expect_err("released");
    assert_eq!(err.code(), "lease_lost");
}

/// After a takeover, the stale holder's `renew` is fenced and leaves the new
/// holder's lease alone (a short renewal would have cut it).
pub(crate) async fn renew_with_stale_token_after_takeover_is_lease_lost<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("renew-stale");
    let stale = acquire(&store, &key, LEASE).await;
    h.pass(LEASE + Duration::from_millis(50)).await;
    let fresh = acquire(&store, &key, Duration::from_secs(30)).await;
    assert!(fresh.token() > stale.token());
    let err = store
        .renew(&stale, Duration::from_millis(1))
        .await
        .expect_err("stale renew");
    assert_eq!(err.code(), "lease_lost");
    h.pass(Duration::from_millis(50)).await;
    match store.begin(&key, LEASE).await {
        Ok(Begin::InProgress { retry_after }) => assert!(
            retry_after > LEASE,
            "the new holder's 30 s lease is intact: {retry_after:?}"
        ),
        other => panic!("the new holder still holds the key, got {other:?}"),
    }
    store
        .renew(&fresh, Duration::from_secs(30))
        .await
        .expect("the new holder renews");
    store
        .complete(fresh, Record::new(201), TTL)
        .await
        .expect("the new holder completes");
    assert!(matches!(store.begin(&key, LEASE).await, Ok(Begin::Completed(r)) if r.status == 201));
}

/// A holder that "works" for three leases and renews every third of the
/// lease keeps the key the whole time (every other attempt is told it is in
/// progress), then completes.
pub(crate) async fn renewing_holder_keeps_the_key_for_three_leases<H: Harness>(h: &H) {
    let store = h.store();
    let key = key("long-handler");
    let claim = acquire(&store, &key, LEASE).await;
    let step = LEASE / 3;
    for i in 0..9 {
        h.pass(step).await;
        store
            .renew(&claim, LEASE)
            .await
            .unwrap_or_else(|e| panic!("renewal {i} failed: {e}"));
        match store.begin(&key, LEASE).await {
            Ok(Begin::InProgress { retry_after }) => assert!(retry_after <= LEASE),
            other => panic!("step {i}: another attempt got {other:?}"),
        }
    }
    store
        .complete(claim, Record::new(200).with_body("text/plain", "once"), TTL)
        .await
        .expect("complete after three leases of work");
    match store.begin(&key, LEASE).await {
        Ok(Begin::Completed(r)) => assert_eq!(r.body.as_deref(), Some(&b"once"[..])),
        other => panic!("expected the record, got {other:?}"),
    }
}

/// The same, concurrently, as a receiver runs it: the handler's task renews
/// on an interval beside a handler that takes three leases, while a sender
/// retries every quarter lease. No retry ever acquires the key (the handler
/// runs once); retries during the work see it in progress, then the record.
pub(crate) async fn renewal_beside_a_slow_handler_runs_it_once<H: Harness>(h: &H) {
    let store = h.store();
    let key: Arc<str> = key("slow-handler").into();
    let claim = acquire(&store, &key, LEASE).await;
    let retries = {
        let (store, key) = (store.clone(), Arc::clone(&key));
        tokio::spawn(async move {
            let mut in_progress = 0;
            for _ in 0..40 {
                tokio::time::sleep(LEASE / 4).await;
                match store.begin(&key, LEASE).await {
                    Ok(Begin::InProgress { .. }) => in_progress += 1,
                    Ok(Begin::Completed(record)) => return (in_progress, record),
                    other => panic!("a retry must not run the handler again: {other:?}"),
                }
            }
            panic!("the handler never completed");
        })
    };
    let handler = tokio::time::sleep(LEASE * 3);
    tokio::pin!(handler);
    let mut renew_every = tokio::time::interval(LEASE / 3);
    renew_every.tick().await;
    loop {
        tokio::select! {
            () = &mut handler => break,
            _ = renew_every.tick() => store.renew(&claim, LEASE).await.expect("renew"),
        }
    }
    store
        .complete(claim, Record::new(200), TTL)
        .await
        .expect("complete after three leases of work");
    let (in_progress, record) = retries.await.expect("retry task");
    assert_eq!(record.status, 200);
    assert!(in_progress >= 8, "only {in_progress} retries saw the work");
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
    let key = key("bad-ttl");
    let claim = acquire(&store, &key, LEASE).await;
    for bad in [
        Duration::ZERO,
        hookproof_idempotency::MAX_DURATION + Duration::from_millis(1),
    ] {
        let err = store.renew(&claim, bad).await.expect_err("bad lease");
        assert!(
            matches!(err, StoreError::InvalidDuration { what: "lease", value } if value == bad),
            "{err:?}"
        );
    }
    // A refused renewal leaves the lease as it was.
    match store.begin(&key, LEASE).await {
        Ok(Begin::InProgress { retry_after }) => assert!(retry_after <= LEASE),
        other => panic!("expected InProgress, got {other:?}"),
    }
    let err = store
        .complete(claim, Record::new(200), Duration::ZERO)
        .await
        .expect_err("zero ttl");
    assert_eq!(err.code(), "invalid_duration");
}

/// The store works through `Arc<dyn IdempotencyStore>`.
pub(crate) async fn works_as_a_trait_object<H: Harness>(h: &H) {
    let inner = h.store();
    let store: Arc<dyn IdempotencyStore> = Arc::new(inner.clone());
    let key = key("dyn");
    let claim = acquire(&store, &key, LEASE).await;
    store
        .renew(&claim, LEASE)
        .await
        .expect("renew through Arc<dyn>");
    let boxed: Box<dyn IdempotencyStore> = Box::new(inner);
    boxed
        .renew(&claim, LEASE)
        .await
        .expect("renew through Box<dyn>");
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
        async fn renew_extends_the_lease() {
            let Some(h) = $make().await else { return };
            $crate::suite::renew_extends_the_lease(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn renew_can_shorten_the_lease() {
            let Some(h) = $make().await else { return };
            $crate::suite::renew_can_shorten_the_lease(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn renew_after_expiry_is_lease_lost() {
            let Some(h) = $make().await else { return };
            $crate::suite::renew_after_expiry_is_lease_lost(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn renew_with_stale_token_after_takeover_is_lease_lost() {
            let Some(h) = $make().await else { return };
            $crate::suite::renew_with_stale_token_after_takeover_is_lease_lost(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn renewing_holder_keeps_the_key_for_three_leases() {
            let Some(h) = $make().await else { return };
            $crate::suite::renewing_holder_keeps_the_key_for_three_leases(&h).await;
            h.finish().await;
        }
        #[$rt]
        async fn renewal_beside_a_slow_handler_runs_it_once() {
            let Some(h) = $make().await else { return };
            $crate::suite::renewal_beside_a_slow_handler_runs_it_once(&h).await;
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
