//! [`serve`] and its builder [`Serve`].

use std::fmt;
use std::future::{Future, IntoFuture, Pending};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;

use super::connection::Shared;
use super::{ServeConfig, ServeError, accept};

/// Serves `app` on `listener` like `axum::serve`, with the limits a server
/// facing the internet needs. HTTP/1.1 on hyper's server; the peer address
/// is available to handlers as
/// [`ConnectInfo<SocketAddr>`](axum::extract::ConnectInfo).
///
/// `axum::serve` never closes a connection on its own: a client that
/// trickles its request head, or connects and sends nothing (before or after
/// a request), holds a socket forever, and about a thousand of them exhaust
/// the process's file descriptors so that no delivery gets in. Here:
///
/// | limit | default | what happens |
/// |---|---|---|
/// | [`header_read_timeout`](ServeConfig::header_read_timeout) | [10 s](super::DEFAULT_HEADER_READ_TIMEOUT) | no complete request head this long after the accept or the previous response: disconnected |
/// | [`idle_timeout`](ServeConfig::idle_timeout) | [20 s](super::DEFAULT_IDLE_TIMEOUT) | no request in progress and no byte read or written this long: closed (a slow handler is never cut off) |
/// | [`max_connections`](ServeConfig::max_connections) | [512](super::DEFAULT_MAX_CONNECTIONS) | at the cap, accepting pauses; new connections wait in the kernel backlog until one closes |
///
/// The request body is bounded by [`WebhookLayer`](crate::WebhookLayer)
/// (size and read time), not here.
///
/// `.await` it to run. It returns only after a
/// [graceful shutdown](Serve::with_graceful_shutdown), or with an error
/// before accepting anything if a setting is out of range. Accept errors,
/// such as running out of file descriptors (`EMFILE`, `ENFILE`), are logged
/// at `warn` (at most once per 10 s) and retried after
/// [`ACCEPT_ERROR_BACKOFF`](super::ACCEPT_ERROR_BACKOFF); they never stop
/// the server. HTTP upgrades (WebSocket) are not supported.
///
/// # Errors
///
/// The awaited server fails with [`ServeError`] only when a setting is out
/// of range (see [`ServeConfig::validate`]).
///
/// # Examples
///
/// ```
/// use std::net::SocketAddr;
/// use std::time::Duration;
/// use axum::{Router, extract::ConnectInfo, routing::get};
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let app = Router::new().route(
///     "/",
///     get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() }),
/// );
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let addr = listener.local_addr()?;
/// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
/// let server = tokio::spawn(
///     hookproof_axum::serve(listener, app)
///         .idle_timeout(Duration::from_secs(5))
///         .max_connections(64)
///         .with_graceful_shutdown(async { let _ = stopped.await; })
///         .into_future(),
/// );
///
/// let mut client = tokio::net::TcpStream::connect(addr).await?;
/// client.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await?;
/// let mut answer = String::new();
/// client.read_to_string(&mut answer).await?;
/// assert!(answer.starts_with("HTTP/1.1 200"));
/// assert!(answer.ends_with("127.0.0.1"));
///
/// stop.send(()).ok();
/// server.await??;
/// # Ok(())
/// # }
/// ```
///
/// A setting out of range is an error, not a panic:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let err = hookproof_axum::serve(listener, axum::Router::new())
///     .max_connections(0)
///     .await
///     .unwrap_err();
/// assert_eq!(err.code(), "zero_max_connections");
/// # Ok(())
/// # }
/// ```
pub fn serve(listener: TcpListener, app: Router) -> Serve {
    Serve {
        listener,
        app,
        config: ServeConfig::default(),
        signal: std::future::pending(),
    }
}

/// The server [`serve`] builds: set limits, then `.await` it (it is
/// [`IntoFuture`]).
#[must_use = "a server does nothing until it is awaited"]
pub struct Serve<F = Pending<()>> {
    listener: TcpListener,
    app: Router,
    config: ServeConfig,
    signal: F,
}

impl<F> Serve<F> {
    /// Time allowed for a complete request head, from the accept or the end
    /// of the previous response (default
    /// [`DEFAULT_HEADER_READ_TIMEOUT`](super::DEFAULT_HEADER_READ_TIMEOUT),
    /// 10 s). See [`ServeConfig::header_read_timeout`].
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.config.header_read_timeout = timeout;
        self
    }

    /// Closes a connection with no request in progress and no bytes moving
    /// for this long (default
    /// [`DEFAULT_IDLE_TIMEOUT`](super::DEFAULT_IDLE_TIMEOUT), 20 s). See
    /// [`ServeConfig::idle_timeout`].
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.idle_timeout = timeout;
        self
    }

    /// Connections served at once (default
    /// [`DEFAULT_MAX_CONNECTIONS`](super::DEFAULT_MAX_CONNECTIONS), 512).
    /// See [`ServeConfig::max_connections`].
    pub fn max_connections(mut self, max: usize) -> Self {
        self.config.max_connections = max;
        self
    }

    /// Replaces every limit at once.
    pub fn config(mut self, config: ServeConfig) -> Self {
        self.config = config;
        self
    }

    /// The limits this server will run with.
    pub fn get_config(&self) -> &ServeConfig {
        &self.config
    }

    /// Stops when `signal` resolves: no new connections are accepted (the
    /// listener is closed), requests in progress finish and are answered
    /// with `connection: close`, idle connections are closed, and the server
    /// future resolves once every connection has ended.
    pub fn with_graceful_shutdown<G>(self, signal: G) -> Serve<G>
    where
        G: Future<Output = ()> + Send + 'static,
    {
        Serve {
            listener: self.listener,
            app: self.app,
            config: self.config,
            signal,
        }
    }
}

impl<F> fmt::Debug for Serve<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Serve")
            .field("listener", &self.listener)
            .field("app", &self.app)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<F> IntoFuture for Serve<F>
where
    F: Future<Output = ()> + Send + 'static,
{
    type Output = Result<(), ServeError>;
    type IntoFuture = ServeFuture;

    fn into_future(self) -> Self::IntoFuture {
        let Self {
            listener,
            app,
            config,
            signal,
        } = self;
        ServeFuture(Box::pin(async move {
            config.validate()?;
            let shared = Shared::new(app, &config);
            accept::run(listener, shared, config.max_connections, signal).await;
            Ok(())
        }))
    }
}

/// The running server: the future of an awaited [`Serve`].
#[must_use = "a server does nothing until it is awaited"]
pub struct ServeFuture(Pin<Box<dyn Future<Output = Result<(), ServeError>> + Send>>);

impl Future for ServeFuture {
    type Output = Result<(), ServeError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}

impl fmt::Debug for ServeFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServeFuture").finish_non_exhaustive()
    }
}
