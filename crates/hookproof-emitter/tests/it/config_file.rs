//! A config file in the documented shape starts an emitter that delivers.

use std::time::Duration;

use hookproof_emitter::{Emitter, EmitterConfig};

use crate::receiver::{Receiver, Reply, SECRET, event};

#[tokio::test]
async fn a_config_file_starts_an_emitter() {
    let rx = Receiver::start(|_, _| Reply::Status(200)).await;
    let path = std::env::temp_dir().join(format!("hookproof-emitter-{}.toml", std::process::id()));
    let text = format!(
        r#"
        [[endpoints]]
        name = "local"
        url = "{}"
        secrets = ["{SECRET}"]
        scheme = "standard"
        allow_loopback = true

        [events]
        subscribe = ["request.*"]

        [retry]
        max_attempts = 2

        [security]
        require_https = true

        [delivery]
        timeout_ms = 2000
        concurrent_deliveries = 2
        queue_size = 16
        "#,
        rx.url("/from-file")
    );
    std::fs::write(&path, text).unwrap();
    let config = EmitterConfig::from_file(&path);
    std::fs::remove_file(&path).unwrap();
    let emitter = Emitter::start(config.unwrap()).unwrap();
    let metrics = emitter.metrics_handle();
    emitter.send(event("evt_file")).await.unwrap();
    assert!(emitter.shutdown(Duration::from_secs(5)).await.is_empty());
    assert_eq!(metrics.snapshot().delivered, 1);
    let hits = rx.hits();
    assert_eq!(
        (hits[0].path.as_str(), hits[0].id.as_str()),
        ("/from-file", "evt_file")
    );
    assert!(hits[0].verified);
}

#[test]
fn start_outside_a_runtime_is_an_error() {
    let config = EmitterConfig::from_toml_str(&format!(
        "[[endpoints]]\nurl = \"https://hooks.example.com/\"\nsecret = \"{SECRET}\""
    ))
    .unwrap();
    let err = Emitter::start(config).unwrap_err();
    assert_eq!(err.code(), "no_runtime");
}
