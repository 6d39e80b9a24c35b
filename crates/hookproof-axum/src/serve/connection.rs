//! One accepted connection: hyper's HTTP/1 server with the header-read
//! timeout, hyper-util's graceful-shutdown watcher, and a watchdog for the
//! idle timeout.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::Watcher;
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

use super::ServeConfig;
use super::activity::{Activity, IdleCheck};
use super::io::TrackedIo;
use super::service::ConnService;

/// What every connection of one server shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) router: Router,
    pub(crate) http: http1::Builder,
    pub(crate) idle_timeout: Duration,
}

impl Shared {
    pub(crate) fn new(router: Router, config: &ServeConfig) -> Self {
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(config.header_read_timeout)
            .keep_alive(true);
        Self {
            router,
            http,
            idle_timeout: config.idle_timeout,
        }
    }
}

/// Serves one connection until the client closes it, an error or a timeout
/// ends it, or it has been shut down gracefully. `_permit` is its slot under
/// `max_connections`, given back when this returns; `shutdown` tells the
/// connection when the server stops.
pub(crate) async fn serve_connection(
    shared: Arc<Shared>,
    stream: TcpStream,
    remote: SocketAddr,
    shutdown: Watcher,
    _permit: OwnedSemaphorePermit,
) {
    // Small answers go out at once rather than waiting for the peer's ACK.
    let _ = stream.set_nodelay(true);
    let start = Instant::now();
    let activity = Arc::new(Activity::new(start));
    let io = TokioIo::new(TrackedIo::new(stream, Arc::clone(&activity)));
    let service = ConnService::new(shared.router.clone(), remote, Arc::clone(&activity));
    // On shutdown, the request in progress finishes (its answer says
    // `connection: close`) and an idle connection closes at once.
    let conn = shutdown.watch(shared.http.serve_connection(io, service));
    tokio::pin!(conn);

    let idle_timeout = shared.idle_timeout;
    let mut next_check = start + idle_timeout;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(error) = result {
                    // Header timeouts, resets and malformed requests are the
                    // client's business; not worth more than a debug line.
                    tracing::debug!(%remote, %error, "connection ended with an error");
                }
                return;
            }
            () = tokio::time::sleep_until(next_check) => {
                match activity.check(Instant::now(), idle_timeout) {
                    IdleCheck::Close => {
                        tracing::debug!(%remote, ?idle_timeout, "closing idle connection");
                        // Dropping the connection closes the socket.
                        return;
                    }
                    IdleCheck::WaitUntil(at) => next_check = at,
                }
            }
        }
    }
}
