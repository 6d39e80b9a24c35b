//! [`WebhookLayer`]: the configuration of the middleware.

use std::sync::Arc;
use std::time::Duration;

use hookproof_idempotency::IdempotencyStore;
use hookproof_verify::{Scheme, Verifier};
use tower::Layer;

use super::WebhookService;
use crate::BodyBudget;
use crate::body::{DEFAULT_BODY_LIMIT, DEFAULT_READ_TIMEOUT};

/// Default lease on an in-flight delivery: 60 seconds.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);
/// Default time a completed delivery is remembered: 7 days.
pub const DEFAULT_RECORD_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);
/// Default largest response body stored for replays: 4 KiB.
pub const DEFAULT_MAX_REPLAY_BODY: usize = 4 * 1024;
/// Default `Retry-After` sent with 503 when the store fails: 5 seconds.
pub const DEFAULT_UNAVAILABLE_RETRY_AFTER: Duration = Duration::from_secs(5);

#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) verifier: Verifier,
    pub(crate) store: Option<Arc<dyn IdempotencyStore>>,
    pub(crate) body_limit: usize,
    pub(crate) body_budget: BodyBudget,
    pub(crate) read_timeout: Duration,
    pub(crate) lease: Duration,
    pub(crate) record_ttl: Duration,
    pub(crate) max_replay_body: usize,
    pub(crate) unavailable_retry_after: Duration,
    pub(crate) body_id_field: Option<&'static str>,
}

/// Tower [`Layer`] that verifies, deduplicates and traces webhook deliveries.
///
/// For each request the service it builds:
/// 1. before reading any of the body, rejects a `Content-Length` above the
///    body limit (413) and runs [`Verifier::precheck`] on the headers alone
///    (missing or malformed headers, a blank id, a stale or future
///    timestamp, a signature that cannot be one: 400/401), so a forged
///    request costs no body buffer;
/// 2. reads the body once, stopping at the limit (413), at the read timeout
///    (408), or when the [`body_budget`](Self::body_budget) shared by every
///    delivery being read has no room for it (503 + `Retry-After`);
/// 3. verifies signature and freshness with the [`Verifier`] (400/401);
/// 4. with a store, claims `"{scheme}:{delivery id}"` (the id from the
///    scheme's id header, else from the body's
///    [`body_id_field`](Self::body_id_field); an id too long for a store
///    key, or with control characters, is keyed by its SHA-256): a delivery
///    in progress gets 409 + `Retry-After`, a completed one gets its stored
///    status and body with `Idempotent-Replayed: true` (the handler does not
///    run), a failing store gets 503 + `Retry-After`;
/// 5. runs the inner service with the bytes as the body and the verified
///    metadata in the request extensions (read them with
///    [`Webhook`](crate::Webhook), [`VerifiedBody`](crate::VerifiedBody) or
///    [`VerifiedMeta`](crate::VerifiedMeta)), renewing the claim's
///    [`lease`](Self::lease) every third of it while the handler runs, so a
///    slow handler is never run a second time by a retry;
/// 6. completes the claim on a 2xx answer (storing the status, and the body if
///    it is at most [`max_replay_body`](Self::max_replay_body) bytes) and
///    releases it otherwise, or when the request future is dropped or panics.
///
/// Where the delivery id comes from, and what it protects against: Standard
/// Webhooks' `webhook-id` and the gateway's `X-Webhook-Id` are signed, so a
/// captured delivery cannot be replayed under another id. Stripe and Slack
/// send no id header, so their id is read from the verified body: Stripe's
/// event `id` (`evt_…`) and Slack's Events API `event_id` (see
/// [`body_id_field`](Self::body_id_field)). GitHub's `X-GitHub-Delivery` and
/// Shopify's `X-Shopify-Webhook-Id` are **not** signed: the layer stops a
/// verbatim replay, but anyone holding one captured delivery can resend it
/// under a fresh id and it runs again (GitHub signs no timestamp, so for as
/// long as the secret is valid); make those handlers idempotent on a
/// business id in the body. A delivery without an id (a plain hex HMAC
/// scheme, a Slack interaction payload) skips the store: it is verified and
/// runs every time. Keying those by a body hash would merge two distinct
/// events that happen to have the same bytes, so dedupe them in the handler
/// by an id in the payload.
///
/// # Examples
///
/// ```
/// use hookproof_axum::WebhookLayer;
/// use hookproof_idempotency::MemoryStore;
/// use hookproof_verify::{Scheme, Secret, Verifier};
/// use std::time::Duration;
///
/// let secret = Secret::from_standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
/// let layer = WebhookLayer::new(Verifier::new(Scheme::StandardWebhooks, secret))
///     .store(MemoryStore::new())
///     .body_limit(256 * 1024)
///     .read_timeout(Duration::from_secs(5));
/// let app: axum::Router = axum::Router::new()
///     .route("/webhooks", axum::routing::post(|| async { "ok" }))
///     .layer(layer);
/// # let _ = app;
/// ```
#[derive(Clone, Debug)]
pub struct WebhookLayer {
    config: Arc<Config>,
}

impl WebhookLayer {
    /// A layer verifying with `verifier`, without an idempotency store, with
    /// a 1 MiB body limit and a 10 s read timeout.
    pub fn new(verifier: Verifier) -> Self {
        let body_id_field = default_body_id_field(verifier.scheme());
        Self {
            config: Arc::new(Config {
                verifier,
                store: None,
                body_limit: DEFAULT_BODY_LIMIT,
                body_budget: BodyBudget::default(),
                read_timeout: DEFAULT_READ_TIMEOUT,
                lease: DEFAULT_LEASE,
                record_ttl: DEFAULT_RECORD_TTL,
                max_replay_body: DEFAULT_MAX_REPLAY_BODY,
                unavailable_retry_after: DEFAULT_UNAVAILABLE_RETRY_AFTER,
                body_id_field,
            }),
        }
    }

    fn with(mut self, change: impl FnOnce(&mut Config)) -> Self {
        change(Arc::make_mut(&mut self.config));
        self
    }

    /// Deduplicates deliveries through `store` (e.g. `MemoryStore`, `RedisStore`,
    /// or an `Arc<dyn IdempotencyStore>`).
    pub fn store(self, store: impl IdempotencyStore) -> Self {
        let store: Arc<dyn IdempotencyStore> = Arc::new(store);
        self.with(|c| c.store = Some(store))
    }

    /// Largest accepted body in bytes (default 1 MiB); larger ones get 413.
    pub fn body_limit(self, bytes: usize) -> Self {
        self.with(|c| c.body_limit = bytes)
    }

    /// The bound on body bytes buffered at once across every delivery this
    /// layer (and its clones) is reading; default
    /// [`DEFAULT_BODY_BUDGET`](crate::DEFAULT_BODY_BUDGET) (64 MiB), a budget
    /// of its own per [`WebhookLayer::new`]. Pass a clone of one
    /// [`BodyBudget`] to several layers to bound them together. A delivery
    /// whose body does not fit is answered 503 `body_budget_exhausted` with
    /// [`unavailable_retry_after`](Self::unavailable_retry_after) as
    /// `Retry-After`; the sender retries.
    pub fn body_budget(self, budget: BodyBudget) -> Self {
        self.with(|c| c.body_budget = budget)
    }

    /// Time allowed to receive the whole body (default 10 s); slower ones get 408.
    pub fn read_timeout(self, timeout: Duration) -> Self {
        self.with(|c| c.read_timeout = timeout)
    }

    /// Lease on an in-flight delivery (default 60 s). The layer renews it
    /// every third of the lease while the handler runs, so it need not cover
    /// the handler's worst case; it is how long a crashed process's claim
    /// blocks the delivery before a retry can take it over.
    pub fn lease(self, lease: Duration) -> Self {
        self.with(|c| c.lease = lease)
    }

    /// How long a completed delivery is remembered for replays (default 7 days;
    /// longer than the sender's retry window). A full `MemoryStore` may
    /// forget its oldest records sooner; see
    /// [`WhenFull`](hookproof_idempotency::WhenFull).
    pub fn record_ttl(self, ttl: Duration) -> Self {
        self.with(|c| c.record_ttl = ttl)
    }

    /// Largest response body stored for replays (default 4 KiB); a larger or
    /// streaming body is not stored and a replay answers the status alone.
    pub fn max_replay_body(self, bytes: usize) -> Self {
        self.with(|c| c.max_replay_body = bytes)
    }

    /// The top-level member of the JSON body that holds the delivery id when
    /// the delivery has no id header; its value must be a string. The
    /// default follows the scheme: `Some("id")` for Stripe (the event's
    /// `evt_…` id, the same on every retry), `Some("event_id")` for Slack's
    /// Events API, `None` otherwise. `None` turns it off. The body is
    /// verified first, so unlike the unsigned id headers this id is covered
    /// by the signature. A body without the member (or not JSON) skips the
    /// store.
    ///
    /// ```
    /// use hookproof_axum::WebhookLayer;
    /// use hookproof_idempotency::MemoryStore;
    /// use hookproof_verify::{Scheme, Secret, Verifier};
    ///
    /// let secret = Secret::from_utf8("a gateway secret").unwrap();
    /// // A sender that signs the body's hex HMAC and puts its id in `uuid`.
    /// let layer = WebhookLayer::new(Verifier::new(Scheme::hex_body("x-signature"), secret))
    ///     .store(MemoryStore::new())
    ///     .body_id_field(Some("uuid"));
    /// # let _ = layer;
    /// ```
    pub fn body_id_field(self, field: Option<&'static str>) -> Self {
        self.with(|c| c.body_id_field = field)
    }

    /// `Retry-After` sent with 503 when the store fails or the body budget
    /// is used up (default 5 s).
    pub fn unavailable_retry_after(self, after: Duration) -> Self {
        self.with(|c| c.unavailable_retry_after = after)
    }

    /// The verifier this layer checks deliveries with.
    pub fn verifier(&self) -> &Verifier {
        &self.config.verifier
    }
}

/// Where schemes without an id header keep the delivery id in the body.
fn default_body_id_field(scheme: &Scheme) -> Option<&'static str> {
    match scheme {
        Scheme::Stripe => Some("id"),
        Scheme::Slack => Some("event_id"),
        _ => None,
    }
}

impl<S> Layer<S> for WebhookLayer {
    type Service = WebhookService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        WebhookService::from_config(inner, Arc::clone(&self.config))
    }
}
