//! The public emitter handle.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinHandle;

use super::dispatch;
use super::shared::{Endpoint, Job, Shared};
use crate::config::{ConfigError, EmitterConfig};
use crate::dead_letter::DeadLetterStore;
use crate::delivery::build_client;
use crate::metrics::{Metrics, MetricsHandle, MetricsSnapshot, Ticket};
use crate::{AttemptObserver, DeadLetter, OutgoingEvent, SendError};

/// A running emitter: a bounded queue, a pool of delivery tasks, dead
/// letters and metrics.
///
/// Events go to every enabled endpoint whose filter matches. Each
/// delivery is retried per the [`RetryPolicy`](crate::RetryPolicy), then
/// sent to the endpoint's backup URL, then dead-lettered. Dropping the
/// handle without [`shutdown`](Emitter::shutdown) lets queued deliveries
/// finish in the background.
#[derive(Debug)]
pub struct Emitter {
    tx: mpsc::Sender<Job>,
    shared: Arc<Shared>,
    dispatcher: JoinHandle<()>,
}

/// Builds an [`Emitter`] with optional extras (an attempt observer).
#[must_use]
pub struct EmitterBuilder {
    config: EmitterConfig,
    observer: Option<Box<dyn AttemptObserver>>,
}

impl std::fmt::Debug for EmitterBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmitterBuilder")
            .field("config", &self.config)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

impl EmitterBuilder {
    /// Reports every attempt to `observer`.
    pub fn observer(mut self, observer: impl AttemptObserver) -> Self {
        self.observer = Some(Box::new(observer));
        self
    }

    /// Validates the config, builds one HTTP client per endpoint and starts
    /// the dispatcher on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] for an invalid config, a client that cannot be built,
    /// or no tokio runtime.
    pub fn start(self) -> Result<Emitter, ConfigError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| ConfigError::NoRuntime)?;
        let config = self.config;
        config.validate()?;
        let endpoints = config
            .endpoints
            .iter()
            .map(|ep| {
                Ok(Endpoint {
                    client: build_client(ep, &config.delivery)?,
                    config: ep.clone(),
                    disabled: [AtomicBool::new(false), AtomicBool::new(false)],
                })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let shared = Arc::new(Shared {
            endpoints,
            retry: config.retry.clone(),
            max_response_bytes: config.delivery.max_response_bytes,
            metrics: Arc::new(Metrics::default()),
            dead_letters: DeadLetterStore::new(config.delivery.retention),
            observer: self.observer,
            semaphore: Arc::new(Semaphore::new(config.delivery.concurrent_deliveries)),
            stop: watch::Sender::new(false),
            handed_back: Mutex::new(Vec::new()),
        });
        let (tx, rx) = mpsc::channel(config.delivery.queue_size);
        let dispatcher = runtime.spawn(dispatch::run(shared.clone(), rx));
        Ok(Emitter {
            tx,
            shared,
            dispatcher,
        })
    }
}

impl Emitter {
    /// Starts an emitter with no observer. See [`EmitterBuilder::start`].
    ///
    /// # Errors
    ///
    /// As [`EmitterBuilder::start`].
    pub fn start(config: EmitterConfig) -> Result<Emitter, ConfigError> {
        Self::builder(config).start()
    }

    /// A builder, to add an observer before starting.
    pub fn builder(config: EmitterConfig) -> EmitterBuilder {
        EmitterBuilder {
            config,
            observer: None,
        }
    }

    fn targets(&self, event: &OutgoingEvent) -> Vec<usize> {
        self.shared
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, ep)| ep.config.enabled && ep.config.events.matches(event))
            .map(|(i, _)| i)
            .collect()
    }

    fn job(&self, event: OutgoingEvent, targets: Vec<usize>) -> Job {
        let tickets = Ticket::issue(&self.shared.metrics, targets.len());
        Job {
            event: Arc::new(event),
            targets: targets.into_iter().zip(tickets).collect(),
        }
    }

    /// Queues `event` for every matching endpoint, waiting while the queue
    /// is full. An event matching no enabled endpoint is counted as
    /// `filtered` and not queued.
    ///
    /// # Errors
    ///
    /// [`SendError::Closed`] (with the event) if the emitter stopped.
    pub async fn send(&self, event: OutgoingEvent) -> Result<(), SendError> {
        let targets = self.targets(&event);
        if targets.is_empty() {
            self.shared.metrics.filtered();
            return Ok(());
        }
        match self.tx.reserve().await {
            Ok(slot) => {
                slot.send(self.job(event, targets));
                Ok(())
            }
            Err(_) => Err(SendError::Closed(Box::new(event))),
        }
    }

    /// Queues `event` without waiting.
    ///
    /// # Errors
    ///
    /// [`SendError::QueueFull`] (with the event) when the queue is full,
    /// [`SendError::Closed`] if the emitter stopped.
    pub fn try_send(&self, event: OutgoingEvent) -> Result<(), SendError> {
        let targets = self.targets(&event);
        if targets.is_empty() {
            self.shared.metrics.filtered();
            return Ok(());
        }
        match self.tx.try_reserve() {
            Ok(slot) => {
                slot.send(self.job(event, targets));
                Ok(())
            }
            Err(TrySendError::Full(())) => Err(SendError::QueueFull(Box::new(event))),
            Err(TrySendError::Closed(())) => Err(SendError::Closed(Box::new(event))),
        }
    }

    /// A snapshot of the metrics.
    #[must_use]
    pub fn metrics(&self) -> MetricsSnapshot {
        self.shared.metrics.snapshot()
    }

    /// A handle on the live metrics that outlives the emitter.
    #[must_use]
    pub fn metrics_handle(&self) -> MetricsHandle {
        MetricsHandle(self.shared.metrics.clone())
    }

    /// The dead letters kept (within `delivery.retention`).
    #[must_use]
    pub fn dead_letters(&self) -> Vec<DeadLetter> {
        self.shared.dead_letters.list()
    }

    /// Names of endpoints whose primary or backup URL answered 410 Gone.
    #[must_use]
    pub fn disabled_endpoints(&self) -> Vec<String> {
        self.shared
            .endpoints
            .iter()
            .filter(|ep| ep.disabled.iter().any(|d| d.load(Ordering::Relaxed)))
            .map(|ep| ep.config.name.clone())
            .collect()
    }

    /// Takes the dead letters of event `id` out of the store and queues the
    /// event again for their endpoints, with a fresh retry budget. Waits
    /// while the queue is full.
    ///
    /// # Errors
    ///
    /// [`SendError::NotFound`] when no dead letter has this id;
    /// [`SendError::Closed`] if the emitter stopped (the letters are kept).
    pub async fn redrive(&self, id: &str) -> Result<(), SendError> {
        let letters = self.shared.dead_letters.take(id);
        let Some(first) = letters.first() else {
            return Err(SendError::NotFound(id.to_owned()));
        };
        let event = first.event.clone();
        let names: HashSet<&str> = letters.iter().map(|l| l.endpoint.as_str()).collect();
        let targets: Vec<usize> = self
            .shared
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, ep)| names.contains(ep.config.name.as_str()))
            .map(|(i, _)| i)
            .collect();
        match self.tx.reserve().await {
            Ok(slot) => {
                tracing::info!(target: "hookproof_emitter::delivery", event_id = id, "redriving dead letter");
                slot.send(self.job(event, targets));
                Ok(())
            }
            Err(_) => {
                self.shared.dead_letters.restore(letters);
                Err(SendError::Closed(Box::new(event)))
            }
        }
    }

    /// Stops accepting events and lets queued and in-flight deliveries run
    /// (retries included) until they end or `deadline` passes. Whatever is
    /// not delivered or dead-lettered by then is returned, once per event,
    /// so the caller can persist it. An event returned here may have
    /// reached its receiver in an attempt cut short: delivery is
    /// at-least-once and receivers deduplicate by id.
    pub async fn shutdown(self, deadline: Duration) -> Vec<OutgoingEvent> {
        let Emitter {
            tx,
            shared,
            mut dispatcher,
        } = self;
        drop(tx);
        if tokio::time::timeout(deadline, &mut dispatcher)
            .await
            .is_err()
        {
            shared.stop.send_replace(true);
            if let Err(err) = dispatcher.await {
                tracing::error!(target: "hookproof_emitter::delivery", error = %err, "dispatcher failed");
            }
        }
        let handed = std::mem::take(
            &mut *shared
                .handed_back
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let mut seen = HashSet::new();
        let events: Vec<OutgoingEvent> = handed
            .into_iter()
            .filter(|e| seen.insert(e.id.clone()))
            .collect();
        shared.metrics.snapshot().trace();
        events
    }
}
