//! A hardened HTTP/1.1 server for a webhook receiver: [`serve`] is
//! `axum::serve` with the limits a server facing the internet needs.
//!
//! One file per job: `builder.rs` (the public entry point), `config.rs` (the
//! limits and their defaults), `accept.rs` (the accept loop, connection cap and
//! accept-error backoff), `connection.rs` (hyper per connection, the idle
//! watchdog, graceful shutdown), `activity.rs`, `io.rs` and `service.rs` (what
//! the idle timeout watches), `error.rs`.
//!
//! # Example
//!
//! ```no_run
//! use axum::{Router, routing::post};
//! use hookproof_axum::{VerifiedBody, WebhookLayer};
//! use hookproof_idempotency::MemoryStore;
//! use hookproof_verify::{Scheme, Secret, Verifier};
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = Secret::from_standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let layer = WebhookLayer::new(Verifier::new(Scheme::StandardWebhooks, secret))
//!     .store(MemoryStore::new());
//! let app = Router::new()
//!     .route("/webhooks", post(|_: VerifiedBody| async { "ok" }))
//!     .layer(layer);
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await?;
//! hookproof_axum::serve(listener, app)
//!     .with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; })
//!     .await?;
//! # Ok(())
//! # }
//! ```

mod accept;
mod activity;
mod builder;
mod config;
mod connection;
mod error;
mod io;
mod service;

pub use builder::{Serve, ServeFuture, serve};
pub use config::{
    ACCEPT_ERROR_BACKOFF, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, MAX_TIMEOUT, ServeConfig,
};
pub use error::ServeError;
