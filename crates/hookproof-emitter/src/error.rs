//! Errors of [`Emitter::send`](crate::Emitter::send) and friends.

use crate::OutgoingEvent;

/// Why an event was not accepted. The event is handed back inside the error,
/// so a refused event is never silently dropped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The queue is full (`try_send` only; `send` waits).
    #[error("the delivery queue is full")]
    QueueFull(Box<OutgoingEvent>),
    /// The emitter is no longer running.
    #[error("the emitter is shut down")]
    Closed(Box<OutgoingEvent>),
    /// `redrive` found no dead letter with this event id.
    #[error("no dead letter for event `{0}`")]
    NotFound(String),
}

impl SendError {
    /// A stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::QueueFull(_) => "queue_full",
            Self::Closed(_) => "closed",
            Self::NotFound(_) => "not_found",
        }
    }

    /// The refused event, when there is one.
    #[must_use]
    pub fn into_event(self) -> Option<OutgoingEvent> {
        match self {
            Self::QueueFull(e) | Self::Closed(e) => Some(*e),
            Self::NotFound(_) => None,
        }
    }
}
