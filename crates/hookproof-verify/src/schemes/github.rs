//! GitHub: `X-Hub-Signature-256: sha256=<hex>` = HMAC-SHA256 of the body
//! keyed with the secret's UTF-8 bytes. No timestamp (GitHub does not sign
//! one, so replays cannot be refused by time); the delivery id comes from
//! `X-GitHub-Delivery`, which is **not** signed: a captured delivery
//! verifies forever, under any new id. Deduplicate on a business id in the
//! body. An absent id header is allowed (reported as no id); a blank one is
//! `invalid_delivery_id`. The legacy SHA-1 `X-Hub-Signature` header is not
//! read.
//!
//! Docs: <https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries>

use std::borrow::Cow;

use super::spec::{Format, Names, Spec};
use crate::{Encoding, Part, TimestampUnit};

pub(crate) static SPEC: Spec = Spec {
    name: crate::SchemeName::from_static("github"),
    signature: Names::one("x-hub-signature-256"),
    id: Some(Names::one("x-github-delivery")),
    timestamp: None,
    unit: TimestampUnit::Seconds,
    format: Format::Plain {
        prefix: Cow::Borrowed("sha256="),
    },
    encoding: Encoding::Hex,
    content: Cow::Borrowed(&[Part::Body]),
};
