//! Redis that is not there, does not answer, or dies mid-run: every
//! operation ends quickly with `StoreError::Unavailable` — never a hang, a
//! panic, or an answer that would make the receiver skip the delivery.

use std::net::Ipv4Addr;
use std::time::Duration;

use hookproof_idempotency::{Begin, IdempotencyStore, Record, RedisStore, StoreError};

use super::server::{self, PrivateRedis, free_port};

/// Upper bound for "did not hang"; the store's own bounds are far shorter.
const NO_HANG: Duration = Duration::from_secs(10);
const LEASE: Duration = Duration::from_secs(30);

fn assert_unavailable<T: std::fmt::Debug>(what: &str, r: Result<T, StoreError>) {
    match r {
        Err(e) => {
            assert!(e.is_unavailable(), "{what}: {e}");
            assert_eq!(e.code(), "store_unavailable", "{what}: {e}");
        }
        Ok(v) => panic!("{what}: expected Unavailable, got {v:?}"),
    }
}

async fn bounded<F: Future>(what: &str, f: F) -> F::Output {
    tokio::time::timeout(NO_HANG, f)
        .await
        .unwrap_or_else(|_| panic!("{what} hung for {NO_HANG:?}"))
}

#[tokio::test]
async fn closed_port_gives_unavailable() {
    // The port was bound and released: nothing listens there.
    let url = format!("redis://127.0.0.1:{}/", free_port());
    let r = bounded("connect", RedisStore::connect(&url)).await;
    assert_unavailable("connect to a closed port", r);
}

#[tokio::test]
async fn invalid_url_is_a_config_error() {
    let err = RedisStore::connect("not a url").await.expect_err("bad url");
    assert_eq!(err.code(), "invalid_config");
    assert!(!err.is_unavailable());
}

#[tokio::test]
async fn silent_server_gives_unavailable() {
    // Accepts connections and never answers a byte.
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let url = format!("redis://127.0.0.1:{port}/");
    let store = RedisStore::builder(url)
        .operation_timeout(Duration::from_millis(800))
        .connect();
    assert_unavailable(
        "connect to a silent server",
        bounded("connect", store).await,
    );
    hold.abort();
}

/// A private `redis-server`, or `None` (with a notice) when none can be
/// started outside CI.
fn private_redis(port: u16) -> Option<PrivateRedis> {
    match PrivateRedis::spawn(port) {
        Ok(server) => Some(server),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but {} cannot be started: {e}", server::binary())
        }
        Err(e) => {
            eprintln!("skipping: cannot start {} ({e})", server::binary());
            None
        }
    }
}

/// Connect, retrying while the fresh server starts up.
async fn connect_when_up(url: &str) -> RedisStore {
    bounded("server start", async {
        loop {
            match RedisStore::builder(url)
                .prefix(super::unique_prefix())
                .connect()
                .await
            {
                Ok(store) => return store,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_run_gives_unavailable_then_recovers() {
    let port = free_port();
    let Some(mut server) = private_redis(port) else {
        return;
    };
    let store = connect_when_up(&server.url()).await;
    let Begin::Acquired(claim) = store.begin("evt_kill", LEASE).await.expect("begin") else {
        panic!("fresh key");
    };

    server.kill();
    // The in-flight delivery can neither be renewed nor recorded, and new
    // ones are not let through as "done": every operation is a quick typed
    // error.
    let r = bounded("renew", store.renew(&claim, LEASE)).await;
    assert_unavailable("renew after kill", r);
    let r = bounded("complete", store.complete(claim, Record::new(200), LEASE)).await;
    assert_unavailable("complete after kill", r);
    for _ in 0..3 {
        let r = bounded("begin", store.begin("evt_kill", LEASE)).await;
        assert_unavailable("begin after kill", r);
    }

    // Redis comes back (empty): the connection manager reconnects.
    let _server = PrivateRedis::spawn(port).expect("restart redis-server");
    let claim = bounded("reconnect", async {
        loop {
            match store.begin("evt_kill", LEASE).await {
                Ok(Begin::Acquired(claim)) => return claim,
                Ok(other) => panic!("a restarted empty Redis has no state, got {other:?}"),
                Err(e) => {
                    assert!(e.is_unavailable(), "{e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    })
    .await;
    store.release(claim).await.expect("release after reconnect");
}
