//! `trigger`: catalogue samples sent through the emitter into `listen`.

use predicates::prelude::*;

use crate::listen::ping;
use crate::support::{Listener, SECRET, hookproof};

/// A catalogue with one usable sample and two that are not samples (an
/// expected rejection, and a body that is not a gateway envelope).
fn catalogue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let body: serde_json::Value = serde_json::from_str(&ping("evt_sample")).expect("json");
    let write = |name: &str, json: serde_json::Value| {
        std::fs::write(
            dir.path().join(name),
            serde_json::to_vec(&json).expect("json"),
        )
        .expect("write");
    };
    write("ping.json", serde_json::json!({ "body": body }));
    write(
        "rejected.json",
        serde_json::json!({ "body": {"id": "x", "type": "request.failed"}, "expected_status": 401 }),
    );
    write(
        "not-gateway.json",
        serde_json::json!({ "body": {"hello": "world"} }),
    );
    dir
}

#[test]
fn list_shows_the_sample_types() {
    let dir = catalogue();
    hookproof()
        .args(["trigger", "--list", "--fixtures"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^webhook\.test\s+ping$").expect("regex"))
        .stdout(predicate::str::contains("request.failed").not());
    // The built-in catalogue (the repository's fixtures/) covers the gateway types.
    hookproof()
        .args(["trigger", "--list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("request.completed"))
        .stdout(predicate::str::contains("guardrail.blocked"));
}

#[test]
fn trigger_delivers_a_fresh_event_into_listen() {
    let dir = catalogue();
    let mut listener = Listener::start(&["--scheme", "gateway", "--secret", SECRET]);
    let out = hookproof()
        .args([
            "trigger",
            "webhook.test",
            "--to",
            &listener.url,
            "--allow-http",
        ])
        .args(["--scheme", "gateway", "--secret", SECRET, "--fixtures"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("attempt 1 -> 200"))
        .stdout(predicate::str::contains("delivered evt_"))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("utf-8");
    let id = out
        .split_whitespace()
        .find(|w| w.starts_with("evt_") && *w != "evt_sample")
        .expect("a fresh evt_ id");
    let line = listener.wait_for(id);
    assert!(
        line.contains("webhook.test") && line.contains("verified (gateway, key 0)"),
        "{line}"
    );
    listener.wait_for("ping from evt_sample");
}

#[test]
fn retries_then_dead_letters_when_the_receiver_keeps_failing() {
    let dir = catalogue();
    let mut listener = Listener::start(&[
        "--scheme",
        "standard",
        "--secret",
        SECRET,
        "--fail-rate",
        "1",
    ]);
    hookproof()
        .args([
            "trigger",
            "webhook.test",
            "--to",
            &listener.url,
            "--allow-http",
            "--secret",
            SECRET,
        ])
        .args([
            "--max-attempts",
            "3",
            "--retry-delay-ms",
            "20",
            "--fixtures",
        ])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("attempt 1 -> 500"))
        .stdout(predicate::str::contains("attempt 2 -> 500"))
        .stdout(predicate::str::contains("attempt 3 -> 500"))
        .stdout(predicate::str::contains("dead-lettered evt_"));
    listener.wait_count("-> 500 (--fail-rate)", 3);
}

#[test]
fn retries_until_the_receiver_accepts() {
    let dir = catalogue();
    // Seed 6 at rate 0.5 fails the first delivery and accepts the second
    // (pinned by the dice unit test).
    let mut listener = Listener::start(&["--secret", SECRET, "--fail-rate", "0.5", "--seed", "6"]);
    hookproof()
        .args([
            "trigger",
            "webhook.test",
            "--to",
            &listener.url,
            "--allow-http",
            "--secret",
            SECRET,
        ])
        .args([
            "--max-attempts",
            "5",
            "--retry-delay-ms",
            "20",
            "--fixtures",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("attempt 1 -> 500"))
        .stdout(predicate::str::contains("attempt 2 -> 200"))
        .stdout(predicate::str::contains("delivered evt_"));
    listener.wait_for("-> 500 (--fail-rate)");
    listener.wait_for("-> 200");
}

#[test]
fn plain_http_needs_allow_http_and_unknown_types_are_usage_errors() {
    let dir = catalogue();
    hookproof()
        .args([
            "trigger",
            "webhook.test",
            "--to",
            "http://127.0.0.1:9/webhooks",
            "--secret",
            SECRET,
            "--fixtures",
        ])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--allow-http"));
    hookproof()
        .args([
            "trigger",
            "nope.nope",
            "--to",
            "http://127.0.0.1:9/",
            "--secret",
            SECRET,
            "--fixtures",
        ])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("known types: webhook.test"));
}
