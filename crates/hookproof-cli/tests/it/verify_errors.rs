//! `verify` failures (exit 1 with code and hint) and how headers reach it.

use predicates::prelude::*;

use crate::support::{SECRET, TS, binary, body_file, header_args, shell, sign, verify, verify_at};

/// `lines` without the `webhook-signature` line.
fn without_signature(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.starts_with("webhook-signature"))
        .cloned()
        .collect()
}

#[test]
fn failures_exit_1_with_code_and_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let lines = sign("standard", &body, "msg_f", TS);

    // Wrong secret.
    verify("standard", "whsec_c2VjcmV0LWJ1dC1hbm90aGVyLW9uZQ==")
        .args(header_args(&lines))
        .args(["--now", &TS.to_string()])
        .arg(&body)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: signature_mismatch"))
        .stderr(predicate::str::contains("hint: "));

    // Too old, then accepted with a wider tolerance.
    verify_at("standard", TS + 3600, &lines)
        .arg(&body)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: timestamp_too_old"))
        .stderr(predicate::str::contains("hint: check both clocks"));
    verify_at("standard", TS + 3600, &lines)
        .args(["--tolerance", "7200"])
        .arg(&body)
        .assert()
        .success();

    // A header missing.
    verify_at("standard", TS, &without_signature(&lines))
        .arg(&body)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: missing_header"))
        .stdout(predicate::str::is_empty());
}

#[test]
fn a_header_given_twice_reaches_the_verifier_as_two_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let lines = sign("standard", &body, "msg_dup", TS);
    let good = lines
        .iter()
        .find_map(|l| l.strip_prefix("webhook-signature: "))
        .expect("signature line")
        .to_owned();
    let others = without_signature(&lines);
    let verify = |values: &[&str]| {
        let mut cmd = verify_at("standard", TS, &others);
        for v in values {
            cmd.args(["-H", &format!("webhook-signature: {v}")]);
        }
        cmd.arg(&body).assert()
    };
    // Only a wrong signature: mismatch. The wrong one plus the right one as a
    // second value of the same header: the right one is found.
    let wrong = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    verify(&[wrong])
        .code(1)
        .stderr(predicate::str::contains("signature_mismatch"));
    verify(&[wrong, &good]).success();
}

#[test]
fn verify_reads_headers_from_a_file_or_stdin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let lines = sign("gateway", &body, "msg_file", TS);
    let dump = dir.path().join("headers.txt");
    std::fs::write(
        &dump,
        format!("POST /webhooks HTTP/1.1\r\n{}\r\n", lines.join("\r\n")),
    )
    .expect("write");
    verify_at("gateway", TS, &[])
        .arg(format!("-H@{}", dump.display()))
        .arg(&body)
        .assert()
        .success()
        .stdout(predicate::str::contains("id: msg_file"));
    // sign | verify -H @-
    let pipeline = format!(
        "'{bin}' sign --scheme github --secret-env S '{body}' | '{bin}' verify --scheme github --secret-env S -H @- '{body}'",
        bin = binary(),
        body = body.display()
    );
    let out = shell(&pipeline, &[("S", SECRET)]);
    assert!(out.contains("ok: signature verified"), "{out}");
    // Headers and body cannot both come from stdin.
    verify("github", SECRET)
        .args(["-H", "@-", "-"])
        .write_stdin("x-hub-signature-256: sha256=00\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot hold both"));
}
