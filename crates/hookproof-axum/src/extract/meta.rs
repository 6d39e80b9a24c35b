//! [`VerifiedMeta`]: the verified metadata only, from the request parts.

use axum::extract::FromRequestParts;
use hookproof_verify::Verified;
use http::request::Parts;

use super::Delivery;
use crate::WebhookRejection;

/// The verified metadata (delivery id, timestamp, scheme, key index) that
/// [`WebhookLayer`](crate::WebhookLayer) put in the request. Reads no body, so
/// it can sit anywhere in the argument list, next to `Json<T>` or `Bytes`.
///
/// Needs the layer: without it, extraction fails with 500
/// `missing_webhook_layer` (verifying needs the body; use
/// [`VerifiedBody<FromState>`](crate::VerifiedBody) for that).
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedMeta(pub Verified);

impl<S> FromRequestParts<S> for VerifiedMeta
where
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Delivery>()
            .map(|delivery| Self(delivery.meta.clone()))
            .ok_or_else(WebhookRejection::missing_layer)
    }
}
