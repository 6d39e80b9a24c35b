//! Standard Webhooks v1 (HMAC-SHA256): what Svix, OpenAI and our gateway
//! emitter send.
//!
//! - Headers `webhook-id`, `webhook-timestamp` (unix seconds) and
//!   `webhook-signature`; or their `svix-id`/`svix-timestamp`/`svix-signature`
//!   twins. The family whose signature header is present supplies all three
//!   (`webhook-*` wins when both are present).
//! - Signed content `{id}.{timestamp}.{body}`, key = base64-decoded secret
//!   after `whsec_`.
//! - Signature header: space-separated `v1,<base64>` entries (several during
//!   key rotation); every `v1` entry is checked, entries of other versions
//!   (e.g. `v1a`) are ignored. Several header lines are all read.
//!
//! Spec: <https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md>

use std::borrow::Cow;

use super::spec::{Format, Names, Spec};
use crate::{Encoding, Part, TimestampUnit};

/// Signed content shared by v1 and v1a: `{id}.{timestamp}.{body}`.
pub(crate) const CONTENT: &[Part] = &[
    Part::Id,
    Part::Literal(Cow::Borrowed(".")),
    Part::Timestamp,
    Part::Literal(Cow::Borrowed(".")),
    Part::Body,
];

pub(crate) static SPEC: Spec = Spec {
    name: crate::SchemeName::from_static("standard"),
    signature: Names::twin("webhook-signature", "svix-signature"),
    id: Some(Names::twin("webhook-id", "svix-id")),
    timestamp: Some(Names::twin("webhook-timestamp", "svix-timestamp")),
    unit: TimestampUnit::Seconds,
    format: Format::VersionedList {
        version: Cow::Borrowed("v1"),
    },
    encoding: Encoding::Base64,
    content: Cow::Borrowed(CONTENT),
};
