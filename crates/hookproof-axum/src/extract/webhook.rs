//! [`Webhook<E>`](Webhook): the typed event plus metadata.

use std::fmt;
use std::marker::PhantomData;

use axum::extract::{FromRequest, Request};
use hookproof_verify::Verified;
use serde::de::DeserializeOwned;

use super::{LayerOnly, VerifierSource, delivery};
use crate::WebhookRejection;
use crate::body::check_json_content_type;

/// A verified delivery decoded as `E` (any `DeserializeOwned`, e.g.
/// `hookproof_events::GatewayEvent`), plus its verified metadata.
///
/// Reads the body, so it must be the **last** handler argument.
///
/// Rejections: 415 `unsupported_media_type` when `Content-Type` is present
/// and not JSON, 400 `malformed_json`, 422 `invalid_event` with a JSON
/// `pointer` to the field that did not fit `E`, plus the verification
/// rejections when it verifies on its own.
///
/// `V` says where the verifier comes from when no layer ran: the default
/// [`LayerOnly`] needs [`WebhookLayer`](crate::WebhookLayer) and works with
/// any router state; [`FromState`](crate::FromState) verifies with the
/// [`Verifier`](hookproof_verify::Verifier) in the state (see
/// [`VerifierSource`] for why this is a type parameter).
///
/// # Examples
///
/// ```
/// use hookproof_axum::{Webhook, WebhookLayer};
/// use hookproof_events::GatewayEvent;
/// use hookproof_verify::{Scheme, Secret, Verifier};
///
/// async fn handler(Webhook { event, meta, .. }: Webhook<GatewayEvent>) -> &'static str {
///     tracing::info!(id = ?meta.id, event_type = event.event_type(), "received");
///     "ok"
/// }
/// let verifier = Verifier::new(Scheme::gateway(), Secret::from_utf8("demo-secret").unwrap());
/// let app: axum::Router = axum::Router::new()
///     .route("/hook", axum::routing::post(handler))
///     .layer(WebhookLayer::new(verifier));
/// # let _ = app;
/// ```
pub struct Webhook<E, V = LayerOnly> {
    /// The decoded event.
    pub event: E,
    /// Who signed it and when.
    pub meta: Verified,
    source: PhantomData<fn() -> V>,
}

impl<E, V> Webhook<E, V> {
    /// The event and the metadata.
    pub fn into_parts(self) -> (E, Verified) {
        (self.event, self.meta)
    }
}

impl<E: fmt::Debug, V> fmt::Debug for Webhook<E, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("event", &self.event)
            .field("meta", &self.meta)
            .finish()
    }
}

impl<S, E, V> FromRequest<S> for Webhook<E, V>
where
    S: Send + Sync,
    E: DeserializeOwned,
    V: VerifierSource<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Checked after verification so an unauthenticated sender learns nothing.
        let content_type = check_json_content_type(request.headers());
        let delivery = delivery::<S, V>(request, state).await?;
        content_type?;
        let event = decode(&delivery.body)?;
        Ok(Self {
            event,
            meta: delivery.meta,
            source: PhantomData,
        })
    }
}

/// Decodes `body` as `E`, with the failing field's path on a 422.
pub(crate) fn decode<E: DeserializeOwned>(body: &[u8]) -> Result<E, WebhookRejection> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let event =
        serde_path_to_error::deserialize(&mut deserializer).map_err(WebhookRejection::decode)?;
    deserializer
        .end()
        .map_err(WebhookRejection::malformed_json)?;
    Ok(event)
}
