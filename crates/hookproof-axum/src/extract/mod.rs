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

use crate::body::{DEFAULT_BODY_LIMIT, DEFAULT_READ_TIMEOUT, check_content_length, read_limited};
use crate::layer::DEFAULT_UNAVAILABLE_RETRY_AFTER;
use crate::{BodyBudget, WebhookRejection};

/// The body budget of extractors used without the layer (`FromState`): one
/// per process, [`DEFAULT_BODY_BUDGET`](crate::DEFAULT_BODY_BUDGET) bytes.
static FROM_STATE_BUDGET: std::sync::LazyLock<BodyBudget> =
    std::sync::LazyLock::new(BodyBudget::default);

/// What the layer leaves in the request extensions for the extractors.
#[derive(Clone, Debug)]
pub(crate) struct Delivery {
    pub(crate) meta: Verified,
    pub(crate) body: Bytes,
}

/// The verified delivery of `request`: the layer's, or verified here with
/// the verifier `V` takes from the state (default limits: 1 MiB, 10 s, and
/// one process-wide body budget of 64 MiB for every such route).
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
    // Refused before any body is read when the headers cannot verify.
    let prechecked = verifier
        .precheck(&parts.headers)
        .map_err(WebhookRejection::verification)?;
    let (body, _charged) = read_limited(
        body,
        DEFAULT_BODY_LIMIT,
        DEFAULT_READ_TIMEOUT,
        &FROM_STATE_BUDGET,
        DEFAULT_UNAVAILABLE_RETRY_AFTER,
    )
    .await?;
    let meta = prechecked
        .verify(&body)
        .map_err(WebhookRejection::verification)?;
    Ok(Delivery { meta, body })
}
