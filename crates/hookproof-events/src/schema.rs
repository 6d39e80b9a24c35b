//! JSON Schema export (feature `schema`).

use serde_json::{Map, Value, json};

use crate::event::GatewayEvent;
use crate::legacy::LegacyEvent;
use crate::litellm::BudgetAlert;
use crate::openai::OpenAiEventKind;

/// One JSON Schema (draft 2020-12) per event type, for the whole delivery
/// body, named like the fixtures: `gateway/<type>`, `openai/<type>`, plus
/// `litellm` (all LiteLLM alerts) and `legacy` (the flat legacy shape).
///
/// Gateway and OpenAI share some type names (`batch.completed`), hence the
/// prefix.
///
/// # Examples
///
/// ```
/// let all = hookproof_events::schemas();
/// let (_, s) = all.iter().find(|(n, _)| n == "gateway/guardrail.blocked").unwrap();
/// assert_eq!(s["properties"]["type"]["const"], "guardrail.blocked");
/// assert!(s["properties"]["data"]["required"].as_array().unwrap().contains(&"stage".into()));
/// ```
pub fn schemas() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (ty, data) in GatewayEvent::data_schemas() {
        let props = json!({
            "id": {"type": "string"},
            "type": {"const": ty},
            "timestamp": {"type": "string", "format": "date-time"},
            "version": {"type": "string"},
        });
        let required = ["id", "type", "timestamp", "version", "data"];
        out.push(wrap(
            format!("gateway/{ty}"),
            props,
            &required,
            data.to_value(),
        ));
    }
    for (ty, data) in OpenAiEventKind::data_schemas() {
        let props = json!({
            "object": {"const": "event"},
            "id": {"type": "string"},
            "type": {"const": ty},
            "created_at": {"type": "integer"},
        });
        let required = ["id", "type", "created_at", "data"];
        out.push(wrap(
            format!("openai/{ty}"),
            props,
            &required,
            data.to_value(),
        ));
    }
    out.push((
        "litellm".to_owned(),
        schemars::schema_for!(BudgetAlert).to_value(),
    ));
    out.push((
        "legacy".to_owned(),
        schemars::schema_for!(LegacyEvent).to_value(),
    ));
    out
}

/// Builds an envelope schema whose `data` property is `data`; the data
/// schema's `$defs` move to the root, where its `#/$defs/..` refs point.
fn wrap(name: String, props: Value, required: &[&str], data: Value) -> (String, Value) {
    let mut data = match data {
        Value::Object(m) => m,
        other => Map::from_iter([("allOf".to_owned(), json!([other]))]),
    };
    let defs = data.remove("$defs").unwrap_or_else(|| json!({}));
    data.remove("$schema");
    let mut props = match props {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    props.insert("data".to_owned(), Value::Object(data));
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": name,
        "type": "object",
        "required": required,
        "properties": props,
        "$defs": defs,
    });
    (name, schema)
}
