//! Replaying over a real socket: the `Replayer` drives hyper's client
//! service against the example receiver served on loopback.

use std::time::Duration;

use hookproof_testkit::{Fixture, Outcome, ReplayBody, Replayer};
use hookproof_verify::{Scheme, Secret, Signer, Verifier};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::receiver;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn signer() -> Signer {
    Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).expect("secret"),
    )
}

fn fixtures() -> Vec<Fixture> {
    vec![
        Fixture::from_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/gateway/webhook.test.json"
        ))
        .expect("catalogue fixture"),
        Fixture::raw("not-json", &b"\x00\x01 not json"[..]).with_expected_status(400),
    ]
}

#[tokio::test]
async fn replays_to_an_absolute_url_through_an_http_client() {
    let verifier = Verifier::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, receiver::app(verifier)).await });

    let client = Client::builder(TokioExecutor::new()).build_http::<ReplayBody>();
    let replayer = Replayer::new(signer()).uri(format!("http://{addr}/webhooks").parse().unwrap());
    let mut seen = Vec::new();
    let report = replayer
        .run_with(client, &fixtures(), |result| seen.push(result.name.clone()))
        .await;
    server.abort();

    println!("{report}");
    report.assert_all_passed();
    assert_eq!(
        seen,
        ["gateway/webhook.test", "not-json"],
        "the callback sees each result in order"
    );
    assert_eq!(report.results[1].status(), Some(400));
}

#[tokio::test]
async fn a_refused_connection_is_a_failed_row_not_a_panic() {
    // Bind then drop, so nothing listens on the port.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = Client::builder(TokioExecutor::new()).build_http::<ReplayBody>();
    let replayer = Replayer::new(signer())
        .uri(format!("http://{addr}/webhooks").parse().unwrap())
        .timeout(Duration::from_secs(5));
    let report = replayer.run(client, &fixtures()).await;
    assert!(!report.all_passed());
    for result in &report.results {
        assert!(matches!(result.outcome, Outcome::Failed { .. }), "{report}");
    }
    assert!(
        report.to_string().contains("error: service error"),
        "{report}"
    );
}
