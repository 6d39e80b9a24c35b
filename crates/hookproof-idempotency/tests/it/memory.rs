//! The suite against `MemoryStore` on Tokio's paused clock (no real sleeps),
//! plus what only the memory store has: capacity, eviction, sweep.

use std::sync::Arc;
use std::time::Duration;

use hookproof_idempotency::{Begin, IdempotencyStore, MemoryStore, Record, StoreError, WhenFull};

use crate::suite::{self, Harness, LEASE, TTL, acquire, key};

pub(crate) struct Memory;

impl Harness for Memory {
    type Store = MemoryStore;
    fn store(&self) -> MemoryStore {
        MemoryStore::new()
    }
    async fn pass(&self, d: Duration) {
        tokio::time::advance(d).await;
    }
    async fn finish(self) {}
}

async fn harness() -> Option<Memory> {
    Some(Memory)
}

suite::store_suite!(harness, 32, #[tokio::test(start_paused = true)]);

/// The race on two worker threads (real parallelism, no paused clock).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_begin_acquires_once_on_two_threads() {
    for _ in 0..50 {
        suite::racing_begin_acquires_once(&Memory, 16).await;
    }
}

#[tokio::test(start_paused = true)]
async fn refusing_full_store_refuses_new_keys_without_evicting_live_ones() {
    let store = MemoryStore::builder()
        .capacity(2)
        .when_full(WhenFull::Refuse)
        .build();
    let a = acquire(&store, "a", LEASE).await;
    let b = acquire(&store, "b", LEASE).await;
    store
        .complete(b, Record::new(200), TTL)
        .await
        .expect("complete");
    let err = store.begin("c", LEASE).await.expect_err("full");
    assert!(err.is_unavailable());
    assert_eq!(err.code(), "store_full");
    assert!(matches!(err, StoreError::Full { capacity: 2, .. }));
    assert!(
        err.retry_after()
            .is_some_and(|d| d >= Duration::from_secs(1))
    );
    // Known keys still answer, the live lease and record are intact.
    assert!(matches!(
        store.begin("a", LEASE).await,
        Ok(Begin::InProgress { .. })
    ));
    assert!(matches!(
        store.begin("b", LEASE).await,
        Ok(Begin::Completed(_))
    ));
    store.release(a).await.expect("release frees a slot");
    let c = acquire(&store, "c", LEASE).await;
    store.release(c).await.expect("release");
    assert_eq!(store.evicted(), 0);
}

/// Fills `store` with `leases` in-flight keys `lease{i}` and then
/// `records` completed keys `done{i}`, a millisecond apart (so `done0` is
/// the oldest record), all held for an hour; returns the held claims.
async fn fill(
    store: &MemoryStore,
    leases: usize,
    records: usize,
) -> Vec<hookproof_idempotency::Claim> {
    const HOUR: Duration = Duration::from_secs(3600);
    let mut held = Vec::new();
    for i in 0..leases {
        held.push(acquire(store, &format!("lease{i}"), HOUR).await);
    }
    for i in 0..records {
        let claim = acquire(store, &format!("done{i}"), HOUR).await;
        store
            .complete(claim, Record::new(200), HOUR)
            .await
            .expect("complete");
        tokio::time::advance(Duration::from_millis(1)).await;
    }
    held
}

#[tokio::test(start_paused = true)]
async fn full_store_forgets_its_oldest_records_and_never_a_lease() {
    let store = MemoryStore::builder().capacity(8).build();
    let _held = fill(&store, 3, 5).await;
    assert_eq!(store.len(), 8);
    // Nothing expired: the two oldest records go (8 -> 6, a quarter), then
    // the new key is taken.
    let new = acquire(&store, "new", LEASE).await;
    assert_eq!((store.len(), store.evicted()), (7, 2));
    for i in 2..5 {
        assert!(
            matches!(
                store.begin(&format!("done{i}"), LEASE).await,
                Ok(Begin::Completed(_))
            ),
            "done{i} is kept"
        );
    }
    for i in 0..3 {
        assert!(
            matches!(
                store.begin(&format!("lease{i}"), LEASE).await,
                Ok(Begin::InProgress { .. })
            ),
            "lease{i} is never evicted"
        );
    }
    for i in 0..2 {
        assert!(
            matches!(
                store.begin(&format!("done{i}"), LEASE).await,
                Ok(Begin::Acquired(_))
            ),
            "done{i} was forgotten"
        );
    }
    store.release(new).await.expect("the new claim is intact");
}

#[tokio::test(start_paused = true)]
async fn eviction_makes_room_for_a_quarter_of_the_capacity_at_once() {
    let store = MemoryStore::builder().capacity(100).build();
    let _held = fill(&store, 0, 100).await;
    let _first = acquire(&store, "new0", LEASE).await;
    assert_eq!((store.len(), store.evicted()), (76, 25));
    for i in 1..25 {
        let _ = acquire(&store, &format!("new{i}"), LEASE).await;
    }
    assert_eq!(
        (store.len(), store.evicted()),
        (100, 25),
        "no scan until full again"
    );
    // The 25 oldest went, the 26th is kept.
    assert!(matches!(
        store.begin("done25", LEASE).await,
        Ok(Begin::Completed(_))
    ));
    for i in 0..25 {
        assert!(!matches!(
            store.begin(&format!("done{i}"), LEASE).await,
            Ok(Begin::Completed(_))
        ));
    }
    assert!(store.evicted() > 25, "taking them back evicted more");
}

#[tokio::test(start_paused = true)]
async fn full_store_of_leases_refuses_even_when_evicting() {
    let store = MemoryStore::builder().capacity(3).build();
    let _held = fill(&store, 3, 0).await;
    let err = store
        .begin("new", LEASE)
        .await
        .expect_err("nothing to evict");
    assert_eq!(err.code(), "store_full");
    assert_eq!(store.evicted(), 0);
    // After the leases expire (crashed handlers) their room is reused.
    tokio::time::advance(Duration::from_secs(3601)).await;
    let _ = acquire(&store, "new", LEASE).await;
    assert_eq!(
        store.evicted(),
        0,
        "expired leases are dropped, not evicted"
    );
}

#[tokio::test(start_paused = true)]
async fn full_store_drops_expired_entries_first() {
    let store = MemoryStore::builder()
        .capacity(2)
        .sweep_interval(Duration::from_secs(3600))
        .build();
    let _crashed = acquire(&store, "crashed", LEASE).await;
    let done = acquire(&store, "done", LEASE).await;
    store
        .complete(done, Record::new(200), Duration::from_secs(60))
        .await
        .expect("complete");
    tokio::time::advance(LEASE + Duration::from_millis(1)).await;
    assert_eq!(store.len(), 2, "the sweep has not run");
    // The crashed lease is expired: it makes room, the live record stays.
    let new = acquire(&store, "new", LEASE).await;
    assert_eq!(store.len(), 2);
    assert!(matches!(
        store.begin("done", LEASE).await,
        Ok(Begin::Completed(_))
    ));
    store.release(new).await.expect("release");
}

#[tokio::test(start_paused = true)]
async fn background_sweep_removes_expired_entries() {
    let store = MemoryStore::builder()
        .sweep_interval(Duration::from_millis(100))
        .build();
    for i in 0..10 {
        let claim = acquire(&store, &format!("k{i}"), LEASE).await;
        if i % 2 == 0 {
            store
                .complete(claim, Record::new(200), TTL)
                .await
                .expect("complete");
        }
    }
    assert_eq!(store.len(), 10);
    tokio::time::advance(LEASE + Duration::from_millis(150)).await;
    tokio::task::yield_now().await;
    assert_eq!(store.len(), 5, "expired leases swept, records kept");
    tokio::time::advance(TTL).await;
    tokio::task::yield_now().await;
    assert!(store.is_empty(), "expired records swept");
}

#[tokio::test(start_paused = true)]
async fn remove_expired_on_demand() {
    let store = MemoryStore::builder()
        .sweep_interval(Duration::from_secs(3600))
        .build();
    let _ = acquire(&store, "x", LEASE).await;
    assert_eq!(store.remove_expired(), 0);
    tokio::time::advance(LEASE).await;
    assert_eq!(store.remove_expired(), 1);
    assert!(store.is_empty());
}

#[tokio::test(start_paused = true)]
async fn oversized_record_is_refused_and_the_lease_kept() {
    let store = MemoryStore::builder().max_record_bytes(4).build();
    let k = key("big");
    let claim = acquire(&store, &k, LEASE).await;
    let err = store
        .complete(
            claim,
            Record::new(200).with_body("text/plain", "12345"),
            TTL,
        )
        .await
        .expect_err("too large");
    assert!(matches!(err, StoreError::RecordTooLarge { len: 5, max: 4 }));
    // The claim was consumed; the key stays in progress until the lease ends.
    assert!(matches!(
        store.begin(&k, LEASE).await,
        Ok(Begin::InProgress { .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn clones_share_state_and_tokens_increase() {
    let store = MemoryStore::new();
    let other = store.clone();
    let a = acquire(&store, "shared", LEASE).await;
    assert!(matches!(
        other.begin("shared", LEASE).await,
        Ok(Begin::InProgress { .. })
    ));
    let b = acquire(&other, "other", LEASE).await;
    assert!(b.token() > a.token());
    let arc: Arc<dyn IdempotencyStore> = Arc::new(other);
    arc.release(a)
        .await
        .expect("release through the trait object");
    assert!(format!("{store:?}").contains("MemoryStore"));
}

/// Eviction under real parallelism: four tasks on two threads take fresh
/// keys through a small store that keeps filling up. Every held lease must
/// survive the evictions around it: each `complete` finds its claim, and
/// the store never holds more than its capacity.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evicting_under_load_never_loses_a_lease() {
    const CAPACITY: usize = 64;
    let store = MemoryStore::builder().capacity(CAPACITY).build();
    let tasks: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..5_000 {
                    let key = format!("t{t}-k{i}");
                    let claim = match store.begin(&key, Duration::from_secs(60)).await {
                        Ok(Begin::Acquired(claim)) => claim,
                        other => panic!("{key}: a fresh key must be acquired, got {other:?}"),
                    };
                    assert!(store.len() <= CAPACITY, "over capacity: {}", store.len());
                    // Let the other tasks fill the store while this lease is held.
                    tokio::task::yield_now().await;
                    store
                        .complete(claim, Record::new(200), Duration::from_secs(3600))
                        .await
                        .unwrap_or_else(|e| panic!("{key}: the held lease was lost: {e}"));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    assert!(store.len() <= CAPACITY);
    assert!(
        store.evicted() >= 20_000 - CAPACITY as u64,
        "evicted {}",
        store.evicted()
    );
}

/// A renewed lease lives to its renewed deadline: the sweep and the
/// full-store scan past the original deadline keep it, eviction never takes
/// it, and it expires (and is swept) only after the renewed deadline.
#[tokio::test(start_paused = true)]
async fn renewed_lease_is_neither_swept_nor_evicted_before_its_new_deadline() {
    let store = MemoryStore::builder()
        .capacity(4)
        .sweep_interval(Duration::from_millis(50))
        .build();
    let held = acquire(&store, "held", LEASE).await;
    tokio::time::advance(LEASE / 2).await;
    store.renew(&held, LEASE * 4).await.expect("renew");
    // Well past the original deadline; the sweep has run several times.
    tokio::time::advance(LEASE * 2).await;
    tokio::task::yield_now().await;
    assert_eq!(store.remove_expired(), 0, "the renewed lease is live");
    assert_eq!(store.len(), 1);
    // Fill the store with records, then force evictions with new keys.
    let _ = fill(&store, 0, 3).await;
    for i in 0..6 {
        let claim = acquire(&store, &format!("new{i}"), LEASE).await;
        store
            .complete(claim, Record::new(200), Duration::from_secs(3600))
            .await
            .expect("complete");
    }
    assert!(store.evicted() > 0, "the store had to evict");
    assert!(matches!(
        store.begin("held", LEASE).await,
        Ok(Begin::InProgress { .. })
    ));
    // The renewed deadline (LEASE / 2 + 4 * LEASE from the start) passes.
    tokio::time::advance(LEASE * 2).await;
    tokio::task::yield_now().await;
    let err = store.renew(&held, LEASE).await.expect_err("expired");
    assert_eq!(err.code(), "lease_lost");
    let again = acquire(&store, "held", LEASE).await;
    assert!(again.token() > held.token());
}

/// Renewals racing a takeover on two threads: whoever holds the key, a
/// stale claim is never renewed over a newer one, and each holder's
/// renewals succeed until its lease runs out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_renewals_never_revive_a_stale_claim() {
    let store = MemoryStore::new();
    let stale = acquire(&store, "k", Duration::from_millis(20)).await;
    tokio::time::sleep(Duration::from_millis(40)).await;
    let fresh = acquire(&store, "k", Duration::from_secs(60)).await;
    let stale_task = {
        let store = store.clone();
        tokio::spawn(async move {
            for _ in 0..2_000 {
                let err = store
                    .renew(&stale, Duration::from_secs(60))
                    .await
                    .expect_err("stale renew");
                assert_eq!(err.code(), "lease_lost");
                tokio::task::yield_now().await;
            }
        })
    };
    for _ in 0..2_000 {
        store
            .renew(&fresh, Duration::from_secs(60))
            .await
            .expect("fresh renew");
        tokio::task::yield_now().await;
    }
    stale_task.await.expect("stale task");
    store
        .complete(fresh, Record::new(200), TTL)
        .await
        .expect("complete");
}
