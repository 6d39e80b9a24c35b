//! `replay`: fixtures re-signed and sent into a running `listen`.

use base64::Engine as _;
use predicates::prelude::*;

use crate::listen::ping;
use crate::support::{Listener, SECRET, replay};

fn write(dir: &std::path::Path, name: &str, json: &serde_json::Value) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, serde_json::to_vec_pretty(json).expect("json")).expect("write");
}

fn catalogue(dir: &std::path::Path) {
    let body: serde_json::Value = serde_json::from_str(&ping("evt_rp_1")).expect("json");
    write(
        dir,
        "gateway/ping.json",
        &serde_json::json!({ "body": body, "headers": {"user-agent": "gw/1.0"} }),
    );
    // Exact bytes (base64 of the raw body, with a trailing newline kept).
    let raw = format!("{}\n", ping("evt_rp_2"));
    let b64 = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
    write(
        dir,
        "raw.json",
        &serde_json::json!({ "body_base64": b64, "notes": "exact bytes" }),
    );
}

#[test]
fn replay_into_listen_reports_every_fixture() {
    let dir = tempfile::tempdir().expect("tempdir");
    catalogue(dir.path());
    let mut listener = Listener::scheme("standard", &[]);

    replay(&listener.url, "standard", SECRET, dir.path())
        .assert()
        .success()
        // No progress bar when stdout is not a terminal: the table comes first.
        .stdout(predicate::str::starts_with("FIXTURE"))
        .stdout(predicate::str::is_match(r"gateway/ping\s+200\s+200\s+ok").expect("regex"))
        .stdout(predicate::str::is_match(r"raw\s+200\s+200\s+ok").expect("regex"))
        .stdout(predicate::str::contains("replayed 2 fixtures"))
        .stdout(predicate::str::contains("2 as expected, 0 differ"));
    listener.wait_for("evt_rp_1  verified (standard, key 0)");
    listener.wait_for("evt_rp_2  verified (standard, key 0)");

    // An expected status the receiver does not answer: exit 1, row marked.
    let body: serde_json::Value = serde_json::from_str(&ping("evt_rp_3")).expect("json");
    write(
        dir.path(),
        "expects-202.json",
        &serde_json::json!({ "body": body, "expected_status": 202 }),
    );
    replay(&listener.url, "standard", SECRET, dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"expects-202\s+202\s+200\s+DIFFERS").expect("regex"))
        .stdout(predicate::str::contains("2 as expected, 1 differ"));
}

#[test]
fn replay_with_the_wrong_secret_or_no_receiver_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    catalogue(dir.path());
    let mut listener = Listener::scheme("standard", &[]);
    let other = "whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==";
    replay(&listener.url, "standard", other, dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"gateway/ping\s+200\s+401\s+DIFFERS").expect("regex"));
    listener.wait_for("401 signature_mismatch");

    // Nothing listens on the port of a dropped listener.
    let url = listener.url.clone();
    drop(listener);
    replay(&url, "standard", SECRET, dir.path())
        .args(["--timeout", "5"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("connection failed"));
}

#[test]
fn recorded_deliveries_replay_into_another_receiver() {
    let dir = tempfile::tempdir().expect("tempdir");
    catalogue(dir.path());
    let record = dir.path().join("rec");
    let mut first = Listener::scheme("gateway", &["--record", record.to_str().expect("utf-8")]);
    replay(&first.url, "gateway", SECRET, &dir.path().join("gateway"))
        .assert()
        .success();
    first.wait_for("recorded ");

    // The recording, re-signed for another scheme and secret, verifies there.
    let mut second = Listener::start(&["--scheme", "github", "--secret", "gh-secret"]);
    replay(&second.url, "github", "gh-secret", &record)
        .assert()
        .success()
        .stdout(predicate::str::contains("replayed 1 fixtures"));
    second.wait_for("webhook.test");
    second.wait_for("verified (github, key 0)");
}
