//! `sign` -> `verify` round trips for every scheme.

use predicates::prelude::*;

use crate::support::{
    BODY, HMAC_SCHEMES, SECRET, TS, body_file, header_args, hookproof, lines, sign, sign_cmd, text,
    verify, verify_at,
};

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
        let out = text(
            verify_at(scheme, TS + 5, &lines)
                .arg(&body)
                .assert()
                .success()
                .stdout(predicate::str::contains("ok: signature verified"))
                .stdout(predicate::str::contains(format!("scheme: {scheme}")))
                .stdout(predicate::str::contains("key_index: 0")),
        );
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
        verify(scheme, SECRET)
            .args(["--now", "2023-11-14T22:13:30Z"])
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
        let lines = lines(
            sign_cmd(scheme, SECRET)
                .args(["--timestamp", &TS.to_string(), "-"])
                .write_stdin(BODY)
                .assert()
                .success(),
        );
        verify_at(scheme, TS, &lines)
            .arg("-")
            .write_stdin(BODY)
            .assert()
            .success();
        // One changed byte on stdin fails with exit 1.
        let mut tampered = BODY.to_vec();
        tampered[2] = b'X';
        verify_at(scheme, TS, &lines)
            .write_stdin(tampered)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("error: signature_mismatch"));
    }
}

#[test]
fn hex_takes_a_signature_header_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let custom = ["--signature-header", "x-keywordsai-signature"];
    let text = text(
        sign_cmd("hex", "kw")
            .args(custom)
            .arg(&body)
            .assert()
            .success(),
    );
    let line = text.lines().next().expect("one line");
    let (name, value) = line.split_once(": ").expect("Name: value");
    assert!(
        name.eq_ignore_ascii_case("x-keywordsai-signature"),
        "{text}"
    );
    assert_eq!(value.len(), 64, "hex SHA-256: {value}");
    verify("hex", "kw")
        .args(custom)
        .args(["-H", line])
        .arg(&body)
        .assert()
        .success();
    // The default header name does not match the configured one.
    verify("hex", "kw")
        .args(["-H", line])
        .arg(&body)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: missing_header"));
}

#[test]
fn ed25519_signs_with_the_signing_key_and_verifies_with_the_public_key() {
    // Seed bytes 0..31 and its public key (verify's v1a test vector).
    const SIGNING: &str = "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const PUBLIC: &str = "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let lines = lines(
        sign_cmd("standard-ed25519", SIGNING)
            .args(["--id", "msg_ed", "--timestamp", &TS.to_string()])
            .arg(&body)
            .assert()
            .success(),
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("webhook-signature: v1a,")),
        "{lines:?}"
    );
    verify("standard-ed25519", PUBLIC)
        .args(["--now", &TS.to_string()])
        .args(header_args(&lines))
        .arg(&body)
        .assert()
        .success()
        .stdout(predicate::str::contains("scheme: standard-ed25519"))
        .stdout(predicate::str::contains("id: msg_ed"));
    // A public key cannot sign.
    sign_cmd("standard-ed25519", PUBLIC)
        .arg(&body)
        .assert()
        .code(2);
}

#[test]
fn rotation_repeated_secrets_sign_twice_and_verify_either() {
    const OLD: &str = "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZA==";
    let dir = tempfile::tempdir().expect("tempdir");
    let body = body_file(&dir);
    let now = TS.to_string();
    // Signed with the new secret only; the receiver holds old and new.
    // (No --scheme: standard is the default.)
    let new_only = sign("standard", &body, "msg_rot", TS);
    hookproof()
        .args(["verify", "--secret", OLD, "--secret", SECRET, "--now", &now])
        .args(header_args(&new_only))
        .arg(&body)
        .assert()
        .success()
        .stdout(predicate::str::contains("key_index: 1"));
    // A sender in rotation signs with both; a receiver with only the old
    // secret still verifies (key 0 of its one secret).
    let both = lines(
        hookproof()
            .args([
                "sign", "--secret", OLD, "--secret", SECRET, "--id", "msg_rot",
            ])
            .args(["--timestamp", &now])
            .arg(&body)
            .assert()
            .success(),
    );
    let sig = both
        .iter()
        .find_map(|l| l.strip_prefix("webhook-signature: "))
        .expect("signature");
    assert_eq!(
        sig.split(' ').filter(|s| s.starts_with("v1,")).count(),
        2,
        "{sig}"
    );
    hookproof()
        .args(["verify", "--secret", OLD, "--now", &now])
        .args(header_args(&both))
        .arg(&body)
        .assert()
        .success()
        .stdout(predicate::str::contains("key_index: 0"));
    // GitHub's header carries one signature: two secrets cannot sign.
    sign_cmd("github", "a")
        .args(["--secret", "b"])
        .arg(&body)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot sign with scheme github"));
}
