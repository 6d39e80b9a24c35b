//! Forward compatibility and error reporting through the public API.

use hookproof_events::{AnyEvent, DecodeError, Envelope, GatewayEvent, decode};

const COMPLETED: &str = r#"{"id":"evt_1","type":"request.completed","timestamp":"2026-11-22T17:00:00Z",
 "version":"2026-11-01","data":{"request_id":"req_1","model":"gpt-4o","provider":"openai",
 "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15},"latency_ms":420}}"#;

#[test]
fn gateway_event_deserializes_from_a_whole_body() {
    let e: GatewayEvent = serde_json::from_str(COMPLETED).unwrap();
    let GatewayEvent::RequestCompleted(r) = e else {
        panic!("wrong variant")
    };
    assert_eq!((r.usage.total_tokens, r.latency_ms), (15, 420));
}

#[test]
fn gateway_event_deserializes_from_the_legacy_shape_via_serde() {
    let body = r#"{"event":"error","request_id":"req_9","error":"upstream 503","error_type":"provider_error",
        "status_code":503,"timestamp":"2026-11-22T17:00:00Z","latency_ms":30012}"#;
    let e: GatewayEvent = serde_json::from_str(body).unwrap();
    let GatewayEvent::RequestFailed(f) = e else {
        panic!("wrong variant")
    };
    assert_eq!(f.status_code, Some(503));
    assert_eq!(f.message, "upstream 503");
    // The envelope via serde keeps the legacy markers.
    let env: Envelope = serde_json::from_str(body).unwrap();
    assert_eq!((env.id.as_str(), env.version.as_str()), ("req_9", "legacy"));
}

#[test]
fn new_fields_anywhere_are_ignored() {
    let body = COMPLETED
        .replace(
            r#""latency_ms":420"#,
            r#""latency_ms":420,"cache":{"hit":true}"#,
        )
        .replace(r#""version""#, r#""region":"eu-west-1","version""#);
    let a = Envelope::from_slice(COMPLETED.as_bytes()).unwrap();
    let b = Envelope::from_slice(body.as_bytes()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn unknown_type_is_not_an_error_through_decode() {
    let body = COMPLETED.replace("request.completed", "request.cached");
    let AnyEvent::Gateway(env) = decode(body.as_bytes()).unwrap() else {
        panic!("wrong shape")
    };
    match env.event {
        GatewayEvent::Unknown { event_type, raw } => {
            assert_eq!(event_type, "request.cached");
            assert_eq!(raw["usage"]["total_tokens"], 15);
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
}

#[test]
fn invalid_known_data_errors_name_the_path_through_every_entry_point() {
    let body = COMPLETED.replace(r#""total_tokens":15"#, r#""total_tokens":-15"#);
    let err = decode(body.as_bytes()).unwrap_err();
    assert_eq!(err.path(), Some("data.usage.total_tokens"));
    let msg = serde_json::from_str::<GatewayEvent>(&body)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("data.usage.total_tokens"), "{msg}");
    let missing = COMPLETED.replace(r#""model":"gpt-4o","#, "");
    assert_eq!(
        decode(missing.as_bytes()).unwrap_err(),
        DecodeError::MissingField {
            path: "data.model".into()
        }
    );
}

#[test]
fn garbage_never_panics_and_gets_a_code() {
    let inputs: [&[u8]; 9] = [
        b"",
        b"null",
        b"\"str\"",
        b"{\"type\":5,\"data\":{}}",
        b"{\"type\":\"request.completed\"}",
        b"{\"event\":{}}",
        b"\xff\xfe",
        b"{\"type\":\"webhook.test\",\"data\":[],\"id\":\"e\",\"timestamp\":\"2026-11-22T17:00:00Z\",\"version\":\"1\"}",
        b"{\"object\":\"event\",\"type\":\"batch.failed\",\"id\":\"e\",\"created_at\":1.5,\"data\":{\"id\":\"b\"}}",
    ];
    for input in inputs {
        let err = decode(input).unwrap_err();
        assert!(!err.code().is_empty());
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn summaries_are_one_line_and_name_the_type() {
    for body in [
        COMPLETED.to_owned(),
        r#"{"object":"event","id":"evt_9","type":"batch.completed","created_at":1763830800,"data":{"id":"batch_1"}}"#.to_owned(),
        r#"{"event":"threshold_crossed","event_group":"key","event_message":"m","spend":85.2,"max_budget":100.0,"key_alias":"ci"}"#.to_owned(),
    ] {
        let e = decode(body.as_bytes()).unwrap();
        let s = e.summary();
        assert!(!s.contains('\n'));
        assert!(s.contains(e.event_type()), "{s}");
    }
    let e = decode(COMPLETED.as_bytes()).unwrap();
    assert_eq!(
        e.summary(),
        "gateway request.completed evt_1 model=gpt-4o tokens=15 latency=420ms"
    );
    assert_eq!(e.id(), Some("evt_1"));
}

#[test]
fn every_truncation_and_corruption_of_every_fixture_is_handled() {
    let mut errors = 0usize;
    for group in ["gateway", "openai", "litellm", "legacy"] {
        for (name, bytes, _) in crate::fixtures::load(group) {
            for cut in 0..bytes.len() {
                // A strict prefix of a JSON object is never a complete body.
                let err = decode(&bytes[..cut]).expect_err(&name);
                assert!(
                    matches!(err.code(), "invalid_json" | "unknown_shape"),
                    "{name}@{cut}: {err}"
                );
                errors += 1;
            }
            for pos in (0..bytes.len()).step_by(3) {
                for b in [b'"', b'}', b'0', 0xff] {
                    let mut m = bytes.clone();
                    m[pos] = b;
                    // Must not panic; either outcome is fine.
                    if let Err(e) = decode(&m) {
                        assert!(!e.code().is_empty());
                    }
                }
            }
        }
    }
    assert!(errors > 10_000);
}

#[test]
fn flat_shapes_are_told_apart_by_event_value_and_keys() {
    // Unknown legacy kind: full scan, still legacy, decoded as Unknown.
    let e =
        decode(br#"{"event":"cache_hit","request_id":"req_1","timestamp":1763830800}"#).unwrap();
    assert_eq!((e.source(), e.event_type()), ("legacy", "cache_hit"));
    // Unknown LiteLLM event with event_group: LiteLLM, kept verbatim.
    let e =
        decode(br#"{"event":"budget_reset","event_group":"team","event_message":"m","spend":0.0}"#)
            .unwrap();
    assert_eq!((e.source(), e.event_type()), ("litellm", "budget_reset"));
    // Known LiteLLM event recognised early even when event_group comes later.
    let e = decode(
        br#"{"event":"threshold_crossed","spend":90.0,"event_message":"m","event_group":"key"}"#,
    )
    .unwrap();
    assert_eq!(e.source(), "litellm");
    // A known legacy event with a missing LiteLLM field is still legacy.
    let e = decode(
        br#"{"event":"budget","spend":5.0,"budget":10.0,"timestamp":"2026-11-22T10:00:00Z"}"#,
    )
    .unwrap();
    assert_eq!(
        (e.source(), e.event_type()),
        ("legacy", "budget.threshold_reached")
    );
}
