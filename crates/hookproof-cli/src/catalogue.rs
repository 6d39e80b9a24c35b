//! The sample-event catalogue used by `trigger`: the repository's
//! `fixtures/` embedded at build time (see `build.rs`), or a directory given
//! with `--fixtures`. Only fixtures holding a gateway envelope that a
//! receiver is expected to accept (2xx) are samples; the first fixture of
//! each event type wins, `gateway/` fixtures first.

use std::path::Path;

use hookproof_events::{AnyEvent, Envelope};
use hookproof_testkit::Fixture;

use crate::error::{CliError, CliResult};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}

/// One sample event.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    /// Fixture name, e.g. `gateway/guardrail.blocked`.
    pub(crate) fixture: String,
    /// Event type, e.g. `guardrail.blocked`.
    pub(crate) event_type: String,
    /// The decoded envelope.
    pub(crate) envelope: Envelope,
}

/// Loads the samples from `dir`, or from the embedded catalogue.
pub(crate) fn samples(dir: Option<&Path>) -> CliResult<Vec<Sample>> {
    let fixtures = match dir {
        Some(dir) => hookproof_testkit::load(dir).map_err(|e| {
            CliError::usage(format!("cannot load the catalogue {}: {e}", dir.display()))
        })?,
        None => embedded_fixtures()?,
    };
    let mut fixtures: Vec<Fixture> = fixtures
        .into_iter()
        .filter(|f| (200..300).contains(&f.expected_status))
        .collect();
    fixtures.sort_by_key(|f| (!f.name.starts_with("gateway/"), f.name.clone()));

    let mut samples: Vec<Sample> = Vec::new();
    for fixture in fixtures {
        let Ok(AnyEvent::Gateway(envelope)) = hookproof_events::decode(&fixture.body.to_bytes())
        else {
            continue;
        };
        let event_type = envelope.event.event_type().to_owned();
        if samples.iter().any(|s| s.event_type == event_type) {
            continue;
        }
        samples.push(Sample {
            fixture: fixture.name,
            event_type,
            envelope,
        });
    }
    samples.sort_by(|a, b| a.event_type.cmp(&b.event_type));
    Ok(samples)
}

fn embedded_fixtures() -> CliResult<Vec<Fixture>> {
    embedded::EMBEDDED
        .iter()
        .map(|(path, text)| {
            let mut fixture = Fixture::from_json_slice(text.as_bytes()).map_err(|e| {
                CliError::Failed(anyhow::anyhow!("embedded fixture {path} is invalid: {e}"))
            })?;
            if fixture.name == "fixture" {
                fixture.name = path.trim_end_matches(".json").to_owned();
            }
            Ok(fixture)
        })
        .collect()
}
