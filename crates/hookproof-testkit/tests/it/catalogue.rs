//! The repository's whole `fixtures/` catalogue, replayed into the router of
//! `examples/axum_receiver.rs` (WebhookLayer + MemoryStore + typed handler).

use std::path::PathBuf;

use hookproof_testkit::{Fixture, Outcome, assert_idempotent, load, replay};
use hookproof_verify::{Scheme, Secret, Signer, Verifier};

use crate::receiver;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn catalogue() -> Vec<Fixture> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    load(&dir).unwrap_or_else(|e| panic!("loading the catalogue: {e}"))
}

fn secret(text: &str) -> Secret {
    Secret::from_standard(text).expect("a whsec_ secret")
}

fn app() -> axum::Router {
    receiver::app(Verifier::new(Scheme::StandardWebhooks, secret(SECRET)))
}

#[tokio::test]
async fn the_whole_catalogue_replays_into_the_example_receiver() {
    let fixtures = catalogue();
    // One gateway fixture per event type at least, plus the other shapes.
    let gateway = fixtures
        .iter()
        .filter(|f| f.name.starts_with("gateway/"))
        .count();
    assert!(gateway >= 13, "only {gateway} gateway fixtures");
    for family in ["openai/", "litellm/", "legacy/"] {
        assert!(
            fixtures.iter().any(|f| f.name.starts_with(family)),
            "no {family} fixture"
        );
    }

    let app = app();
    let signer = Signer::new(Scheme::StandardWebhooks, secret(SECRET));
    let report = replay(app.clone(), &signer, &fixtures).await;
    println!("{report}");
    report.assert_all_passed();
    assert_eq!(report.results.len(), fixtures.len());
    // No fixture was a duplicate of another (each delivery id is unique).
    for result in &report.results {
        assert!(
            matches!(
                result.outcome,
                Outcome::Answered {
                    replayed: false,
                    ..
                }
            ),
            "{} was answered as a duplicate: its delivery id {} is used twice in the catalogue",
            result.name,
            result.delivery_id
        );
    }

    // Replayed again, every accepted delivery is answered from the store.
    let again = replay(app, &signer, &fixtures).await;
    again.assert_all_passed();
    for result in again
        .results
        .iter()
        .filter(|r| (200..300).contains(&r.expected_status))
    {
        assert!(
            matches!(result.outcome, Outcome::Answered { replayed: true, .. }),
            "{} was processed twice",
            result.name
        );
    }
}

#[tokio::test]
async fn the_report_catches_a_receiver_with_another_secret() {
    let fixtures = catalogue();
    let wrong = Signer::new(
        Scheme::StandardWebhooks,
        secret("whsec_dGhpcyBpcyBub3QgdGhlIHJpZ2h0IHNlY3JldA=="),
    );
    let report = replay(app(), &wrong, &fixtures).await;
    assert!(!report.all_passed());
    for result in &report.results {
        assert_eq!(result.status(), Some(401), "{}", result.name);
        assert_eq!(
            result.problem(),
            Some("signature_mismatch"),
            "{}",
            result.name
        );
    }
    assert!(report.to_string().contains("FAIL"));
}

#[tokio::test]
async fn the_example_receiver_processes_each_gateway_event_once() {
    let signer = Signer::new(Scheme::StandardWebhooks, secret(SECRET));
    for fixture in catalogue()
        .iter()
        .filter(|f| f.name.starts_with("gateway/") && (200..300).contains(&f.expected_status))
    {
        assert_idempotent(app(), &signer, fixture).await;
    }
}
