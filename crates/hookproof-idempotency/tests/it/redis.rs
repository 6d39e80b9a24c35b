//! The suite against `RedisStore` on a real Redis (`HOOKPROOF_REDIS_URL`),
//! how fencing tokens are made, failure tests against a closed port, a
//! silent server and a private `redis-server` that is killed mid-run, and
//! fencing across a restart of a private `redis-server`.

mod fence;
mod outage;
mod restart;
mod server;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hookproof_idempotency::RedisStore;

use crate::suite::{self, Harness};

/// The shared Redis URL, or `None` (with a notice) when it is not set.
/// With `CI` set, a missing URL is a failure: these tests must run in CI.
pub(crate) fn redis_url() -> Option<String> {
    match std::env::var("HOOKPROOF_REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but HOOKPROOF_REDIS_URL is not: the Redis store tests must run in CI")
        }
        _ => {
            eprintln!("skipping Redis store test: HOOKPROOF_REDIS_URL is not set");
            None
        }
    }
}

/// A key prefix no other test or run uses (the Redis is shared; we never
/// FLUSHALL).
pub(crate) fn unique_prefix() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "hookproof-test:{}:{nanos}:{}:",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub(crate) struct Redis {
    url: String,
    store: RedisStore,
}

impl Harness for Redis {
    type Store = RedisStore;
    fn store(&self) -> RedisStore {
        self.store.clone()
    }
    async fn pass(&self, d: Duration) {
        tokio::time::sleep(d).await;
    }
    /// Delete the fence counter the test left under its prefix (state keys
    /// expire by themselves within the suite's lease and TTL).
    async fn finish(self) {
        let client = redis::Client::open(self.url.as_str()).expect("url");
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("cleanup connection");
        let fence = format!("{}fence", self.store.prefix());
        let _: () = redis::cmd("DEL")
            .arg(&fence)
            .query_async(&mut conn)
            .await
            .expect("DEL");
    }
}

async fn harness() -> Option<Redis> {
    let url = redis_url()?;
    let store = RedisStore::builder(url.as_str())
        .prefix(unique_prefix())
        .connect()
        .await
        .expect("HOOKPROOF_REDIS_URL is set but Redis is not reachable");
    Some(Redis { url, store })
}

suite::store_suite!(harness, 32, #[tokio::test(flavor = "multi_thread", worker_threads = 2)]);
