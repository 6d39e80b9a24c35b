//! The tower middleware: [`WebhookLayer`] (configuration), [`WebhookService`]
//! (the service) and [`ResponseFuture`].

mod body_id;
mod config;
mod delivery;
mod future;
mod service;
mod trace;

pub use config::{
    DEFAULT_LEASE, DEFAULT_MAX_REPLAY_BODY, DEFAULT_RECORD_TTL, DEFAULT_UNAVAILABLE_RETRY_AFTER,
    WebhookLayer,
};
pub use future::ResponseFuture;
pub use service::WebhookService;
