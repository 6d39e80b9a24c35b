//! The retry loop of one delivery: attempts on the primary URL, then on the
//! backup URL, then the dead letters.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use tokio::sync::OwnedSemaphorePermit;

use super::attempt::attempt;
use crate::emitter::Shared;
use crate::observer::{AttemptReport, AttemptResult, EndpointRole, NextStep};
use crate::{DeadLetter, OutgoingEvent, RedactedUrl};

/// How a delivery ended (shutdown aside).
#[derive(Debug)]
pub(crate) enum Outcome {
    /// A 2xx, this long after the event's creation.
    Delivered(Duration),
    /// Every URL gave up.
    DeadLettered(Box<DeadLetter>),
}

/// Delivers `event` to endpoint `index`. `permit` is a concurrency permit
/// already held for the first attempt, if any; later attempts acquire their
/// own and none is held while waiting for a retry.
pub(crate) async fn deliver(
    shared: &Shared,
    index: usize,
    event: &OutgoingEvent,
    mut permit: Option<OwnedSemaphorePermit>,
) -> Outcome {
    let endpoint = &shared.endpoints[index];
    let config = &endpoint.config;
    let policy = &shared.retry;
    let mut total_attempts = 0u32;
    let mut last_status = None;
    let mut last_error = None;
    let urls = [
        (EndpointRole::Primary, Some(&config.url)),
        (EndpointRole::Backup, config.backup_url.as_ref()),
    ];
    for (slot, (role, url)) in urls.into_iter().enumerate() {
        let Some(url) = url else { continue };
        // Every message, log line and report shows the URL without its
        // credentials.
        let shown = RedactedUrl::new(url);
        if endpoint.disabled[slot].load(Ordering::Relaxed) {
            last_error = Some(format!("{shown} is disabled after answering 410 Gone"));
            continue;
        }
        let backup_next = slot == 0
            && config.backup_url.is_some()
            && !endpoint.disabled[1].load(Ordering::Relaxed);
        let give_up = if backup_next {
            NextStep::Backup
        } else {
            NextStep::DeadLetter
        };
        for n in 1..=policy.max_attempts.max(1) {
            let held = match permit.take() {
                Some(p) => Some(p),
                None => shared.semaphore.clone().acquire_owned().await.ok(),
            };
            let a = attempt(
                &endpoint.client,
                url,
                &config.signer,
                event,
                shared.max_response_bytes,
            )
            .await;
            drop(held);
            shared.metrics.attempt();
            total_attempts += 1;
            let mut disabled = false;
            let (next, retryable) = match &a.result {
                AttemptResult::Status(s) if (200..300).contains(s) => (NextStep::Delivered, false),
                AttemptResult::Status(410) => {
                    endpoint.disabled[slot].store(true, Ordering::Relaxed);
                    shared.metrics.endpoint_disabled();
                    disabled = true;
                    last_status = Some(410);
                    last_error = Some(format!("{shown} answered 410 Gone and is now disabled"));
                    tracing::warn!(
                        target: "hookproof_emitter::delivery",
                        endpoint = %config.name, url = %shown, "endpoint answered 410 Gone: disabled"
                    );
                    (give_up, false)
                }
                AttemptResult::Status(s) => {
                    last_status = Some(*s);
                    last_error = Some(match (&a.location, *s) {
                        (Some(to), 300..=399) => match shown.join(to) {
                            Some(to) => format!("HTTP {s}: redirect to {to} not followed"),
                            None => {
                                format!("HTTP {s}: redirect (unparseable location) not followed")
                            }
                        },
                        _ => format!("HTTP {s}"),
                    });
                    (give_up, policy.is_retryable_response(*s, a.retry_after))
                }
                AttemptResult::Error { code, message } => {
                    last_error = Some(message.clone());
                    (give_up, *code != crate::ssrf::DESTINATION_BLOCKED)
                }
            };
            let next = if retryable && n < policy.max_attempts {
                NextStep::Retry(policy.next_delay(n, rand::random::<f64>(), a.retry_after))
            } else {
                next
            };
            let report = AttemptReport {
                endpoint: config.name.clone(),
                role,
                url: shown.to_string(),
                event_id: event.id.clone(),
                attempt: n,
                result: a.result,
                elapsed: a.elapsed,
                endpoint_disabled: disabled,
                next,
            };
            tracing::debug!(
                target: "hookproof_emitter::delivery",
                endpoint = %report.endpoint, event_id = %report.event_id,
                attempt = n, result = ?report.result, next = ?report.next, "attempt"
            );
            if let Some(observer) = &shared.observer {
                observer.on_attempt(&report);
            }
            match next {
                NextStep::Delivered => {
                    let latency = SystemTime::now()
                        .duration_since(event.created_at)
                        .unwrap_or(Duration::ZERO);
                    return Outcome::Delivered(latency);
                }
                NextStep::Retry(delay) => {
                    shared.metrics.retry();
                    let _waiting = shared.metrics.waiting(event.created_at);
                    tokio::time::sleep(delay).await;
                }
                NextStep::Backup | NextStep::DeadLetter => break,
            }
        }
    }
    tracing::warn!(
        target: "hookproof_emitter::delivery",
        endpoint = %config.name, event_id = %event.id, attempts = total_attempts,
        last_status, last_error = last_error.as_deref(), "delivery dead-lettered"
    );
    Outcome::DeadLettered(Box::new(DeadLetter {
        event: event.clone(),
        endpoint: config.name.clone(),
        attempts: total_attempts,
        last_status,
        last_error,
        failed_at: SystemTime::now(),
    }))
}
