//! Usage errors exit 2 with a clear message; every command has --help.

use predicates::prelude::*;

use crate::support::{SECRET, hookproof, replay, sign_cmd, verify};

fn body(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("b.json");
    std::fs::write(&path, b"{}").expect("write");
    path
}

/// Asserts exit code 2 with `message` on stderr.
fn usage_error(cmd: &mut assert_cmd::Command, message: &str) {
    cmd.assert()
        .code(2)
        .stderr(predicate::str::contains(message));
}

#[test]
fn every_command_has_help_with_examples() {
    for command in ["sign", "verify", "listen", "replay", "trigger", "schema"] {
        hookproof()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"))
            .stdout(predicate::str::contains(format!("hookproof {command}")));
    }
    hookproof()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes"));
}

#[test]
fn a_secret_is_required_exactly_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = body(&dir);
    usage_error(
        hookproof().args(["sign", "--scheme", "standard"]).arg(&b),
        "--secret",
    );
    usage_error(
        sign_cmd("standard", SECRET)
            .args(["--secret-env", "X"])
            .arg(&b),
        "cannot be used with",
    );
    usage_error(
        hookproof()
            .args(["sign", "--scheme", "github", "--secret-env"])
            .arg("HOOKPROOF_TEST_UNSET_VARIABLE")
            .env_remove("HOOKPROOF_TEST_UNSET_VARIABLE")
            .arg(&b),
        "HOOKPROOF_TEST_UNSET_VARIABLE is not set",
    );
    usage_error(
        hookproof()
            .args(["sign", "--scheme", "github", "--secret-file"])
            .arg(dir.path().join("missing.txt"))
            .arg(&b),
        "missing.txt",
    );
    // A Standard Webhooks secret must be whsec_ base64.
    usage_error(
        sign_cmd("standard", "whsec_***not base64***").arg(&b),
        "not valid for scheme standard",
    );
}

#[test]
fn unknown_scheme_and_misplaced_signature_header() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = body(&dir);
    sign_cmd("svix2", "x")
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown scheme \"svix2\""))
        .stderr(predicate::str::contains("github"));
    usage_error(
        sign_cmd("github", "x")
            .args(["--signature-header", "x-sig"])
            .arg(&b),
        "--signature-header only applies",
    );
    sign_cmd("hex", "x")
        .args(["--signature-header", "bad header"])
        .arg(&b)
        .assert()
        .code(2);
}

#[test]
fn bad_headers_bodies_and_times_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = body(&dir);
    usage_error(
        verify("standard", SECRET)
            .args(["-H", "no-colon-here"])
            .arg(&b),
        "no ':'",
    );
    usage_error(
        verify("standard", SECRET).arg(dir.path().join("nope.json")),
        "cannot read body file",
    );
    usage_error(
        verify("standard", SECRET)
            .args(["--now", "yesterday"])
            .arg(&b),
        "unix seconds or an RFC 3339",
    );
    usage_error(
        hookproof()
            .args(["listen", "--scheme", "standard", "--secret", SECRET])
            .args(["--fail-rate", "2"]),
        "between 0.0 and 1.0",
    );
    hookproof().args(["frobnicate"]).assert().code(2);
    usage_error(
        &mut replay(
            "http://127.0.0.1:9/",
            "standard",
            SECRET,
            &dir.path().join("no-such-dir"),
        ),
        "cannot load fixtures",
    );
}
