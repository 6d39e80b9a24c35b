//! `listen`: a real receiver on a free port, fed by `sign`, curl and reqwest.

use crate::support::{
    Listener, SECRET, binary, hookproof, lines, pairs, post, shell, sign_cmd, text,
};

/// A gateway `webhook.test` event with this id.
pub(crate) fn ping(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"2026-11-01","data":{{"message":"ping from {id}"}}}}"#
    )
}

/// `sign` output for `body` (fresh timestamp).
fn signed(scheme: &str, id: &str, body: &str) -> Vec<(String, String)> {
    pairs(&lines(
        sign_cmd(scheme, SECRET)
            .args(["--id", id, "-"])
            .write_stdin(body.to_owned())
            .assert()
            .success(),
    ))
}

#[test]
fn sign_piped_into_curl_is_printed_and_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("recorded");
    let mut listener = Listener::scheme(
        "standard",
        &["--record", record.to_str().expect("utf-8 path")],
    );
    let body = dir.path().join("ping.json");
    std::fs::write(&body, ping("evt_curl_1")).expect("write body");

    // Exactly what the README shows: sign --curl URL body | sh
    let pipeline = format!(
        "'{}' sign --scheme standard --secret-env HOOKPROOF_SECRET --id evt_curl_1 --curl '{}' '{}' | sh",
        binary(),
        listener.url,
        body.display()
    );
    shell(&pipeline, &[("HOOKPROOF_SECRET", SECRET)]);

    let line = listener.wait_for("evt_curl_1");
    assert!(line.contains("webhook.test"), "{line}");
    assert!(line.contains("verified (standard, key 0)"), "{line}");
    assert!(line.contains("-> 200"), "{line}");
    listener.wait_for("ping from evt_curl_1");
    let recorded = listener.wait_for("recorded ");
    let path = recorded.trim().trim_start_matches("recorded ").to_owned();
    assert!(std::path::Path::new(&path).starts_with(&record), "{path}");

    let fixtures = hookproof_testkit::load(&record).expect("recorded fixtures load");
    assert_eq!(fixtures.len(), 1);
    assert_eq!(fixtures[0].delivery_id(), "evt_curl_1");
    assert!(
        fixtures[0].headers.get("webhook-signature").is_none(),
        "signatures are not recorded"
    );
    let json = fixtures[0].body.json().expect("JSON body");
    assert_eq!(json["data"]["message"], "ping from evt_curl_1");
}

#[test]
fn sign_headers_piped_into_curl_h_at_stdin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut listener = Listener::scheme("stripe", &[]);
    let body = dir.path().join("ping.json");
    std::fs::write(&body, ping("evt_curl_2")).expect("write body");
    // The headers from `sign` become curl's `-H @-` (one header per line).
    let pipeline = format!(
        "'{bin}' sign --scheme stripe --secret-env HOOKPROOF_SECRET '{body}' \
         | curl -sS -o /dev/null -w '%{{http_code}}' -H @- -H 'Content-Type: application/json' \
           --data-binary @'{body}' '{url}'",
        bin = binary(),
        body = body.display(),
        url = listener.url,
    );
    let out = shell(&pipeline, &[("HOOKPROOF_SECRET", SECRET)]);
    assert_eq!(out, "200");
    let line = listener.wait_for("evt_curl_2");
    assert!(line.contains("verified (stripe, key 0)"), "{line}");
}

#[test]
fn inline_curl_body_with_quotes_survives_the_shell() {
    let mut listener = Listener::scheme("slack", &[]);
    // Quotes, $ and backslashes must reach the receiver byte for byte, or
    // the signature would not verify.
    let body = ping("evt_quote").replace("ping from", "it's $HOME `x` \\\\ from");
    let command = text(
        sign_cmd("slack", SECRET)
            .args(["--curl", &listener.url, "-"])
            .write_stdin(body)
            .assert()
            .success(),
    );
    assert!(command.contains("--data-raw '"), "{command}");
    shell(&command, &[]);
    let line = listener.wait_for("evt_quote");
    assert!(line.contains("verified (slack, key 0)"), "{line}");
    listener.wait_for("it's $HOME `x`");
}

#[test]
fn a_port_in_use_fails_with_exit_1() {
    let listener = Listener::start(&["--secret", SECRET]);
    let port = listener.port();
    hookproof()
        .args(["listen", "--port", port, "--secret", SECRET])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "cannot listen on 127.0.0.1:{port}"
        )));
}

#[test]
fn rejections_and_duplicates_are_printed() {
    let mut listener = Listener::scheme("gateway", &[]);
    let body = ping("evt_dup_1");
    let headers = signed("gateway", "evt_dup_1", &body);

    // A tampered body is rejected with code and hint, and never handled.
    let status = post(
        &listener.url,
        &headers,
        body.replace("ping", "pong").into_bytes(),
    );
    assert_eq!(status, 401);
    let line = listener.wait_for("rejected POST /webhooks: 401 signature_mismatch");
    assert!(!line.contains("verified"), "{line}");
    listener.wait_for("hint: ");

    // No signature at all.
    assert_eq!(post(&listener.url, &[], body.clone().into_bytes()), 400);
    listener.wait_for("missing_header");

    // The genuine delivery, twice: handled once, then replayed.
    assert_eq!(
        post(&listener.url, &headers, body.clone().into_bytes()),
        200
    );
    listener.wait_for("evt_dup_1  verified (gateway, key 0)");
    assert_eq!(post(&listener.url, &headers, body.into_bytes()), 200);
    listener.wait_for("duplicate delivery to POST /webhooks: answered the stored 200");
    assert_eq!(
        listener.count("verified (gateway"),
        1,
        "the handler ran once"
    );
}

#[test]
fn fail_rate_answers_500_and_ctrl_c_stops_cleanly() {
    let mut listener = Listener::scheme("standard", &["--fail-rate", "1"]);
    listener.wait_for("answering 100% of verified deliveries with 500");
    let body = ping("evt_fail_1");
    let headers = signed("standard", "evt_fail_1", &body);
    assert_eq!(
        post(&listener.url, &headers, body.clone().into_bytes()),
        500
    );
    listener.wait_for("-> 500 (--fail-rate)");
    // A failed delivery is not remembered as done: the retry runs the handler again.
    assert_eq!(post(&listener.url, &headers, body.into_bytes()), 500);
    listener.wait_count("evt_fail_1  verified", 2);
    let (status, output) = listener.interrupt();
    assert!(status.success(), "exit {status:?}");
    assert!(output.iter().any(|l| l == "stopped"), "{output:?}");
}
