//! `assert_idempotent`: a duplicate delivery is answered from the store,
//! not processed again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use hookproof_verify::Signer;
use http::{Request, Response, StatusCode};
use http_body::Body;
use tower::Service;

use super::run::{Answer, BoxError, REPLAYED_HEADER, ReplayBody, Replayer};
use crate::fixture::Fixture;

/// Checks that `service` processes a delivery of `fixture` once, however
/// often it arrives. Panics with a message saying what went wrong; meant for
/// tests of a receiver that uses an idempotency store (such as
/// `hookproof_axum::WebhookLayer`).
///
/// Two checks, each with a delivery id never used before (the fixture's id
/// plus a unique suffix, so earlier replays of the fixture don't interfere):
///
/// 1. **Sequential**: deliver, then deliver again. The first answer must be
///    2xx and not marked replayed; the second must carry
///    `Idempotent-Replayed: true` and the same status.
/// 2. **Concurrent**: deliver twice at once (on two clones of the service).
///    Exactly one answer may be fresh (2xx, not replayed); the other must be
///    replayed with the same status, or `409 Conflict` because the first was
///    still in progress — in which case one more delivery must be replayed.
///
/// A fresh (not replayed) answer means the handler ran, so two fresh answers
/// for one id mean it ran twice.
///
/// # Panics
///
/// When any check fails, or a delivery gets no answer.
///
/// ```should_panic
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use hookproof_testkit::{Fixture, assert_idempotent};
/// use hookproof_verify::{Scheme, Secret, Signer};
///
/// // A receiver without an idempotency store runs the handler every time.
/// let service = tower::service_fn(|_req: http::Request<hookproof_testkit::ReplayBody>| async {
///     Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
/// });
/// let signer = Signer::new(Scheme::StandardWebhooks, Secret::from_utf8("s").unwrap());
/// let fixture = Fixture::json("f", serde_json::json!({"id": "evt_1"}));
/// assert_idempotent(service, &signer, &fixture).await; // panics: not replayed
/// # }
/// ```
#[track_caller]
pub fn assert_idempotent<'a, S, R>(
    service: S,
    signer: &'a Signer,
    fixture: &'a Fixture,
) -> impl Future<Output = ()> + 'a
where
    S: Service<Request<ReplayBody>, Response = Response<R>> + Clone + 'a,
    S::Error: Into<BoxError>,
    R: Body + 'a,
    R::Error: Into<BoxError>,
{
    let caller = std::panic::Location::caller();
    async move {
        let replayer = Replayer::new(signer.clone());
        let check = Check {
            replayer: &replayer,
            fixture,
            caller,
        };
        check.sequential(service.clone()).await;
        check.concurrent(service).await;
    }
}

struct Check<'a> {
    replayer: &'a Replayer,
    fixture: &'a Fixture,
    caller: &'static std::panic::Location<'static>,
}

impl Check<'_> {
    async fn sequential<S, R>(&self, mut service: S)
    where
        S: Service<Request<ReplayBody>, Response = Response<R>>,
        S::Error: Into<BoxError>,
        R: Body,
        R::Error: Into<BoxError>,
    {
        let id = unique_id(self.fixture);
        let first = self.deliver(&mut service, &id, "first delivery").await;
        self.expect_fresh_success(&first, &id, "first delivery");
        let second = self.deliver(&mut service, &id, "second delivery").await;
        self.expect_replay_of(&second, &first, &id, "second (sequential) delivery");
    }

    async fn concurrent<S, R>(&self, service: S)
    where
        S: Service<Request<ReplayBody>, Response = Response<R>> + Clone,
        S::Error: Into<BoxError>,
        R: Body,
        R::Error: Into<BoxError>,
    {
        let id = unique_id(self.fixture);
        let (mut one, mut two) = (service.clone(), service);
        let (a, b) = futures_util::future::join(
            self.deliver(&mut one, &id, "concurrent delivery A"),
            self.deliver(&mut two, &id, "concurrent delivery B"),
        )
        .await;
        let fresh = |x: &Answer| x.status.is_success() && !x.replayed();
        let (winner, other) = match (fresh(&a), fresh(&b)) {
            (true, true) => self.fail(&format!(
                "two concurrent deliveries of id `{id}` were both processed (status {} and {}, neither \
                 marked `{REPLAYED_HEADER}: true`): the handler ran twice",
                a.status, b.status
            )),
            (true, false) => (a, b),
            (false, true) => (b, a),
            (false, false) => self.fail(&format!(
                "neither of two concurrent deliveries of id `{id}` was processed: got {} ({}) and {} ({})",
                a.status,
                describe(&a),
                b.status,
                describe(&b)
            )),
        };
        if other.status == StatusCode::CONFLICT {
            // The duplicate arrived while the first was in progress; once it
            // is done, a retry must be answered from the store.
            let retry = self.deliver(&mut one, &id, "retry after 409").await;
            self.expect_replay_of(
                &retry,
                &winner,
                &id,
                "retry of the concurrent duplicate (after 409)",
            );
        } else {
            self.expect_replay_of(&other, &winner, &id, "concurrent duplicate delivery");
        }
    }

    async fn deliver<S, R>(&self, service: &mut S, id: &str, what: &str) -> Answer
    where
        S: Service<Request<ReplayBody>, Response = Response<R>>,
        S::Error: Into<BoxError>,
        R: Body,
        R::Error: Into<BoxError>,
    {
        match self.replayer.send(service, self.fixture, id).await {
            Ok(answer) => answer,
            Err(err) => self.fail(&format!("{what} of id `{id}` got no answer: {err}")),
        }
    }

    fn expect_fresh_success(&self, answer: &Answer, id: &str, what: &str) {
        if !answer.status.is_success() {
            self.fail(&format!(
                "{what} of id `{id}` answered {} ({}); idempotency applies to successful deliveries only, \
                 so check the receiver accepts this fixture (secret, scheme, route)",
                answer.status,
                describe(answer)
            ));
        }
        if answer.replayed() {
            self.fail(&format!(
                "{what} of the never-seen id `{id}` was marked `{REPLAYED_HEADER}: true`"
            ));
        }
    }

    fn expect_replay_of(&self, answer: &Answer, original: &Answer, id: &str, what: &str) {
        if !answer.replayed() {
            self.fail(&format!(
                "{what} of id `{id}` was not replayed: got {} ({}) without `{REPLAYED_HEADER}: true`, \
                 so the handler ran again",
                answer.status,
                describe(answer)
            ));
        }
        if answer.status != original.status {
            self.fail(&format!(
                "{what} of id `{id}` was replayed with status {} but the original answer was {}",
                answer.status, original.status
            ));
        }
    }

    fn fail(&self, message: &str) -> ! {
        panic!(
            "assert_idempotent failed for fixture `{}` (called at {}): {message}",
            self.fixture.name, self.caller
        )
    }
}

fn describe(answer: &Answer) -> String {
    answer.problem_code().map_or_else(
        || "no problem code".to_owned(),
        |code| format!("problem `{code}`"),
    )
}

/// The fixture's delivery id with a suffix unique in this process and run.
fn unique_id(fixture: &Fixture) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-idem{n}x{nanos:x}", fixture.delivery_id())
}
