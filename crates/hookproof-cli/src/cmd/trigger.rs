//! `hookproof trigger`: send a catalogue sample through the reference
//! emitter, so its signing and retry policy apply, printing every attempt.

use std::future::Future;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use hookproof_emitter::ssrf::AddressPolicy;
use hookproof_emitter::{
    AttemptReport, AttemptResult, Emitter, EmitterConfig, EndpointConfig, NextStep, OutgoingEvent,
    RedactedUrl,
};
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::args::TriggerArgs;
use crate::catalogue::{Sample, samples};
use crate::error::{CliError, CliResult};

/// Runs `trigger` (or `trigger --list`): exit 1 if the event is dead-lettered.
pub(crate) fn run(args: TriggerArgs) -> CliResult<ExitCode> {
    let catalogue = samples(args.fixtures.as_deref())?;
    if args.list {
        for sample in &catalogue {
            println!("{:<28} {}", sample.event_type, sample.fixture);
        }
        return Ok(ExitCode::SUCCESS);
    }
    // clap makes TYPE and one of --to / --config required unless --list is given.
    let Some(wanted) = &args.event_type else {
        return Err(CliError::usage(
            "give an event TYPE and --to URL or --config FILE (or --list)",
        ));
    };
    let Some(sample) = catalogue.iter().find(|s| &s.event_type == wanted) else {
        let known: Vec<&str> = catalogue.iter().map(|s| s.event_type.as_str()).collect();
        return Err(CliError::usage(format!(
            "no sample event of type {wanted:?}; known types: {}",
            known.join(", ")
        )));
    };
    if let Some(path) = &args.config {
        return run_with_config(path, sample);
    }
    let Some(to) = &args.to else {
        return Err(CliError::usage("give --to URL or --config FILE"));
    };
    if args.max_attempts == 0 {
        return Err(CliError::usage("--max-attempts must be at least 1"));
    }
    let url = to.url()?;
    // Shown without userinfo and query values, which may hold credentials.
    let shown = RedactedUrl::new(&url);
    let scheme = args.scheme.resolve()?;
    let signer = args.secret.signer(&scheme)?;

    let mut endpoint = EndpointConfig::new("trigger", url.clone(), signer);
    if args.allow_http {
        endpoint.address_policy = AddressPolicy::allow_loopback();
    }
    let mut config = EmitterConfig::new(vec![endpoint]);
    config.retry.max_attempts = args.max_attempts;
    config.retry.initial_delay = Duration::from_millis(args.retry_delay_ms);
    config.delivery.timeout = Duration::from_secs(args.timeout);
    config.validate().map_err(|e| {
        let extra = if url.scheme() == "http" && !args.allow_http {
            " (for a local receiver, add --allow-http)"
        } else {
            ""
        };
        CliError::usage(format!("cannot send to {shown}: {e}{extra}"))
    })?;

    let event = fresh_event(sample)?;
    println!(
        "sending {} {} to {} (sample {}, scheme {}, up to {} attempts)",
        event.event_type,
        event.id,
        shown,
        sample.fixture,
        scheme.name(),
        args.max_attempts
    );
    // A bound in case the emitter never reports: every attempt timing out
    // after the longest possible delay, plus a margin.
    let bound = (config.delivery.timeout + config.retry.max_delay) * args.max_attempts
        + Duration::from_secs(5);
    bounded(bound, deliver(config, event))
}

/// `trigger TYPE --config FILE`: the emitter as the file configures it.
fn run_with_config(path: &Path, sample: &Sample) -> CliResult<ExitCode> {
    let config = EmitterConfig::from_file(path)
        .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?;
    let event = fresh_event(sample)?;
    let endpoints: Vec<String> = config
        .endpoints
        .iter()
        .map(|e| format!("{} ({})", e.name, RedactedUrl::new(&e.url)))
        .collect();
    println!(
        "sending {} {} (sample {}) with {}: endpoints {}",
        event.event_type,
        event.id,
        sample.fixture,
        path.display(),
        endpoints.join(", ")
    );
    let endpoint_count = u32::try_from(config.endpoints.len().max(1)).unwrap_or(u32::MAX);
    let bound = (config.delivery.timeout + config.retry.max_delay)
        * config.retry.max_attempts.saturating_mul(2)
        * endpoint_count
        + Duration::from_secs(5);
    bounded(bound, deliver(config, event))
}

/// Runs `delivery` on a fresh runtime, giving up after `bound`.
fn bounded(
    bound: Duration,
    delivery: impl Future<Output = CliResult<ExitCode>>,
) -> CliResult<ExitCode> {
    super::runtime()?.block_on(async {
        tokio::time::timeout(bound, delivery)
            .await
            .unwrap_or_else(|_| {
                Err(CliError::Failed(anyhow::anyhow!(
                    "no outcome after {} s; giving up",
                    bound.as_secs()
                )))
            })
    })
}

/// The sample with a fresh id and timestamp, so a receiver's idempotency
/// store treats every trigger as a new event.
fn fresh_event(sample: &Sample) -> CliResult<OutgoingEvent> {
    let mut envelope = sample.envelope.clone();
    envelope.id = crate::id::fresh_id("evt_");
    let now = OffsetDateTime::now_utc();
    envelope.timestamp = now.replace_nanosecond(0).unwrap_or(now);
    OutgoingEvent::from_envelope(&envelope)
        .with_context(|| format!("cannot serialize the sample {}", sample.fixture))
        .map_err(CliError::Failed)
}

/// Starts the emitter, sends, and prints reports until the event is
/// delivered or dead-lettered.
async fn deliver(config: EmitterConfig, event: OutgoingEvent) -> CliResult<ExitCode> {
    let (tx, mut rx) = mpsc::unbounded_channel::<AttemptReport>();
    let emitter = Emitter::builder(config)
        .observer(move |report: &AttemptReport| {
            // The receiver lives until the final report; a send error only
            // means we already stopped listening.
            let _ = tx.send(report.clone());
        })
        .start()
        .map_err(|e| CliError::usage(format!("cannot start the emitter: {e}")))?;
    let id = event.id.clone();
    let event_type = event.event_type.clone();
    emitter
        .send(event)
        .await
        .map_err(|e| CliError::Failed(anyhow::anyhow!("cannot queue the event: {e}")))?;
    // `send` counts one delivery per matching endpoint before it returns.
    let deliveries = emitter.metrics().sent;
    if deliveries == 0 {
        let _ = emitter.shutdown(Duration::from_secs(1)).await;
        println!("no enabled endpoint subscribes to {event_type} (filtered); nothing sent");
        return Ok(ExitCode::from(1));
    }

    let (mut attempts, mut delivered, mut dead) = (0u32, 0u64, 0u64);
    while delivered + dead < deliveries {
        let Some(report) = rx.recv().await else {
            break;
        };
        attempts += 1;
        let prefix = if deliveries > 1 {
            format!("[{}] ", report.endpoint)
        } else {
            String::new()
        };
        println!("{prefix}{}", describe(&report));
        match report.next {
            NextStep::Delivered => delivered += 1,
            NextStep::DeadLetter => dead += 1,
            _ => {}
        }
    }
    // Everything is settled; nothing is left to hand back.
    let _ = emitter.shutdown(Duration::from_secs(1)).await;
    if delivered + dead < deliveries {
        return Err(CliError::Failed(anyhow::anyhow!(
            "the emitter stopped before reporting the outcome of {id}"
        )));
    }
    if dead == 0 {
        println!("delivered {id} after {attempts} attempt(s)");
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "dead-lettered {id} after {attempts} attempt(s) ({delivered} of {deliveries} endpoint(s) delivered)"
        );
        Ok(ExitCode::from(1))
    }
}

/// `attempt 2 -> 500 in 3 ms; retry in 1.0 s`.
fn describe(report: &AttemptReport) -> String {
    let result = match &report.result {
        AttemptResult::Status(status) => status.to_string(),
        AttemptResult::Error { code, message } => format!("{code} error ({message})"),
        other => format!("{other:?}"),
    };
    let next = match report.next {
        NextStep::Delivered => "delivered".to_owned(),
        NextStep::Retry(after) => format!("retry in {}", human(after)),
        NextStep::Backup => "trying the backup URL".to_owned(),
        NextStep::DeadLetter => "dead-lettered".to_owned(),
        other => format!("{other:?}"),
    };
    format!(
        "attempt {} -> {result} in {}; {next}",
        report.attempt,
        human(report.elapsed)
    )
}

/// `850 ms` below a second, `1.5 s` above.
fn human(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human(Duration::from_millis(17)), "17 ms");
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
    }
}
