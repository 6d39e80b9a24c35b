//! How `RedisStore` hands out fencing tokens, on the shared Redis: from the
//! server's clock when the counter is behind it, from the counter when the
//! clock is behind (a clock stepped back), strictly increasing either way.

use std::time::Duration;

use hookproof_idempotency::{Begin, IdempotencyStore, RedisStore};
use redis::aio::MultiplexedConnection;

const LEASE: Duration = Duration::from_secs(5);

struct Shared {
    conn: MultiplexedConnection,
    store: RedisStore,
}

impl Shared {
    async fn new() -> Option<Shared> {
        let url = super::redis_url()?;
        let store = RedisStore::builder(url.as_str())
            .prefix(super::unique_prefix())
            .connect()
            .await
            .expect("HOOKPROOF_REDIS_URL is set but Redis is not reachable");
        let conn = redis::Client::open(url.as_str())
            .expect("url")
            .get_multiplexed_async_connection()
            .await
            .expect("connection");
        Some(Shared { conn, store })
    }

    fn fence(&self) -> String {
        format!("{}fence", self.store.prefix())
    }

    /// The Redis server's clock, in microseconds since the Unix epoch.
    async fn server_time_us(&mut self) -> u64 {
        let (secs, micros): (u64, u64) = redis::cmd("TIME")
            .query_async(&mut self.conn)
            .await
            .expect("TIME");
        secs * 1_000_000 + micros
    }

    async fn set_fence(&mut self, value: &str) {
        let fence = self.fence();
        let _: () = redis::cmd("SET")
            .arg(&fence)
            .arg(value)
            .query_async(&mut self.conn)
            .await
            .expect("SET");
    }

    async fn token(&self, key: &str) -> u64 {
        match self.store.begin(key, LEASE).await {
            Ok(Begin::Acquired(claim)) => {
                let token = claim.token();
                self.store.release(claim).await.expect("release");
                token
            }
            other => panic!("expected Acquired, got {other:?}"),
        }
    }

    /// Delete what the test left: the fence counter (state keys were
    /// released).
    async fn finish(mut self) {
        let fence = self.fence();
        let _: () = redis::cmd("DEL")
            .arg(&fence)
            .query_async(&mut self.conn)
            .await
            .expect("DEL");
    }
}

/// With no counter (a fresh or restarted Redis), tokens come from the
/// server's clock, so they are larger than any token handed out before it.
#[tokio::test]
async fn tokens_start_from_the_server_clock() {
    let Some(mut s) = Shared::new().await else {
        return;
    };
    let before = s.server_time_us().await;
    let first = s.token("a").await;
    let after = s.server_time_us().await;
    assert!(
        (before..=after).contains(&first),
        "{first} not within the server clock [{before}, {after}]"
    );
    let mut last = first;
    for i in 0..20 {
        let t = s.token(&format!("k{i}")).await;
        assert!(t > last, "tokens strictly increase: {t} after {last}");
        last = t;
    }
    s.finish().await;
}

/// A counter ahead of the clock (the clock stepped back, or many
/// acquisitions within one microsecond) still increases by one per
/// acquisition: the clock never makes a token go down.
#[tokio::test]
async fn a_counter_ahead_of_the_clock_still_increases() {
    let Some(mut s) = Shared::new().await else {
        return;
    };
    // About eleven days ahead of the server's clock.
    let ahead = s.server_time_us().await + 1_000_000_000_000;
    s.set_fence(&ahead.to_string()).await;
    assert_eq!(s.token("a").await, ahead + 1);
    assert_eq!(s.token("b").await, ahead + 2);
    s.finish().await;
}

/// A counter that is not a number is a typed `Corrupt` error (503), and
/// nothing is acquired.
#[tokio::test]
async fn a_garbled_counter_is_a_typed_error() {
    let Some(mut s) = Shared::new().await else {
        return;
    };
    s.set_fence("not a number").await;
    let err = s.store.begin("a", LEASE).await.expect_err("garbled fence");
    assert_eq!(err.code(), "corrupt_record");
    assert!(err.is_unavailable());
    s.set_fence("1").await;
    assert!(
        s.token("a").await > 1,
        "the key was not taken by the failed begin"
    );
    s.finish().await;
}
