//! `schema`: JSON Schema of all event types, or one.

use predicates::prelude::*;

use crate::support::{hookproof, text};

#[test]
fn prints_all_schemas_keyed_by_type() {
    let out = text(hookproof().arg("schema").assert().success());
    let all: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let map = all.as_object().expect("an object keyed by type");
    for event_type in [
        "gateway/request.completed",
        "gateway/guardrail.blocked",
        "openai/batch.completed",
        "litellm",
    ] {
        let schema = map
            .get(event_type)
            .unwrap_or_else(|| panic!("{event_type} missing"));
        assert!(schema.is_object(), "{event_type}: {schema}");
    }
}

#[test]
fn prints_one_schema_or_lists_the_types() {
    // A bare gateway type and its full name print the same schema.
    let schema = |name: &str| text(hookproof().args(["schema", name]).assert().success());
    let out = schema("guardrail.blocked");
    assert_eq!(schema("gateway/guardrail.blocked"), out);
    let one: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let text = one.to_string();
    assert!(
        text.contains("properties") || text.contains("$ref"),
        "{text}"
    );
    hookproof()
        .args(["schema", "no.such.type"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown event type \"no.such.type\"",
        ))
        .stderr(predicate::str::contains("guardrail.blocked"));
}
