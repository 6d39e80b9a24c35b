//! Credentials never leave the CLI: `listen --record` writes an allow-list
//! of headers only, and `trigger` / `replay` never print URL userinfo or
//! query values.

use predicates::prelude::*;

use crate::listen::ping;
use crate::support::{Listener, SECRET, hookproof, lines, pairs, post, sign_cmd};

const API_KEY: &str = "sk-live-4eC39HqLyjWDarjtT1zdp7dc";

/// Output and error text of a finished command.
fn both(assert: &assert_cmd::assert::Assert) -> String {
    let out = assert.get_output();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_no_credentials(text: &str) {
    for secret in ["pa55", "s3cret", "sk-live"] {
        assert!(!text.contains(secret), "shows {secret:?}:\n{text}");
    }
}

#[test]
fn record_writes_only_the_allow_listed_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("recorded");
    let mut listener = Listener::scheme(
        "standard",
        &[
            "--record",
            record.to_str().expect("utf-8 path"),
            "--record-header",
            "X-Tenant",
        ],
    );
    let body = ping("evt_rec_key");
    let mut headers = pairs(&lines(
        sign_cmd("standard", SECRET)
            .args(["--id", "evt_rec_key", "-"])
            .write_stdin(body.clone())
            .assert()
            .success(),
    ));
    for (name, value) in [
        ("x-api-key", API_KEY.to_owned()),
        ("authorization", format!("Bearer {API_KEY}")),
        ("cookie", format!("session={API_KEY}")),
        ("x-webhook-secret", API_KEY.to_owned()),
        ("user-agent", "gw/3.1".to_owned()),
        ("x-tenant", "acme".to_owned()),
    ] {
        headers.push((name.to_owned(), value));
    }
    assert_eq!(post(&listener.url, &headers, body.into_bytes()), 200);
    let line = listener.wait_for("recorded ");
    let path = line.trim().trim_start_matches("recorded ").to_owned();

    let file = std::fs::read_to_string(&path).expect("the recorded file");
    assert_no_credentials(&file);
    let fixtures = hookproof_testkit::load(&record).expect("recorded fixtures load");
    let mut kept: Vec<&str> = fixtures[0].headers.keys().map(|n| n.as_str()).collect();
    kept.sort_unstable();
    assert_eq!(
        kept,
        ["content-type", "user-agent", "webhook-id", "x-tenant"],
        "{file}"
    );
    assert_eq!(fixtures[0].headers["x-tenant"], "acme");
    assert_eq!(fixtures[0].delivery_id(), "evt_rec_key");
}

#[test]
fn record_header_needs_record_and_a_valid_name() {
    hookproof()
        .args(["listen", "--secret", SECRET, "--record-header", "x-tenant"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--record"));
    let dir = tempfile::tempdir().expect("tempdir");
    hookproof()
        .args(["listen", "--port", "0", "--secret", SECRET, "--record"])
        .arg(dir.path())
        .args(["--record-header", "not a name"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--record-header \"not a name\""));
}

#[test]
fn trigger_never_prints_url_credentials() {
    let catalogue = tempfile::tempdir().expect("tempdir");
    let sample: serde_json::Value = serde_json::from_str(&ping("evt_s")).expect("json");
    std::fs::write(
        catalogue.path().join("ping.json"),
        serde_json::json!({ "body": sample }).to_string(),
    )
    .expect("write");
    // Nothing listens on this port: a connection error, whose text used to
    // quote the whole URL.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("http://user:pa55@127.0.0.1:{port}/webhooks?token=s3cret&x=1");
    let assert = hookproof()
        .args(["trigger", "webhook.test", "--to", &url, "--secret", SECRET])
        .args(["--allow-http", "--max-attempts", "1", "--fixtures"])
        .arg(catalogue.path())
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(1);
    let text = both(&assert);
    assert_no_credentials(&text);
    assert!(
        text.contains(&format!(
            "to http://***:***@127.0.0.1:{port}/webhooks?token=***&x=***"
        )),
        "{text}"
    );
    assert!(text.contains("connect error"), "{text}");

    // The same URL from a config file, to a real receiver.
    let mut listener = Listener::scheme("standard", &[]);
    let url = listener
        .url
        .replace("http://", "http://user:pa55@")
        .replace("/webhooks", "/webhooks?token=s3cret");
    let config = catalogue.path().join("emitter.toml");
    std::fs::write(
        &config,
        format!(
            "[[endpoints]]\nname = \"local\"\nurl = \"{url}\"\nsecret = \"${{HOOKPROOF_TEST_SECRET}}\"\n\
             allow_loopback = true\n"
        ),
    )
    .expect("write config");
    let assert = hookproof()
        .args(["trigger", "webhook.test", "--fixtures"])
        .arg(catalogue.path())
        .arg("--config")
        .arg(&config)
        .env("HOOKPROOF_TEST_SECRET", SECRET)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success();
    let text = both(&assert);
    assert_no_credentials(&text);
    assert!(text.contains("local (http://***:***@127.0.0.1:"), "{text}");
    listener.wait_for("-> 200");
}

#[test]
fn replay_never_prints_url_credentials() {
    let dir = tempfile::tempdir().expect("tempdir");
    for to in [
        "ftp://user:pa55@127.0.0.1/in?token=s3cret",
        "not a url ?token=s3cret",
    ] {
        let assert = hookproof()
            .args(["replay"])
            .arg(dir.path())
            .args(["--to", to, "--secret", SECRET])
            .assert()
            .code(2);
        let text = both(&assert);
        assert_no_credentials(&text);
        assert!(text.contains("--to "), "{text}");
    }
}
