//! Every fixture satisfies the JSON Schema of its type (structural check:
//! types, required properties, consts, refs).

use serde_json::{Map, Value};

use crate::fixtures::load;

/// Minimal structural validator for the subset schemars emits.
fn check(schema: &Value, root: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else { return };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        match root["$defs"].get(name) {
            Some(target) => check(target, root, v, path, errors),
            None => errors.push(format!("{path}: dangling $ref {r}")),
        }
    }
    if let Some(c) = s.get("const").filter(|c| *c != v) {
        errors.push(format!("{path}: expected const {c}, got {v}"));
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => true,
        });
        if !ok {
            errors.push(format!("{path}: {v} is not of type {t}"));
            return;
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = s.get(key).and_then(Value::as_array) {
            let any = alts.iter().any(|alt| {
                let mut e = Vec::new();
                check(alt, root, v, path, &mut e);
                e.is_empty()
            });
            if !any {
                errors.push(format!("{path}: matches no alternative of {key}"));
            }
        }
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        all.iter().for_each(|a| check(a, root, v, path, errors));
    }
    if let Value::Object(obj) = v {
        let empty = Map::new();
        let props = s
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for req in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let req = req.as_str().unwrap_or_default();
            if !obj.contains_key(req) {
                errors.push(format!("{path}: missing required `{req}`"));
            }
        }
        for (k, sub) in props {
            if let Some(x) = obj.get(k) {
                check(sub, root, x, &format!("{path}.{k}"), errors);
            }
        }
    }
    if let (Some(items), Value::Array(a)) = (s.get("items"), v) {
        for (i, x) in a.iter().enumerate() {
            check(items, root, x, &format!("{path}[{i}]"), errors);
        }
    }
}

fn schema_for(all: &[(String, Value)], fixture: &str) -> Value {
    let key = match fixture.split_once('/') {
        Some(("litellm", _)) => "litellm".to_owned(),
        Some(("legacy", _)) => "legacy".to_owned(),
        _ => fixture.to_owned(),
    };
    all.iter()
        .find(|(n, _)| *n == key)
        .unwrap_or_else(|| panic!("no schema for {fixture}"))
        .1
        .clone()
}

#[test]
fn every_fixture_satisfies_its_schema() {
    let all = hookproof_events::schemas();
    let mut checked = 0;
    for group in ["gateway", "openai", "litellm", "legacy"] {
        for (name, _, body) in load(group) {
            let schema = schema_for(&all, &name);
            let mut errors = Vec::new();
            check(&schema, &schema, &body, "$", &mut errors);
            assert!(errors.is_empty(), "{name}: {errors:#?}");
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} fixtures checked");
}

#[test]
fn the_validator_rejects_what_the_decoder_rejects() {
    let all = hookproof_events::schemas();
    let schema = schema_for(&all, "gateway/budget.threshold_reached");
    let (_, _, mut body) = load("gateway")
        .into_iter()
        .find(|(n, _, _)| n == "gateway/budget.threshold_reached")
        .unwrap();
    body["data"]["usage_percent"] = Value::String("ninety".into());
    body["data"].as_object_mut().unwrap().remove("currency");
    let mut errors = Vec::new();
    check(&schema, &schema, &body, "$", &mut errors);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().any(|e| e.contains("$.data.usage_percent")));
    assert!(errors.iter().any(|e| e.contains("currency")));
}

#[test]
fn there_is_one_schema_per_known_type() {
    let all = hookproof_events::schemas();
    let n = hookproof_events::GatewayEvent::KNOWN_TYPES.len()
        + hookproof_events::openai::OpenAiEventKind::KNOWN_TYPES.len()
        + 2;
    assert_eq!(all.len(), n);
}
