//! `trigger`: catalogue samples sent through the emitter into `listen`.

use predicates::prelude::*;

use crate::listen::ping;
use crate::support::{Listener, SECRET, hookproof, text};

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
}

#[test]
fn the_built_in_list_is_fixtures_gateway_once_per_type() {
    let out = text(hookproof().args(["trigger", "--list"]).assert().success());
    let rows: Vec<(&str, &str)> = out
        .lines()
        .map(|l| l.split_once(' ').expect("TYPE FIXTURE"))
        .map(|(t, f)| (t, f.trim()))
        .collect();
    let types: Vec<&str> = rows.iter().map(|(t, _)| *t).collect();
    for wanted in ["request.completed", "guardrail.blocked", "webhook.test"] {
        assert_eq!(
            types.iter().filter(|t| **t == wanted).count(),
            1,
            "{wanted} once:\n{out}"
        );
    }
    let mut unique = types.clone();
    unique.dedup();
    assert_eq!(unique, types, "sorted, each type once:\n{out}");
    for (event_type, fixture) in &rows {
        assert_eq!(*fixture, format!("gateway/{event_type}"), "{out}");
    }
}

#[test]
fn legacy_bodies_are_not_samples() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, json: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, json).expect("write");
    };
    let body = ping("evt_g");
    write("gateway/ping.json", &format!(r#"{{"body":{body}}}"#));
    write("legacy/ping.json", &format!(r#"{{"body":{body}}}"#));
    // A flat legacy body decodes to request.completed (version "legacy").
    write(
        "legacy/completion.json",
        r#"{"body":{"event":"completion","request_id":"req_1","model":"m","provider":"p","tokens_used":3,"prompt_tokens":2,"completion_tokens":1,"latency_ms":9,"cost":0.1,"finish_reason":"stop","timestamp":1763831044}}"#,
    );
    let out = text(
        hookproof()
            .args(["trigger", "--list", "--fixtures"])
            .arg(dir.path())
            .assert()
            .success(),
    );
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        predicate::str::is_match(r"^webhook\.test\s+gateway/ping\n$")
            .expect("regex")
            .eval(&out),
        "{out}"
    );
    // A catalogue with no samples at all says what a sample is.
    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        empty.path().join("old.json"),
        r#"{"body":{"event":"error","request_id":"r"}}"#,
    )
    .expect("write");
    hookproof()
        .args(["trigger", "--list", "--fixtures"])
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no sample events in"));
}

/// `trigger <event_type> --to <url> --secret SECRET --fixtures <dir>`.
fn trigger(event_type: &str, url: &str, dir: &tempfile::TempDir) -> assert_cmd::Command {
    let mut cmd = hookproof();
    cmd.args(["trigger", event_type, "--to", url, "--secret", SECRET])
        .arg("--fixtures")
        .arg(dir.path());
    cmd
}

#[test]
fn trigger_delivers_a_fresh_event_into_listen() {
    let dir = catalogue();
    let mut listener = Listener::scheme("gateway", &[]);
    let out = text(
        trigger("webhook.test", &listener.url, &dir)
            .args(["--allow-http", "--scheme", "gateway"])
            .assert()
            .success()
            .stdout(predicate::str::contains("attempt 1 -> 200"))
            .stdout(predicate::str::contains("delivered evt_")),
    );
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
    let mut listener = Listener::scheme("standard", &["--fail-rate", "1"]);
    trigger("webhook.test", &listener.url, &dir)
        .args([
            "--allow-http",
            "--max-attempts",
            "3",
            "--retry-delay-ms",
            "20",
        ])
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
    trigger("webhook.test", &listener.url, &dir)
        .args([
            "--allow-http",
            "--max-attempts",
            "5",
            "--retry-delay-ms",
            "20",
        ])
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
    trigger("webhook.test", "http://127.0.0.1:9/webhooks", &dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--allow-http"));
    trigger("nope.nope", "http://127.0.0.1:9/", &dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("known types: webhook.test"));
}

/// An emitter config file for `trigger --config`, with the secret read from
/// the environment variable `HOOKPROOF_TEST_SECRET` and `extra` appended.
fn config_file(dir: &tempfile::TempDir, url: &str, extra: &str) -> std::path::PathBuf {
    let path = dir.path().join("emitter.toml");
    let text = format!(
        "[[endpoints]]\nname = \"local\"\nurl = \"{url}\"\nsecrets = [\"${{HOOKPROOF_TEST_SECRET}}\"]\n\
         allow_loopback = true\n\n[security]\nrequire_https = false\n{extra}"
    );
    std::fs::write(&path, text).expect("write config");
    path
}

#[test]
fn a_config_file_starts_the_emitter_with_its_retry_policy() {
    let dir = catalogue();
    // Seed 6 at rate 0.5 fails the first delivery and accepts the second.
    let mut listener = Listener::start(&["--secret", SECRET, "--fail-rate", "0.5", "--seed", "6"]);
    let config = config_file(
        &dir,
        &listener.url,
        "\n[retry]\nmax_attempts = 3\ninitial_delay_ms = 20\n",
    );
    hookproof()
        .args(["trigger", "webhook.test", "--fixtures"])
        .arg(dir.path())
        .arg("--config")
        .arg(&config)
        .env("HOOKPROOF_TEST_SECRET", SECRET)
        .assert()
        .success()
        .stdout(predicate::str::contains("endpoints local ("))
        .stdout(predicate::str::contains("attempt 1 -> 500"))
        .stdout(predicate::str::contains("attempt 2 -> 200"))
        .stdout(predicate::str::contains("delivered evt_"));
    listener.wait_for("-> 200");
}

#[test]
fn a_config_file_filter_that_excludes_the_type_sends_nothing() {
    let dir = catalogue();
    let config = config_file(
        &dir,
        "http://127.0.0.1:9/webhooks",
        "\n[events]\nsubscribe = [\"budget.*\"]\n",
    );
    hookproof()
        .args(["trigger", "webhook.test", "--fixtures"])
        .arg(dir.path())
        .arg("--config")
        .arg(&config)
        .env("HOOKPROOF_TEST_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "no enabled endpoint subscribes to webhook.test",
        ));
}

#[test]
fn a_bad_config_file_is_a_usage_error_naming_the_key() {
    let dir = catalogue();
    let config = config_file(
        &dir,
        "http://127.0.0.1:9/webhooks",
        "\n[retry]\nmax_atempts = 3\n",
    );
    hookproof()
        .args(["trigger", "webhook.test", "--config"])
        .arg(&config)
        .env("HOOKPROOF_TEST_SECRET", SECRET)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("retry.max_atempts"));
    // A secret taken from an unset variable names the key it was for.
    hookproof()
        .args(["trigger", "webhook.test", "--config"])
        .arg(config_file(&dir, "http://127.0.0.1:9/webhooks", ""))
        .env_remove("HOOKPROOF_TEST_SECRET")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("endpoints[0].secrets[0]"))
        .stderr(predicate::str::contains("HOOKPROOF_TEST_SECRET"));
    // --config carries the endpoint, so --to conflicts with it.
    hookproof()
        .args(["trigger", "webhook.test", "--to", "http://x/", "--config"])
        .arg(&config)
        .assert()
        .code(2);
}
