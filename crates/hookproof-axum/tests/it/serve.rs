//! The hardened server over real sockets: slow, silent and idle clients are
//! disconnected within the timeouts, slow handlers are not, the connection
//! cap holds new connections in the backlog, and a graceful shutdown lets
//! the request in progress finish.
//!
//! Timeouts are a few hundred milliseconds so the tests run fast; every wait
//! is bounded, and the upper bounds leave slack for a loaded machine.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::routing::get;
use hookproof_axum::{Serve, ServeError, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

const SHORT: Duration = Duration::from_millis(500);
const LONG: Duration = Duration::from_secs(30);
/// How late a close may come on a busy machine.
const SLACK: Duration = Duration::from_millis(1500);
/// How long the slow handler takes: three times the short timeouts.
const SLOW_HANDLER: Duration = Duration::from_millis(1500);

fn app() -> Router {
    Router::new()
        .route("/", get(|| async { "ok" }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(SLOW_HANDLER).await;
                "slow but done"
            }),
        )
        .route(
            "/peer",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        )
}

/// A running server and the means to stop it.
struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), ServeError>>,
}

impl Server {
    async fn start(configure: impl FnOnce(Serve) -> Serve) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let server = configure(serve(listener, app())).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        let task = tokio::spawn(server.into_future());
        Self {
            addr,
            stop: Some(stop),
            task,
        }
    }

    /// Header-read and idle timeouts as given, default connection cap.
    async fn with_timeouts(header_read: Duration, idle: Duration) -> Self {
        Self::start(|s| s.header_read_timeout(header_read).idle_timeout(idle)).await
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.expect("connect")
    }

    /// Signals a graceful shutdown.
    fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A keep-alive GET request.
fn get_request(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nhost: test\r\n\r\n")
}

/// Reads one response (head and `content-length` body) off `stream`.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())
                        .flatten()
                })
                .expect("content-length in the response");
            if bytes.len() >= end + 4 + length {
                return text;
            }
        }
        let n = stream.read(&mut chunk).await.expect("read response");
        assert!(n > 0, "connection closed mid-response: {text:?}");
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// Waits (at most `limit`) until the server closes `stream` (read returns 0
/// or the connection is reset) and returns how long that took from `since`.
/// Anything the server sends meanwhile is returned too.
async fn closed_after(stream: &mut TcpStream, since: Instant, limit: Duration) -> Duration {
    let mut chunk = [0u8; 1024];
    let wait = async {
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return since.elapsed(),
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(limit, wait)
        .await
        .unwrap_or_else(|_| panic!("connection still open after {limit:?}"))
}

/// Asserts `elapsed` is the timeout firing: not before it, not much after.
fn assert_closed_by(elapsed: Duration, timeout: Duration, what: &str) {
    assert!(
        elapsed + Duration::from_millis(20) >= timeout,
        "{what}: closed after {elapsed:?}, before the {timeout:?} timeout"
    );
    assert!(
        elapsed <= timeout + SLACK,
        "{what}: closed after {elapsed:?}, long after the {timeout:?} timeout"
    );
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_disconnected_by_the_header_read_timeout() {
    // The idle timeout is long: bytes keep arriving, so only the header-read
    // timeout can end this.
    let server = Server::with_timeouts(SHORT, LONG).await;
    let mut stream = server.connect().await;
    let start = Instant::now();
    let head = format!(
        "GET / HTTP/1.1\r\nhost: test\r\nx-padding: {}\r\n\r\n",
        "a".repeat(200)
    );
    let (mut reader, mut writer) = stream.split();
    let trickle = async {
        for byte in head.as_bytes() {
            if writer.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the whole head was sent without being cut off");
    };
    let mut chunk = [0u8; 256];
    let mut answer = Vec::new();
    let closed = async {
        loop {
            match reader.read(&mut chunk).await {
                Ok(0) | Err(_) => return start.elapsed(),
                Ok(n) => answer.extend_from_slice(&chunk[..n]),
            }
        }
    };
    let elapsed = tokio::time::timeout(SHORT + SLACK, async {
        tokio::select! {
            elapsed = closed => elapsed,
            () = trickle => unreachable!(),
        }
    })
    .await
    .expect("trickling client still connected");
    assert_closed_by(elapsed, SHORT, "trickling client");
    assert!(
        !String::from_utf8_lossy(&answer).contains("200 OK"),
        "a partial head must not be served"
    );
}

#[tokio::test]
async fn a_silent_connection_is_closed_by_the_header_read_timeout() {
    // hyper's header-read timer starts at the accept, before any byte.
    let server = Server::with_timeouts(SHORT, LONG).await;
    let mut stream = server.connect().await;
    let elapsed = closed_after(&mut stream, Instant::now(), SHORT + SLACK).await;
    assert_closed_by(elapsed, SHORT, "silent connection (header-read timeout)");
}

#[tokio::test]
async fn a_silent_connection_is_closed_by_the_idle_timeout() {
    let server = Server::with_timeouts(LONG, SHORT).await;
    let mut stream = server.connect().await;
    let elapsed = closed_after(&mut stream, Instant::now(), SHORT + SLACK).await;
    assert_closed_by(elapsed, SHORT, "silent connection (idle timeout)");
}

#[tokio::test]
async fn a_keep_alive_connection_idle_after_a_response_is_closed_by_the_idle_timeout() {
    let server = Server::with_timeouts(LONG, SHORT).await;
    let mut stream = server.connect().await;
    // Two requests on the connection: it is kept alive between them.
    for _ in 0..2 {
        stream
            .write_all(get_request("/").as_bytes())
            .await
            .expect("send");
        let response = read_response(&mut stream).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with("ok"), "{response}");
    }
    let answered = Instant::now();
    let elapsed = closed_after(&mut stream, answered, SHORT + SLACK).await;
    assert_closed_by(elapsed, SHORT, "idle keep-alive connection");
}

#[tokio::test]
async fn a_keep_alive_connection_idle_after_a_response_is_closed_by_the_header_read_timeout() {
    // hyper restarts its header-read timer after each response, so the next
    // request head must also arrive in time.
    let server = Server::with_timeouts(SHORT, LONG).await;
    let mut stream = server.connect().await;
    stream
        .write_all(get_request("/").as_bytes())
        .await
        .expect("send");
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let elapsed = closed_after(&mut stream, Instant::now(), SHORT + SLACK).await;
    assert_closed_by(
        elapsed,
        SHORT,
        "keep-alive connection (header-read timeout)",
    );
}

#[tokio::test]
async fn a_handler_slower_than_both_timeouts_still_answers() {
    let timeout = Duration::from_millis(300);
    let server = Server::with_timeouts(timeout, timeout).await;
    let mut stream = server.connect().await;
    let start = Instant::now();
    stream
        .write_all(get_request("/slow").as_bytes())
        .await
        .expect("send");
    let response = tokio::time::timeout(SLOW_HANDLER + SLACK, read_response(&mut stream))
        .await
        .expect("slow handler answered in time");
    assert!(start.elapsed() >= SLOW_HANDLER);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("slow but done"), "{response}");
    // And the idle timeout counts again from the answer.
    let elapsed = closed_after(&mut stream, Instant::now(), timeout + SLACK).await;
    assert_closed_by(elapsed, timeout, "connection idle after the slow answer");
}

#[tokio::test]
async fn at_the_connection_cap_a_new_connection_waits_until_one_closes() {
    const CAP: usize = 3;
    let server = Server::start(|s| {
        s.header_read_timeout(LONG)
            .idle_timeout(LONG)
            .max_connections(CAP)
    })
    .await;
    // CAP connections, each surely accepted (it answered), now idle.
    let mut open = Vec::new();
    for _ in 0..CAP {
        let mut stream = server.connect().await;
        stream
            .write_all(get_request("/").as_bytes())
            .await
            .expect("send");
        assert!(read_response(&mut stream).await.starts_with("HTTP/1.1 200"));
        open.push(stream);
    }

    // One more: the kernel completes the handshake (backlog), but the server
    // does not accept it, so its request is not answered.
    let mut waiting = server.connect().await;
    waiting
        .write_all(get_request("/").as_bytes())
        .await
        .expect("send");
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(700), waiting.read(&mut byte)).await;
    assert!(early.is_err(), "served beyond the cap: {early:?}");

    // One idle connection closes: the waiting one is accepted and served.
    drop(open.remove(0));
    let response = tokio::time::timeout(SLACK, read_response(&mut waiting))
        .await
        .expect("served once a slot was free");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");

    // The others were not disturbed.
    for stream in &mut open {
        stream
            .write_all(get_request("/").as_bytes())
            .await
            .expect("send");
        assert!(read_response(stream).await.starts_with("HTTP/1.1 200"));
    }
}

#[tokio::test]
async fn graceful_shutdown_lets_the_request_in_progress_finish_and_closes_idle_connections() {
    let mut server = Server::with_timeouts(LONG, LONG).await;
    let mut idle = server.connect().await;
    idle.write_all(get_request("/").as_bytes())
        .await
        .expect("send");
    assert!(read_response(&mut idle).await.starts_with("HTTP/1.1 200"));

    let mut busy = server.connect().await;
    busy.write_all(get_request("/slow").as_bytes())
        .await
        .expect("send");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopped = Instant::now();
    server.stop();

    // The idle connection is closed at once, not after the 30 s timeouts.
    let elapsed = closed_after(&mut idle, stopped, SLACK).await;
    assert!(elapsed < SLACK, "{elapsed:?}");
    // New connections are refused.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(TcpStream::connect(server.addr).await.is_err());

    // The request in progress is answered in full, then the connection ends.
    let response = tokio::time::timeout(SLOW_HANDLER + SLACK, read_response(&mut busy))
        .await
        .expect("in-flight request answered");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("slow but done"), "{response}");
    assert!(
        response.to_ascii_lowercase().contains("connection: close"),
        "{response}"
    );
    closed_after(&mut busy, stopped, SLOW_HANDLER + SLACK).await;

    // And the server future ends cleanly.
    let result = tokio::time::timeout(SLACK, &mut server.task)
        .await
        .expect("server stopped")
        .expect("server task");
    assert_eq!(result, Ok(()));
}

#[tokio::test]
async fn handlers_see_the_peer_address() {
    let server = Server::with_timeouts(LONG, LONG).await;
    let mut stream = server.connect().await;
    let local = stream.local_addr().expect("local addr");
    stream
        .write_all(get_request("/peer").as_bytes())
        .await
        .expect("send");
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with(&local.to_string()), "{response}");
}

#[tokio::test]
async fn settings_out_of_range_are_refused_before_serving() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let err = serve(listener, app())
        .idle_timeout(Duration::ZERO)
        .await
        .expect_err("zero idle timeout");
    assert_eq!(err.code(), "timeout_out_of_range");
    assert!(err.to_string().contains("idle_timeout"), "{err}");

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let err = serve(listener, app())
        .max_connections(0)
        .await
        .expect_err("no connections");
    assert_eq!(err, ServeError::ZeroMaxConnections);
}
