//! Every fixture in `fixtures/` decodes into the variant its file name says
//! and re-encodes without losing a field.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hookproof_events::legacy::LegacyEvent;
use hookproof_events::openai::OpenAiEventKind;
use hookproof_events::{AnyEvent, GatewayEvent, decode};
use serde_json::Value;

pub(crate) fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// `(name, body bytes, body value)` of every fixture of `group`.
pub(crate) fn load(group: &str) -> Vec<(String, Vec<u8>, Value)> {
    let dir = fixtures_dir().join(group);
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for path in paths {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let fixture: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = format!("{group}/{stem}");
        assert_eq!(
            fixture["name"],
            name.as_str(),
            "{}: name field",
            path.display()
        );
        if let Some(status) = fixture.get("expected_status") {
            assert!(
                status.as_u64().is_some_and(|s| (100..600).contains(&s)),
                "{name}"
            );
        }
        if let Some(headers) = fixture.get("headers") {
            assert!(
                headers.as_object().unwrap().values().all(Value::is_string),
                "{name}"
            );
        }
        let body = fixture
            .get("body")
            .unwrap_or_else(|| panic!("{name}: no body"))
            .clone();
        check_realism(&name, &body);
        out.push((name, serde_json::to_vec(&body).unwrap(), body));
    }
    out
}

/// Token counts add up and trace ids are in W3C format wherever they appear.
fn check_realism(name: &str, v: &Value) {
    match v {
        Value::Object(m) => {
            if let (Some(p), Some(c), Some(t)) = (
                m.get("prompt_tokens").and_then(Value::as_u64),
                m.get("completion_tokens").and_then(Value::as_u64),
                m.get("total_tokens").and_then(Value::as_u64),
            ) {
                assert_eq!(p + c, t, "{name}: token counts do not add up");
            }
            let hex = |s: &str, n: usize| {
                s.len() == n
                    && s.bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            };
            if let Some(id) = m.get("trace_id").and_then(Value::as_str) {
                assert!(hex(id, 32), "{name}: trace_id {id} is not W3C");
            }
            if let Some(id) = m.get("span_id").and_then(Value::as_str) {
                assert!(hex(id, 16), "{name}: span_id {id} is not W3C");
            }
            m.values().for_each(|x| check_realism(name, x));
        }
        Value::Array(a) => a.iter().for_each(|x| check_realism(name, x)),
        _ => {}
    }
}

fn stem(name: &str) -> &str {
    name.split_once('/').map_or(name, |(_, s)| s)
}

#[test]
fn gateway_fixtures_decode_to_their_type_and_round_trip() {
    let all = load("gateway");
    let mut seen = BTreeSet::new();
    for (name, bytes, body) in &all {
        let AnyEvent::Gateway(env) = decode(bytes).unwrap_or_else(|e| panic!("{name}: {e}")) else {
            panic!("{name}: not detected as a gateway envelope")
        };
        assert_ne!(env.version, "legacy", "{name}");
        assert_eq!(env.event_type(), stem(name), "{name}");
        assert!(
            !matches!(env.event, GatewayEvent::Unknown { .. }),
            "{name}: decoded as Unknown"
        );
        assert_eq!(
            &serde_json::to_value(&env).unwrap(),
            body,
            "{name}: re-encoding lost or changed a field"
        );
        // The serde path agrees with the fast path.
        assert_eq!(
            serde_json::from_slice::<hookproof_events::Envelope>(bytes).unwrap(),
            env,
            "{name}"
        );
        seen.insert(stem(name).to_owned());
    }
    let want: BTreeSet<_> = GatewayEvent::KNOWN_TYPES
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(seen, want, "one fixture per gateway event type");
}

#[test]
fn openai_fixtures_decode_to_their_type_and_round_trip() {
    let mut seen = BTreeSet::new();
    for (name, bytes, body) in load("openai") {
        let AnyEvent::OpenAi(e) = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")) else {
            panic!("{name}: not detected as an OpenAI event")
        };
        assert_eq!(e.event_type(), stem(&name), "{name}");
        assert!(
            !matches!(e.event, OpenAiEventKind::Unknown { .. }),
            "{name}"
        );
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            body,
            "{name}: re-encoding differs"
        );
        seen.insert(stem(&name).to_owned());
    }
    let want: BTreeSet<_> = OpenAiEventKind::KNOWN_TYPES
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(seen, want, "one fixture per OpenAI event type");
}

#[test]
fn litellm_fixtures_decode_and_round_trip() {
    let all = load("litellm");
    assert!(
        all.len() >= 4,
        "budget_crossed, soft_budget_crossed, threshold_crossed, projected_limit_exceeded"
    );
    for (name, bytes, body) in all {
        let AnyEvent::LiteLlm(a) = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}")) else {
            panic!("{name}: not detected as a LiteLLM alert")
        };
        assert_eq!(a.event.as_str(), stem(&name), "{name}");
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            body,
            "{name}: re-encoding differs"
        );
    }
}

#[test]
fn legacy_fixtures_decode_to_gateway_variants_and_round_trip() {
    let mut seen = BTreeSet::new();
    for (name, bytes, body) in load("legacy") {
        let expected = match stem(&name) {
            "completion" => "request.completed",
            "error" => "request.failed",
            "streaming" => "stream.token",
            "budget" => "budget.threshold_reached",
            "rate_limit" => "rate_limit.exceeded",
            other => panic!("{name}: unexpected legacy fixture {other}"),
        };
        let AnyEvent::Gateway(env) = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
        else {
            panic!("{name}: not detected as legacy")
        };
        assert_eq!(env.version, "legacy", "{name}");
        assert_eq!(env.event_type(), expected, "{name}");
        let typed: LegacyEvent = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            serde_json::to_value(&typed).unwrap(),
            body,
            "{name}: re-encoding differs"
        );
        seen.insert(stem(&name).to_owned());
    }
    assert_eq!(seen.len(), 5, "one fixture per legacy event kind");
}
