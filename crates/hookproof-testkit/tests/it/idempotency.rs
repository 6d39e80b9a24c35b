//! `assert_idempotent` against the real `WebhookLayer` + `MemoryStore`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use hookproof_axum::{VerifiedBody, WebhookLayer};
use hookproof_idempotency::MemoryStore;
use hookproof_testkit::{Fixture, assert_idempotent, replay};
use hookproof_verify::{Scheme, Secret, Signer, Verifier};

const SECRET: &str = "idempotency-test-secret";

fn signer() -> Signer {
    Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_utf8(SECRET).expect("valid secret"),
    )
}

/// A receiver whose handler counts its runs and takes `work` to finish.
fn receiver(with_store: bool, work: Duration, runs: Arc<AtomicUsize>) -> Router {
    let verifier = Verifier::new(
        Scheme::StandardWebhooks,
        Secret::from_utf8(SECRET).expect("valid secret"),
    );
    let mut layer = WebhookLayer::new(verifier).lease(Duration::from_secs(5));
    if with_store {
        layer = layer.store(MemoryStore::new());
    }
    Router::new()
        .route(
            "/webhooks",
            post(move |_body: VerifiedBody| {
                let runs = Arc::clone(&runs);
                async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(work).await;
                    "processed"
                }
            }),
        )
        .layer(layer)
}

fn fixture() -> Fixture {
    Fixture::json(
        "gateway/request.completed",
        serde_json::json!({"id": "evt_idem", "type": "request.completed", "data": {}}),
    )
}

#[tokio::test]
async fn a_store_backed_receiver_runs_the_handler_once_per_delivery_id() {
    let runs = Arc::new(AtomicUsize::new(0));
    let app = receiver(true, Duration::ZERO, Arc::clone(&runs));
    assert_idempotent(app, &signer(), &fixture()).await;
    // One run for the sequential pair, one for the concurrent pair.
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_duplicate_arriving_while_the_first_is_in_progress_is_handled() {
    // The handler is slow, so the concurrent duplicate meets an in-progress
    // claim (409) and the retry after it must be replayed.
    let runs = Arc::new(AtomicUsize::new(0));
    let app = receiver(true, Duration::from_millis(100), Arc::clone(&runs));
    assert_idempotent(app.clone(), &signer(), &fixture()).await;
    assert_eq!(runs.load(Ordering::SeqCst), 2);

    // The situation assert_idempotent had to get through: the duplicate is
    // answered 409 while the first delivery is still being processed.
    let replayer = hookproof_testkit::Replayer::new(signer());
    let (mut a, mut b) = (app.clone(), app);
    let fx = fixture();
    let (first, second) = futures_util::future::join(
        replayer.send(&mut a, &fx, "evt_slow_pair"),
        replayer.send(&mut b, &fx, "evt_slow_pair"),
    )
    .await;
    let mut statuses = [
        first.unwrap().status.as_u16(),
        second.unwrap().status.as_u16(),
    ];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
}

async fn panic_message(app: Router, signer: Signer, fixture: Fixture) -> String {
    let outcome =
        tokio::spawn(async move { assert_idempotent(app, &signer, &fixture).await }).await;
    let payload = outcome
        .expect_err("assert_idempotent should have panicked")
        .into_panic();
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_receiver_without_a_store_fails_with_a_clear_message() {
    let app = receiver(false, Duration::ZERO, Arc::new(AtomicUsize::new(0)));
    let message = panic_message(app, signer(), fixture()).await;
    assert!(
        message.contains("fixture `gateway/request.completed`"),
        "{message}"
    );
    assert!(
        message.contains("second (sequential) delivery"),
        "{message}"
    );
    assert!(message.contains("the handler ran again"), "{message}");
}

#[tokio::test]
async fn a_rejected_first_delivery_is_reported_with_its_problem_code() {
    let app = receiver(true, Duration::ZERO, Arc::new(AtomicUsize::new(0)));
    let wrong = Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_utf8("wrong").unwrap(),
    );
    let message = panic_message(app, wrong, fixture()).await;
    assert!(message.contains("first delivery"), "{message}");
    assert!(message.contains("401"), "{message}");
    assert!(message.contains("signature_mismatch"), "{message}");
}

#[tokio::test]
async fn replaying_the_same_fixture_twice_is_a_duplicate() {
    let runs = Arc::new(AtomicUsize::new(0));
    let app = receiver(true, Duration::ZERO, Arc::clone(&runs));
    let fixtures = [fixture()];
    let first = replay(app.clone(), &signer(), &fixtures).await;
    let second = replay(app, &signer(), &fixtures).await;
    first.assert_all_passed();
    second.assert_all_passed();
    assert_eq!(
        first.results[0].outcome,
        hookproof_testkit::Outcome::Answered {
            status: 200,
            problem: None,
            replayed: false
        }
    );
    assert_eq!(
        second.results[0].outcome,
        hookproof_testkit::Outcome::Answered {
            status: 200,
            problem: None,
            replayed: true
        }
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}
