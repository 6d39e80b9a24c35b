//! [`VerifiedBody`]: the exact bytes that were verified, plus metadata.

use std::fmt;
use std::marker::PhantomData;

use axum::extract::{FromRequest, Request};
use bytes::Bytes;
use hookproof_verify::Verified;

use super::{LayerOnly, VerifierSource, delivery};
use crate::WebhookRejection;

/// The raw body that was verified, plus the verified metadata. Use it for
/// payloads that are not JSON, or to decode yourself.
///
/// Reads the body, so it must be the **last** handler argument.
///
/// `V` says where the verifier comes from when no layer ran: the default
/// [`LayerOnly`] needs [`WebhookLayer`](crate::WebhookLayer) and works with
/// any state; [`FromState`](crate::FromState) verifies with the
/// [`Verifier`](hookproof_verify::Verifier) in the router state.
///
/// # Examples
///
/// ```
/// use hookproof_axum::{FromState, VerifiedBody};
/// use hookproof_verify::{Scheme, Secret, Verifier};
///
/// async fn handler(body: VerifiedBody<FromState>) -> String {
///     format!("{} bytes from {}", body.bytes.len(), body.meta.scheme)
/// }
/// let verifier = Verifier::new(Scheme::gateway(), Secret::from_utf8("demo-secret").unwrap());
/// let app: axum::Router = axum::Router::new()
///     .route("/hook", axum::routing::post(handler))
///     .with_state(verifier);
/// # let _ = app;
/// ```
pub struct VerifiedBody<V = LayerOnly> {
    /// The body exactly as received and verified.
    pub bytes: Bytes,
    /// Who signed it and when.
    pub meta: Verified,
    source: PhantomData<fn() -> V>,
}

impl<V> VerifiedBody<V> {
    /// The bytes and the metadata.
    pub fn into_parts(self) -> (Bytes, Verified) {
        (self.bytes, self.meta)
    }
}

impl<V> fmt::Debug for VerifiedBody<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body is not printed: it may hold personal data.
        f.debug_struct("VerifiedBody")
            .field("len", &self.bytes.len())
            .field("meta", &self.meta)
            .finish()
    }
}

impl<S, V> FromRequest<S> for VerifiedBody<V>
where
    S: Send + Sync,
    V: VerifierSource<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let delivery = delivery::<S, V>(request, state).await?;
        Ok(Self {
            bytes: delivery.body,
            meta: delivery.meta,
            source: PhantomData,
        })
    }
}
