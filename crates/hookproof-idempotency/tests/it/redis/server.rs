//! A private `redis-server` child on a loopback port, for tests that kill or
//! restart Redis (never the shared one behind `HOOKPROOF_REDIS_URL`).

use std::net::{Ipv4Addr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The binary: `$HOOKPROOF_REDIS_SERVER`, or `redis-server` on `PATH`.
pub(crate) fn binary() -> String {
    std::env::var("HOOKPROOF_REDIS_SERVER")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "redis-server".to_owned())
}

/// A loopback port nobody listened on a moment ago.
pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    listener.local_addr().expect("addr").port()
}

/// A `redis-server` child without persistence (`--save "" --appendonly
/// no`), so a restart loses every key. Killed on drop, also when the test
/// panics.
#[derive(Debug)]
pub(crate) struct PrivateRedis {
    child: Option<Child>,
    port: u16,
}

impl PrivateRedis {
    /// Spawn the server on `port` (it may not be accepting yet: see
    /// [`wait_up`](Self::wait_up)).
    pub(crate) fn spawn(port: u16) -> std::io::Result<PrivateRedis> {
        let mut server = PrivateRedis { child: None, port };
        server.child = Some(spawn_child(port)?);
        Ok(server)
    }

    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kill the server and reap it (idempotent).
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kill the server and start a new, empty one on the same port.
    pub(crate) async fn restart(&mut self) {
        self.kill();
        self.child =
            Some(spawn_child(self.port).unwrap_or_else(|e| {
                panic!("cannot restart {} on port {}: {e}", binary(), self.port)
            }));
        self.wait_up().await;
    }

    /// Wait (at most 10 s) until the server answers `PING`; fails at once
    /// if the child exited (e.g. the port was taken meanwhile).
    pub(crate) async fn wait_up(&mut self) {
        let url = self.url();
        for _ in 0..200 {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!("{} on port {} exited: {status}", binary(), self.port);
            }
            if ping(&url).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{} on port {} did not answer within 10 s",
            binary(),
            self.port
        );
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn_child(port: u16) -> std::io::Result<Child> {
    Command::new(binary())
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
}

async fn ping(url: &str) -> bool {
    let Ok(client) = redis::Client::open(url) else {
        return false;
    };
    let Ok(Ok(mut conn)) = tokio::time::timeout(
        Duration::from_millis(500),
        client.get_multiplexed_async_connection(),
    )
    .await
    else {
        return false;
    };
    let pong: Result<String, _> = redis::cmd("PING").query_async(&mut conn).await;
    pong.is_ok_and(|p| p == "PONG")
}
