//! `sign` -> `verify` round trips and verification failures.

use predicates::prelude::*;

use crate::support::{HMAC_SCHEMES, SECRET, header_args, hookproof, sign};

const BODY: &[u8] =
    b"{\"id\":\"evt_1\",\"type\":\"webhook.test\",\"data\":{\"note\":\"it's \\u00e9\"}}\n";
const TS: i64 = 1_700_000_000;

fn body_file(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("body.json");
    std::fs::write(&path, BODY).expect("write body");
    path
}

#[test]
fn every_scheme_round_trips_through_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    for scheme in HMAC_SCHEMES {
        let lines = sign(scheme, &body, "msg_roundtrip", TS);
        assert!(!lines.is_empty(), "{scheme}: sign printed no header");
        assert!(
            lines.iter().all(|l| l.contains(": ")),
            "{scheme}: {lines:?}"
        );
        let out = hookproof()
            .args(["verify", "--scheme", scheme, "--secret", SECRET])
            .args(header_args(&lines))
            .args(["--now", &(TS + 5).to_string()])
            .arg(&body)
            .assert()
            .success()
            .stdout(predicate::str::contains("ok: signature verified"))
            .stdout(predicate::str::contains(format!("scheme: {scheme}")))
            .stdout(predicate::str::contains("key_index: 0"))
            .get_output()
            .stdout
            .clone();
        let out = String::from_utf8(out).expect("utf-8");
        // Schemes that carry an id/timestamp report what was signed.
        if out.contains("id: msg_") {
            assert!(out.contains("id: msg_roundtrip"), "{scheme}: {out}");
        }
        if !out.contains("timestamp: (none") {
            assert!(
                out.contains(&format!("timestamp: {TS} (2023-11-14T22:13:20Z)")),
                "{scheme}: {out}"
            );
        }
    }
}

#[test]
fn standard_and_gateway_report_the_signed_id_and_timestamp() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    for scheme in ["standard", "gateway"] {
        let lines = sign(scheme, &body, "msg_abc", TS);
        hookproof()
            .args([
                "verify",
                "--scheme",
                scheme,
                "--secret",
                SECRET,
                "--now",
                "2023-11-14T22:13:30Z",
            ])
            .args(header_args(&lines))
            .arg(&body)
            .assert()
            .success()
            .stdout(predicate::str::contains("id: msg_abc"))
            .stdout(predicate::str::contains("timestamp: 1700000000"));
    }
}

#[test]
fn round_trip_through_stdin() {
    for scheme in ["standard", "stripe", "slack"] {
        let out = hookproof()
            .args([
                "sign",
                "--scheme",
                scheme,
                "--secret",
                SECRET,
                "--timestamp",
                &TS.to_string(),
                "-",
            ])
            .write_stdin(BODY)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let lines: Vec<String> = String::from_utf8(out)
            .expect("utf-8")
            .lines()
            .map(str::to_owned)
            .collect();
        hookproof()
            .args([
                "verify",
                "--scheme",
                scheme,
                "--secret",
                SECRET,
                "--now",
                &TS.to_string(),
            ])
            .args(header_args(&lines))
            .arg("-")
            .write_stdin(BODY)
            .assert()
            .success();
        // One changed byte on stdin fails with exit 1.
        let mut tampered = BODY.to_vec();
        tampered[2] = b'X';
        hookproof()
            .args([
                "verify",
                "--scheme",
                scheme,
                "--secret",
                SECRET,
                "--now",
                &TS.to_string(),
            ])
            .args(header_args(&lines))
            .write_stdin(tampered)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("error: signature_mismatch"));
    }
}

#[test]
fn sign_defaults_to_a_fresh_id_and_the_current_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let run = || {
        let out = hookproof()
            .args(["sign", "--scheme", "standard", "--secret", SECRET])
            .arg(&body)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out)
            .expect("utf-8")
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
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
    hookproof()
        .args(["verify", "--scheme", "standard", "--secret", SECRET])
        .args(header_args(&first))
        .arg(&body)
        .assert()
        .success();
}

#[test]
fn failures_exit_1_with_code_and_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let lines = sign("standard", &body, "msg_f", TS);

    // Wrong secret.
    hookproof()
        .args([
            "verify",
            "--scheme",
            "standard",
            "--secret",
            "whsec_c2VjcmV0LWJ1dC1hbm90aGVyLW9uZQ==",
        ])
        .args(header_args(&lines))
        .args(["--now", &TS.to_string()])
        .arg(&body)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: signature_mismatch"))
        .stderr(predicate::str::contains("hint: "));

    // Too old, then accepted with a wider tolerance.
    let late = (TS + 3600).to_string();
    hookproof()
        .args([
            "verify", "--scheme", "standard", "--secret", SECRET, "--now", &late,
        ])
        .args(header_args(&lines))
        .arg(&body)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: timestamp_too_old"))
        .stderr(predicate::str::contains("hint: check both clocks"));
    hookproof()
        .args([
            "verify",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "--now",
            &late,
            "--tolerance",
            "7200",
        ])
        .args(header_args(&lines))
        .arg(&body)
        .assert()
        .success();

    // A header missing.
    let without_sig: Vec<String> = lines
        .iter()
        .filter(|l| !l.starts_with("webhook-signature"))
        .cloned()
        .collect();
    hookproof()
        .args([
            "verify",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "--now",
            &TS.to_string(),
        ])
        .args(header_args(&without_sig))
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
    let others: Vec<String> = lines
        .iter()
        .filter(|l| !l.starts_with("webhook-signature"))
        .cloned()
        .collect();
    let verify = |values: &[&str]| {
        let mut cmd = hookproof();
        cmd.args([
            "verify",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "--now",
            &TS.to_string(),
        ])
        .args(header_args(&others));
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
fn secrets_from_env_and_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let secret_file = dir.path().join("secret.txt");
    std::fs::write(&secret_file, format!("{SECRET}\n")).expect("write secret");
    let out = hookproof()
        .args([
            "sign",
            "--scheme",
            "github",
            "--secret-env",
            "HOOKPROOF_TEST_SECRET",
        ])
        .env("HOOKPROOF_TEST_SECRET", SECRET)
        .arg(&body)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<String> = String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(
        lines.iter().any(|l| l
            .to_ascii_lowercase()
            .starts_with("x-hub-signature-256: sha256=")),
        "{lines:?}"
    );
    // The file's trailing newline is not part of the secret.
    hookproof()
        .args(["verify", "--scheme", "github", "--secret-file"])
        .arg(&secret_file)
        .args(header_args(&lines))
        .arg(&body)
        .assert()
        .success();
    // Only one newline is trimmed; the rest is refused, not silently used.
    std::fs::write(&secret_file, format!("{SECRET}\n\n")).expect("write secret");
    hookproof()
        .args(["verify", "--scheme", "github", "--secret-file"])
        .arg(&secret_file)
        .args(header_args(&lines))
        .arg(&body)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("whitespace"));
}

#[test]
fn hex_takes_a_signature_header_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let out = hookproof()
        .args([
            "sign",
            "--scheme",
            "hex",
            "--signature-header",
            "x-keywordsai-signature",
            "--secret",
            "kw",
        ])
        .arg(&body)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    let line = text.lines().next().expect("one line");
    let (name, value) = line.split_once(": ").expect("Name: value");
    assert!(
        name.eq_ignore_ascii_case("x-keywordsai-signature"),
        "{text}"
    );
    assert_eq!(value.len(), 64, "hex SHA-256: {value}");
    hookproof()
        .args([
            "verify",
            "--scheme",
            "hex",
            "--signature-header",
            "x-keywordsai-signature",
            "--secret",
            "kw",
        ])
        .args(["-H", line])
        .arg(&body)
        .assert()
        .success();
    // The default header name does not match the configured one.
    hookproof()
        .args(["verify", "--scheme", "hex", "--secret", "kw"])
        .args(["-H", line])
        .arg(&body)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: missing_header"));
}

#[test]
fn curl_command_quotes_the_file_and_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = dir.path().join("it's a body.json");
    std::fs::write(&body, BODY).expect("write");
    let out = hookproof()
        .args([
            "sign",
            "--scheme",
            "standard",
            "--secret",
            SECRET,
            "--id",
            "msg_c",
            "--timestamp",
            "1700000000",
        ])
        .args(["--curl", "http://127.0.0.1:9/webhooks"])
        .arg(&body)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
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

#[test]
fn ed25519_signs_with_the_signing_key_and_verifies_with_the_public_key() {
    // Seed bytes 0..31 and its public key (verify's v1a test vector).
    const SIGNING: &str = "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const PUBLIC: &str = "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let out = hookproof()
        .args([
            "sign",
            "--scheme",
            "standard-ed25519",
            "--secret",
            SIGNING,
            "--id",
            "msg_ed",
            "--timestamp",
        ])
        .arg(TS.to_string())
        .arg(&body)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<String> = String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("webhook-signature: v1a,")),
        "{lines:?}"
    );
    hookproof()
        .args([
            "verify",
            "--scheme",
            "standard-ed25519",
            "--secret",
            PUBLIC,
            "--now",
            &TS.to_string(),
        ])
        .args(header_args(&lines))
        .arg(&body)
        .assert()
        .success()
        .stdout(predicate::str::contains("scheme: standard-ed25519"))
        .stdout(predicate::str::contains("id: msg_ed"));
    // A public key cannot sign.
    hookproof()
        .args(["sign", "--scheme", "standard-ed25519", "--secret", PUBLIC])
        .arg(&body)
        .assert()
        .code(2);
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
    hookproof()
        .args([
            "verify",
            "--scheme",
            "gateway",
            "--secret",
            SECRET,
            "--now",
            &TS.to_string(),
        ])
        .arg(format!("-H@{}", dump.display()))
        .arg(&body)
        .assert()
        .success()
        .stdout(predicate::str::contains("id: msg_file"));
    // sign | verify -H @-
    let pipeline = format!(
        "'{bin}' sign --scheme github --secret-env S '{body}' | '{bin}' verify --scheme github --secret-env S -H @- '{body}'",
        bin = crate::support::binary(),
        body = body.display()
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &pipeline])
        .env("S", SECRET)
        .output()
        .expect("run sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok: signature verified"));
    // Headers and body cannot both come from stdin.
    hookproof()
        .args([
            "verify", "--scheme", "github", "--secret", SECRET, "-H", "@-", "-",
        ])
        .write_stdin("x-hub-signature-256: sha256=00\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot hold both"));
}
