//! Key order changes which decoding path runs (single pass when `type`
//! precedes `data` or a flat body's entries can be replayed; two passes
//! otherwise), never the result.

use hookproof_events::{Envelope, decode};
use serde_json::Value;

use crate::fixtures::load;

/// `body` re-encoded with its top-level keys in reverse order.
fn reversed(body: &Value) -> Vec<u8> {
    let fields: Vec<String> = body
        .as_object()
        .unwrap()
        .iter()
        .rev()
        .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
        .collect();
    format!("{{{}}}", fields.join(",")).into_bytes()
}

#[test]
fn every_fixture_decodes_the_same_in_any_key_order() {
    let mut checked = 0;
    for group in ["gateway", "openai", "litellm", "legacy"] {
        for (name, sorted, body) in load(group) {
            let rev = reversed(&body);
            assert_ne!(sorted, rev, "{name}: orders should differ");
            let a = decode(&sorted).unwrap_or_else(|e| panic!("{name}: {e}"));
            let b = decode(&rev).unwrap_or_else(|e| panic!("{name} reversed: {e}"));
            assert_eq!(a, b, "{name}");
            if matches!(group, "gateway" | "legacy") {
                // The serde impl never takes the single-pass route.
                let plain: Envelope = serde_json::from_slice(&sorted).unwrap();
                assert_eq!(Envelope::from_slice(&sorted).unwrap(), plain, "{name}");
                assert_eq!(Envelope::from_slice(&rev).unwrap(), plain, "{name}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} fixtures");
}

#[test]
fn invalid_data_is_named_in_any_key_order() {
    let bodies = [
        // `type` before `data`: typed while read, then found invalid.
        r#"{"id":"e","type":"stream.token","timestamp":"2026-11-22T17:00:00Z","version":"1","data":{"request_id":"r","index":"x","content":"c"}}"#,
        // `data` first: kept raw, typed after the scan.
        r#"{"data":{"request_id":"r","index":"x","content":"c"},"id":"e","type":"stream.token","timestamp":"2026-11-22T17:00:00Z","version":"1"}"#,
    ];
    for body in bodies {
        let err = decode(body.as_bytes()).unwrap_err();
        assert_eq!(err.path(), Some("data.index"), "{body}");
        assert_eq!(err.code(), "invalid_field");
    }
    let flat = [
        r#"{"event":"completion","tokens_used":"many","timestamp":1}"#,
        r#"{"tokens_used":"many","event":"completion","timestamp":1}"#,
        r#"{"timestamp":1,"tokens_used":"many","event":"completion"}"#,
    ];
    for body in flat {
        let err = decode(body.as_bytes()).unwrap_err();
        assert_eq!(err.path(), Some("tokens_used"), "{body}");
    }
}
