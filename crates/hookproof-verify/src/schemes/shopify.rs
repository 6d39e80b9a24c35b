//! Shopify: `X-Shopify-Hmac-Sha256: <base64>` = HMAC-SHA256 of the body
//! keyed with the app's client secret as UTF-8 bytes. No timestamp is
//! signed; the delivery id comes from `X-Shopify-Webhook-Id`, which is
//! **not** signed: a captured delivery verifies forever, under any new id.
//! Deduplicate on a business id in the body. An absent id header is allowed
//! (reported as no id); a blank one is `invalid_delivery_id`.
//!
//! Docs: <https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook>

use std::borrow::Cow;

use super::spec::{Format, Names, Spec};
use crate::{Encoding, Part, TimestampUnit};

pub(crate) static SPEC: Spec = Spec {
    name: crate::SchemeName::from_static("shopify"),
    signature: Names::one("x-shopify-hmac-sha256"),
    id: Some(Names::one("x-shopify-webhook-id")),
    timestamp: None,
    unit: TimestampUnit::Seconds,
    format: Format::Plain {
        prefix: Cow::Borrowed(""),
    },
    encoding: Encoding::Base64,
    content: Cow::Borrowed(&[Part::Body]),
};
