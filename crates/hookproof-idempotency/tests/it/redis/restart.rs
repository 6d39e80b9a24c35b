//! Fencing tokens stay monotonic when Redis restarts without persistence and
//! forgets its counter: a holder from before the restart can neither
//! complete, release nor renew over the holder that acquired after it.
//!
//! Runs its own `redis-server` (`$HOOKPROOF_REDIS_SERVER`, or `redis-server`
//! on `PATH`) on a free loopback port. Skipped with a notice when
//! `HOOKPROOF_REDIS_URL` is unset (like every Redis test); when it is set, a
//! missing binary fails the test.

use std::time::Duration;

use hookproof_idempotency::{Begin, Claim, IdempotencyStore, Record, RedisStore};

use super::server::{self, PrivateRedis, free_port};

const LONG: Duration = Duration::from_secs(30);
const TTL: Duration = Duration::from_secs(60);

/// Bound for waiting on the server and the reconnect.
const NO_HANG: Duration = Duration::from_secs(20);

fn start_required(port: u16) -> PrivateRedis {
    PrivateRedis::spawn(port).unwrap_or_else(|e| {
        panic!(
            "HOOKPROOF_REDIS_URL is set, so this test must run, but `{}` cannot be started ({e}); \
             install redis-server or point HOOKPROOF_REDIS_SERVER at the binary",
            server::binary()
        )
    })
}

async fn acquire(store: &RedisStore, key: &str, lease: Duration) -> Claim {
    match store.begin(key, lease).await {
        Ok(Begin::Acquired(claim)) => claim,
        other => panic!("expected Acquired for {key}, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fencing_tokens_grow_across_a_redis_restart() {
    if super::redis_url().is_none() {
        return;
    }
    let port = free_port();
    let mut redis = start_required(port);
    redis.wait_up().await;
    let store = RedisStore::builder(redis.url())
        .prefix("restart:")
        .connect()
        .await
        .expect("connect to the private redis-server");

    // A few acquisitions first, so a counter that restarted at 1 would have
    // to catch up, then the claim that will go stale.
    for i in 0..3 {
        let claim = acquire(&store, &format!("warm-{i}"), LONG).await;
        store.release(claim).await.expect("release");
    }
    let key = "evt_restart";
    let stale = acquire(&store, key, LONG).await;

    // Redis restarts empty: the stale lease and the fence counter are gone.
    redis.restart().await;
    let fresh = tokio::time::timeout(NO_HANG, async {
        loop {
            match store.begin(key, LONG).await {
                Ok(Begin::Acquired(claim)) => return claim,
                Ok(other) => panic!("a restarted empty Redis has no state, got {other:?}"),
                Err(e) => {
                    assert!(e.is_unavailable(), "{e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    })
    .await
    .expect("the store reconnects after the restart");
    assert!(
        fresh.token() > stale.token(),
        "tokens must grow across the restart: new {} <= old {}",
        fresh.token(),
        stale.token()
    );

    // The stale holder is fenced everywhere, and changes nothing.
    let err = store.renew(&stale, Duration::from_millis(1)).await;
    assert_eq!(err.expect_err("stale renew").code(), "lease_lost");
    let stale_token = stale.token();
    let err = store.complete(stale, Record::new(500), TTL).await;
    assert_eq!(err.expect_err("stale complete").code(), "lease_lost");
    let err = store.release(Claim::new(key, stale_token)).await;
    assert_eq!(err.expect_err("stale release").code(), "lease_lost");
    match store.begin(key, LONG).await {
        Ok(Begin::InProgress { retry_after }) => assert!(
            retry_after > LONG / 2,
            "the new holder's lease is intact: {retry_after:?}"
        ),
        other => panic!("the new holder still holds the key, got {other:?}"),
    }

    // The new holder's work is what gets recorded.
    store.renew(&fresh, LONG).await.expect("new holder renews");
    store
        .complete(fresh, Record::new(201), TTL)
        .await
        .expect("new holder completes");
    match store.begin(key, LONG).await {
        Ok(Begin::Completed(record)) => assert_eq!(record.status, 201),
        other => panic!("expected the new holder's record, got {other:?}"),
    }

    // And tokens keep growing after the restart, counter or not.
    let next = acquire(&store, "after-restart", LONG).await;
    assert!(next.token() > stale_token);
    store.release(next).await.expect("release");
}
