//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...][,v0=<hex>]`,
//! each `v1` = HMAC-SHA256 of `{t}.{body}` keyed with the **whole**
//! `whsec_...` string as UTF-8 bytes. Every `v1` is checked (Stripe sends
//! one per active secret while you roll it); `v0` (test-mode legacy) and
//! unknown keys are ignored. A header given twice, or `t=` given twice, is
//! `malformed_header`. No delivery id header (the event id is in the body).
//!
//! Docs: <https://docs.stripe.com/webhooks#verify-manually>

use std::borrow::Cow;

use super::spec::{Format, Names, Spec};
use crate::{Encoding, Part, TimestampUnit};

pub(crate) static SPEC: Spec = Spec {
    name: crate::SchemeName::from_static("stripe"),
    signature: Names::one("stripe-signature"),
    id: None,
    timestamp: None,
    unit: TimestampUnit::Seconds,
    format: Format::KeyValue {
        timestamp_key: Cow::Borrowed("t"),
        signature_key: Cow::Borrowed("v1"),
    },
    encoding: Encoding::Hex,
    content: Cow::Borrowed(&[
        Part::Timestamp,
        Part::Literal(Cow::Borrowed(".")),
        Part::Body,
    ]),
};
