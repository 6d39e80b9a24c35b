//! `hookproof listen`: a local receiver that prints each delivery.
//!
//! The router is the real thing a user would deploy: the hookproof
//! [`WebhookLayer`] with an in-memory idempotency store around one handler
//! for every path. An outer middleware prints rejections (which never reach
//! the handler) and idempotent replays. It runs on [`hookproof_axum::serve`],
//! so slow, silent and idle connections are closed and the number of open
//! connections is capped (`--header-read-timeout`, `--idle-timeout`,
//! `--max-connections`).

mod dice;
mod handler;
mod record;
mod report;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use hookproof_axum::WebhookLayer;
use hookproof_idempotency::MemoryStore;
use hookproof_verify::Verifier;

use crate::args::ListenArgs;
use crate::error::{CliError, CliResult};

pub(crate) use dice::FailDice;
pub(crate) use record::Recorder;

/// Prints one line to stdout, ignoring a closed pipe (`listen | head`) so
/// the server never panics on output.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
pub(crate) use say;

/// What the handler shares.
#[derive(Debug)]
pub(crate) struct ListenState {
    /// Decides which deliveries get an injected 500.
    pub(crate) dice: FailDice,
    /// Writes verified deliveries as fixtures, when `--record` is given.
    pub(crate) recorder: Option<Recorder>,
}

/// Runs `listen` until Ctrl-C (or SIGTERM).
pub(crate) fn run(args: ListenArgs) -> CliResult<ExitCode> {
    let scheme = args.scheme.resolve()?;
    let secrets = args.secret.resolve_all(&scheme)?;
    let mut builder = Verifier::builder(scheme.clone()).secrets(secrets);
    if let Some(secs) = args.tolerance {
        builder = builder.tolerance(Duration::from_secs(secs));
    }
    let verifier = builder
        .build()
        .map_err(|e| CliError::usage(format!("invalid verifier settings: {e}")))?;
    let recorder = match &args.record {
        Some(dir) => Some(Recorder::create(dir, &args.record_header)?),
        None => None,
    };
    let dice = FailDice::new(args.fail_rate, args.seed);
    let state = Arc::new(ListenState { dice, recorder });
    let layer = WebhookLayer::new(verifier)
        .store(MemoryStore::new())
        .body_limit(args.body_limit);
    let app = Router::new()
        .fallback(handler::delivery)
        .with_state(Arc::clone(&state))
        .layer(layer)
        .layer(axum::middleware::from_fn(report::rejections));

    super::runtime()?.block_on(async move {
        let addr = SocketAddr::new(args.host, args.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr().context("no local address")?;
        println!(
            "listening on http://{local}{} (scheme {}, any path accepted; Ctrl-C to stop)",
            hookproof_testkit::DEFAULT_PATH,
            scheme.name()
        );
        if state.dice.rate() > 0.0 {
            println!(
                "answering {:.0}% of verified deliveries with 500 (--seed {})",
                state.dice.rate() * 100.0,
                state.dice.seed()
            );
        }
        if let Some(recorder) = &state.recorder {
            println!(
                "recording verified deliveries to {}",
                recorder.dir().display()
            );
        }
        hookproof_axum::serve(listener, app)
            .header_read_timeout(Duration::from_secs(args.header_read_timeout))
            .idle_timeout(Duration::from_secs(args.idle_timeout))
            .max_connections(args.max_connections)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("the server failed")?;
        println!("stopped");
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, wait for the other signal.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
