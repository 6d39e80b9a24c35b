//! The dispatcher: takes queued jobs when a concurrency permit is free and
//! spawns one delivery task per target endpoint.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, mpsc};
use tokio::task::JoinSet;

use super::shared::{Job, Shared};
use crate::OutgoingEvent;
use crate::delivery::{Outcome, deliver};
use crate::metrics::Ticket;

/// Runs until the queue is closed and drained and every delivery ended, or
/// until the stop flag, after which everything undelivered is handed back.
pub(super) async fn run(shared: Arc<Shared>, mut rx: mpsc::Receiver<Job>) {
    let mut tasks = JoinSet::new();
    let mut pending: Option<Job> = None;
    let stopped = loop {
        let job = match pending.take() {
            Some(job) => job,
            None => tokio::select! {
                biased;
                () = shared.stopped() => break true,
                Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                    log_panic(joined);
                    continue;
                }
                job = rx.recv() => match job {
                    Some(job) => job,
                    None => break false,
                },
            },
        };
        // Hold the job until a permit is free, so the queue (not an
        // unbounded set of tasks) absorbs a burst.
        tokio::select! {
            biased;
            () = shared.stopped() => {
                pending = Some(job);
                break true;
            }
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                log_panic(joined);
                pending = Some(job);
            }
            permit = shared.semaphore.clone().acquire_owned() => {
                spawn(&mut tasks, &shared, job, permit.ok());
            }
        }
    };
    if stopped {
        rx.close();
        for job in pending.into_iter() {
            hand_back_job(&shared, job);
        }
        while let Some(job) = rx.recv().await {
            hand_back_job(&shared, job);
        }
    }
    // Delivery tasks watch the stop flag themselves.
    while let Some(joined) = tasks.join_next().await {
        log_panic(joined);
    }
}

fn hand_back_job(shared: &Shared, job: Job) {
    for (_, ticket) in job.targets {
        shared.hand_back(&job.event, ticket);
    }
}

fn spawn(
    tasks: &mut JoinSet<()>,
    shared: &Arc<Shared>,
    job: Job,
    mut permit: Option<OwnedSemaphorePermit>,
) {
    for (index, ticket) in job.targets {
        let shared = shared.clone();
        let event = job.event.clone();
        let permit = permit.take();
        tasks.spawn(async move { run_delivery(shared, index, event, ticket, permit).await });
    }
}

async fn run_delivery(
    shared: Arc<Shared>,
    index: usize,
    event: Arc<OutgoingEvent>,
    ticket: Ticket,
    permit: Option<OwnedSemaphorePermit>,
) {
    tokio::select! {
        biased;
        outcome = deliver(&shared, index, &event, permit) => match outcome {
            Outcome::Delivered(latency) => ticket.delivered(latency),
            Outcome::DeadLettered(letter) => {
                shared.dead_letters.push(*letter);
                ticket.dead_lettered();
            }
        },
        () = shared.stopped() => shared.hand_back(&event, ticket),
    }
}

fn log_panic(joined: Result<(), tokio::task::JoinError>) {
    if let Err(err) = joined {
        tracing::error!(target: "hookproof_emitter::delivery", error = %err, "delivery task failed");
    }
}
