//! Where an extractor gets its verifier when the layer is absent.

use axum::extract::FromRef;
use hookproof_verify::Verifier;

/// Where [`Webhook`](crate::Webhook) and [`VerifiedBody`](crate::VerifiedBody)
/// find a verifier when no [`WebhookLayer`](crate::WebhookLayer) ran before
/// them. It is the extractors' second type parameter.
///
/// Why a type parameter: an extractor that works with ANY router state (the
/// layer did the work) and one that needs `Verifier: FromRef<S>` cannot be the
/// same impl without specialization. So the default, [`LayerOnly`], works with
/// every state (`()`, your `AppState`) and requires the layer; [`FromState`]
/// verifies on its own with the verifier in the state and still reuses the
/// layer's result when the layer is there. The cost is spelling
/// `Webhook<E, FromState>` on single-route apps without the layer.
///
/// Implement it yourself to pick the verifier from your state another way
/// (e.g. per tenant); return `None` to answer 500 `missing_webhook_layer`.
pub trait VerifierSource<S> {
    /// The verifier to check a delivery with, when the layer did not.
    fn verifier(state: &S) -> Option<Verifier>;
}

/// The default source: the [`WebhookLayer`](crate::WebhookLayer) must have
/// verified the request; works with any router state.
#[derive(Clone, Copy, Debug, Default)]
pub struct LayerOnly;

impl<S> VerifierSource<S> for LayerOnly {
    fn verifier(_state: &S) -> Option<Verifier> {
        None
    }
}

/// Verify in the extractor with the [`Verifier`] from the router state
/// (`Verifier: FromRef<S>`), when no layer ran. Limits: 1 MiB, 10 s read
/// timeout. Deduplication and the per-delivery tracing span need the layer
/// (an extractor cannot see the handler's answer).
#[derive(Clone, Copy, Debug, Default)]
pub struct FromState;

impl<S> VerifierSource<S> for FromState
where
    Verifier: FromRef<S>,
{
    fn verifier(state: &S) -> Option<Verifier> {
        Some(Verifier::from_ref(state))
    }
}
