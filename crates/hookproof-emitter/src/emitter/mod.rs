//! The running emitter: queue, dispatcher, delivery tasks, shutdown.

mod dispatch;
mod handle;
mod shared;

pub use handle::{Emitter, EmitterBuilder};
pub(crate) use shared::Shared;
