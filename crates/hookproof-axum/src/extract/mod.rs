//! Extractors: [`Webhook<E>`](Webhook) (typed event + metadata),
//! [`VerifiedBody`] (raw bytes + metadata) and [`VerifiedMeta`] (metadata
//! only), and where they take their verifier from ([`VerifierSource`]).

mod meta;
mod source;
mod verified_body;
mod webhook;

pub use meta::VerifiedMeta;
pub use source::{FromState, LayerOnly, VerifierSource};
pub use verified_body::VerifiedBody;
pub use webhook::Webhook;

use axum::extract::Request;
use bytes::Bytes;
use hookproof_verify::Verified;

use crate::WebhookRejection;
use crate::body::{DEFAULT_BODY_LIMIT, DEFAULT_READ_TIMEOUT, check_content_length, read_limited};

/// What the layer leaves in the request extensions for the extractors.
#[derive(Clone, Debug)]
pub(crate) struct Delivery {
    pub(crate) meta: Verified,
    pub(crate) body: Bytes,
}

/// The verified delivery of `request`: the layer's, or verified here with
/// the verifier `V` takes from the state (default limits: 1 MiB, 10 s).
async fn delivery<S, V>(request: Request, state: &S) -> Result<Delivery, WebhookRejection>
where
    V: VerifierSource<S>,
{
    if let Some(delivery) = request.extensions().get::<Delivery>() {
        return Ok(delivery.clone());
    }
    let Some(verifier) = V::verifier(state) else {
        return Err(WebhookRejection::missing_layer());
    };
    check_content_length(request.headers(), DEFAULT_BODY_LIMIT)?;
    let (parts, body) = request.into_parts();
    let body = read_limited(body, DEFAULT_BODY_LIMIT, DEFAULT_READ_TIMEOUT).await?;
    let meta = verifier
        .verify(&parts.headers, &body)
        .map_err(WebhookRejection::verification)?;
    Ok(Delivery { meta, body })
}
