//! What `sign` prints: defaults, secret sources, curl commands.

use predicates::prelude::*;

use crate::support::{
    BODY, SECRET, body_file, header_args, hookproof, lines, sign_cmd, text, verify,
};

#[test]
fn sign_defaults_to_a_fresh_id_and_the_current_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let run = || lines(sign_cmd("standard", SECRET).arg(&body).assert().success());
    let first = run();
    let id = first
        .iter()
        .find_map(|l| l.strip_prefix("webhook-id: "))
        .expect("a webhook-id line");
    assert!(id.starts_with("msg_") && id.len() > 20, "{id}");
    let second = run();
    assert!(
        !second.iter().any(|l| l == &format!("webhook-id: {id}")),
        "ids must be fresh"
    );
    // Verifying against the real clock (no --now) succeeds: the timestamp is now.
    verify("standard", SECRET)
        .args(header_args(&first))
        .arg(&body)
        .assert()
        .success();
}

#[test]
fn secrets_from_env_and_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let secret_file = dir.path().join("secret.txt");
    std::fs::write(&secret_file, format!("{SECRET}\n")).expect("write secret");
    let lines = lines(
        hookproof()
            .args(["sign", "--scheme", "github", "--secret-env"])
            .arg("HOOKPROOF_TEST_SECRET")
            .env("HOOKPROOF_TEST_SECRET", SECRET)
            .arg(&body)
            .assert()
            .success(),
    );
    assert!(
        lines.iter().any(|l| l
            .to_ascii_lowercase()
            .starts_with("x-hub-signature-256: sha256=")),
        "{lines:?}"
    );
    let verify_with_file = || {
        hookproof()
            .args(["verify", "--scheme", "github", "--secret-file"])
            .arg(&secret_file)
            .args(header_args(&lines))
            .arg(&body)
            .assert()
    };
    // The file's trailing newline is not part of the secret.
    verify_with_file().success();
    // Only one newline is trimmed; the rest is refused, not silently used.
    std::fs::write(&secret_file, format!("{SECRET}\n\n")).expect("write secret");
    verify_with_file()
        .code(2)
        .stderr(predicate::str::contains("whitespace"));
}

#[test]
fn curl_command_quotes_the_file_and_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = dir.path().join("it's a body.json");
    std::fs::write(&body, BODY).expect("write");
    let text = text(
        sign_cmd("standard", SECRET)
            .args(["--id", "msg_c", "--timestamp", "1700000000"])
            .args(["--curl", "http://127.0.0.1:9/webhooks"])
            .arg(&body)
            .assert()
            .success(),
    );
    assert!(
        text.starts_with("curl -sS -X POST 'http://127.0.0.1:9/webhooks' -H 'webhook-id: msg_c'"),
        "{text}"
    );
    assert!(
        text.contains("-H 'Content-Type: application/json'"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("'\\''s a body.json'"), "{text}");
    assert_eq!(text.lines().count(), 1);
}
