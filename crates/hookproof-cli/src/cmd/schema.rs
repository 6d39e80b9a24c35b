//! `hookproof schema`: JSON Schema of the events.

use std::process::ExitCode;

use crate::args::SchemaArgs;
use crate::error::{CliError, CliResult};

/// Runs `schema`: all schemas as one object keyed by name
/// (`gateway/guardrail.blocked`, `openai/batch.completed`, `litellm`, ...),
/// or one schema.
pub(crate) fn run(args: SchemaArgs) -> CliResult<ExitCode> {
    let schemas = hookproof_events::schemas();
    let out = match args.event_type {
        None => serde_json::Value::Object(schemas.into_iter().collect()),
        Some(wanted) => {
            let names: Vec<&str> = schemas.iter().map(|(t, _)| t.as_str()).collect();
            let index = find(&names, &wanted)?;
            schemas[index].1.clone()
        }
    };
    let text = serde_json::to_string_pretty(&out)
        .map_err(|e| CliError::Failed(anyhow::anyhow!("cannot render the schema: {e}")))?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// Finds `wanted` among the schema names: the exact name, else the gateway
/// event of that type (`guardrail.blocked` is `gateway/guardrail.blocked`),
/// else the one name ending in `/<wanted>`.
fn find(names: &[&str], wanted: &str) -> CliResult<usize> {
    if let Some(i) = names.iter().position(|n| *n == wanted) {
        return Ok(i);
    }
    let gateway = format!("gateway/{wanted}");
    if let Some(i) = names.iter().position(|n| *n == gateway) {
        return Ok(i);
    }
    let suffix = format!("/{wanted}");
    let matches: Vec<usize> = (0..names.len())
        .filter(|i| names[*i].ends_with(&suffix))
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::usage(format!(
            "unknown event type {wanted:?}; known types: {}",
            names.join(", ")
        ))),
        several => Err(CliError::usage(format!(
            "event type {wanted:?} is ambiguous: {}",
            several
                .iter()
                .map(|i| names[*i])
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &[
        "gateway/batch.completed",
        "openai/batch.completed",
        "openai/response.failed",
        "azure/response.failed",
        "litellm",
    ];

    #[test]
    fn exact_then_gateway_then_unique_suffix() {
        assert_eq!(find(NAMES, "openai/batch.completed").ok(), Some(1));
        assert_eq!(find(NAMES, "batch.completed").ok(), Some(0));
        assert_eq!(find(NAMES, "litellm").ok(), Some(4));
        let err = find(NAMES, "response.failed").unwrap_err().to_string();
        assert!(err.contains("ambiguous"), "{err}");
        let err = find(NAMES, "nope").unwrap_err().to_string();
        assert!(
            err.contains("known types: gateway/batch.completed"),
            "{err}"
        );
    }
}
