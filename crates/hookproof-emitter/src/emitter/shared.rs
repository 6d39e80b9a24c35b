//! State shared by the emitter handle, the dispatcher and delivery tasks.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use tokio::sync::{Semaphore, watch};

use crate::config::EndpointConfig;
use crate::dead_letter::DeadLetterStore;
use crate::metrics::{Metrics, Ticket};
use crate::{AttemptObserver, OutgoingEvent, RetryPolicy};

/// An endpoint with its HTTP client and its 410 state (primary, backup).
pub(crate) struct Endpoint {
    pub(crate) config: EndpointConfig,
    pub(crate) client: reqwest::Client,
    pub(crate) disabled: [AtomicBool; 2],
}

/// Everything the tasks share.
pub(crate) struct Shared {
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) dead_letters: DeadLetterStore,
    pub(crate) observer: Option<Box<dyn AttemptObserver>>,
    /// Limits HTTP requests in flight.
    pub(crate) semaphore: Arc<Semaphore>,
    /// Set to true when shutdown's deadline passes: everything still
    /// undelivered is handed back.
    pub(crate) stop: watch::Sender<bool>,
    pub(crate) handed_back: Mutex<Vec<OutgoingEvent>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("endpoints", &self.endpoints.len())
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Shared {
    pub(crate) fn hand_back(&self, event: &OutgoingEvent, ticket: Ticket) {
        self.handed_back
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(event.clone());
        ticket.handed_back();
    }

    /// Resolves when the stop flag is set (never, if it cannot be).
    pub(crate) async fn stopped(&self) {
        let mut rx = self.stop.subscribe();
        if rx.wait_for(|stop| *stop).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// A queued event and the endpoints it goes to, one ticket each.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) event: Arc<OutgoingEvent>,
    pub(crate) targets: Vec<(usize, Ticket)>,
}
