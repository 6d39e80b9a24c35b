//! The sample-event catalogue used by `trigger`: the repository's
//! `fixtures/gateway/` embedded at build time (see `build.rs`), or a
//! directory given with `--fixtures`. Only fixtures holding a gateway
//! envelope that a receiver is expected to accept (2xx) are samples. Legacy
//! flat bodies also decode into an envelope (with version `"legacy"`) but are
//! not what a gateway sends, so they are skipped. The first fixture of each
//! event type wins, `gateway/` fixtures first, so each type is listed once.
//! An empty catalogue is a usage error that says how to give one.

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
    let samples = pick(fixtures);
    if samples.is_empty() {
        return Err(CliError::usage(match dir {
            Some(dir) => format!(
                "no sample events in {}: a sample is a fixture whose body is a gateway \
                 envelope (id, type, timestamp, version, data) expected to be accepted",
                dir.display()
            ),
            None => format!(
                "this hookproof was built without the sample catalogue ({} was not found \
                 at build time); pass --fixtures DIR with gateway fixture files",
                embedded::SOURCE
            ),
        }));
    }
    Ok(samples)
}

/// The samples among `fixtures`: one per event type, sorted by type.
fn pick(fixtures: Vec<Fixture>) -> Vec<Sample> {
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
        if envelope.version == "legacy" {
            continue;
        }
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
    samples
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str, body: &str) -> Fixture {
        let json = format!(r#"{{"name":"{name}","expected_status":200,"body":{body}}}"#);
        Fixture::from_json_slice(json.as_bytes()).expect("valid fixture")
    }

    const ENVELOPE: &str = r#"{"id":"evt_1","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"2026-11-01","data":{"message":"hi"}}"#;
    const LEGACY: &str = r#"{"event":"completion","request_id":"req_1","model":"m","provider":"p","tokens_used":3,"prompt_tokens":2,"completion_tokens":1,"latency_ms":9,"cost":0.1,"finish_reason":"stop","timestamp":1763831044}"#;

    #[test]
    fn legacy_bodies_are_not_samples_and_each_type_is_kept_once() {
        let legacy = fixture("legacy/completion", LEGACY);
        let decoded = hookproof_events::decode(&legacy.body.to_bytes());
        assert!(
            matches!(&decoded, Ok(AnyEvent::Gateway(e)) if e.version == "legacy"),
            "the legacy body decodes as a gateway envelope: {decoded:?}"
        );
        let samples = pick(vec![
            fixture("other/ping", ENVELOPE),
            legacy,
            fixture("gateway/ping", ENVELOPE),
        ]);
        let names: Vec<(&str, &str)> = samples
            .iter()
            .map(|s| (s.event_type.as_str(), s.fixture.as_str()))
            .collect();
        assert_eq!(names, [("webhook.test", "gateway/ping")]);
    }

    #[test]
    fn the_embedded_catalogue_is_the_gateway_directory() {
        assert!(
            !embedded::EMBEDDED.is_empty(),
            "fixtures/gateway/ is in the repository"
        );
        assert!(
            embedded::EMBEDDED
                .iter()
                .all(|(path, _)| path.starts_with("gateway/")),
            "only fixtures/gateway/ is embedded"
        );
        assert_eq!(embedded::SOURCE, "fixtures/gateway");
    }

    #[test]
    fn an_empty_catalogue_says_how_to_give_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("plain.json"),
            r#"{"body":{"hello":"world"}}"#,
        )
        .expect("write");
        let err = samples(Some(dir.path())).expect_err("no samples");
        assert_eq!(err.exit_code(), std::process::ExitCode::from(2));
        assert!(err.to_string().contains("no sample events in"), "{err}");
    }
}
