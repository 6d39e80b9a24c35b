//! Usage errors exit 2 with a clear message; every command has --help.

use predicates::prelude::*;

use crate::support::{SECRET, hookproof};

fn body(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("b.json");
    std::fs::write(&path, b"{}").expect("write");
    path
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
    hookproof()
        .args(["sign", "--scheme", "standard"])
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--secret"));
    hookproof()
        .args([
            "sign",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "--secret-env",
            "X",
        ])
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    hookproof()
        .args([
            "sign",
            "--scheme",
            "github",
            "--secret-env",
            "HOOKPROOF_TEST_UNSET_VARIABLE",
        ])
        .env_remove("HOOKPROOF_TEST_UNSET_VARIABLE")
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "HOOKPROOF_TEST_UNSET_VARIABLE is not set",
        ));
    hookproof()
        .args(["sign", "--scheme", "github", "--secret-file"])
        .arg(dir.path().join("missing.txt"))
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.txt"));
    // A Standard Webhooks secret must be whsec_ base64.
    hookproof()
        .args([
            "sign",
            "--scheme",
            "standard",
            "--secret",
            "whsec_***not base64***",
        ])
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid for scheme standard"));
}

#[test]
fn unknown_scheme_and_misplaced_signature_header() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = body(&dir);
    hookproof()
        .args(["sign", "--scheme", "svix2", "--secret", "x"])
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown scheme \"svix2\""))
        .stderr(predicate::str::contains("github"));
    hookproof()
        .args([
            "sign",
            "--scheme",
            "github",
            "--signature-header",
            "x-sig",
            "--secret",
            "x",
        ])
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--signature-header only applies"));
    hookproof()
        .args([
            "sign",
            "--scheme",
            "hex",
            "--signature-header",
            "bad header",
            "--secret",
            "x",
        ])
        .arg(&b)
        .assert()
        .code(2);
}

#[test]
fn bad_headers_bodies_and_times_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = body(&dir);
    hookproof()
        .args([
            "verify",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "-H",
            "no-colon-here",
        ])
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no ':'"));
    hookproof()
        .args(["verify", "--scheme", "standard", "--secret", SECRET])
        .arg(dir.path().join("nope.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read body file"));
    hookproof()
        .args([
            "verify",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "--now",
            "yesterday",
        ])
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unix seconds or an RFC 3339"));
    hookproof()
        .args([
            "listen",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "--fail-rate",
            "2",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("between 0.0 and 1.0"));
    hookproof().args(["frobnicate"]).assert().code(2);
    hookproof()
        .args([
            "replay",
            "--to",
            "http://127.0.0.1:9/",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
        ])
        .arg(dir.path().join("no-such-dir"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot load fixtures"));
}
