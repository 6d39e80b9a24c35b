//! Slack: `X-Slack-Signature: v0=<hex>` = HMAC-SHA256 of
//! `v0:{X-Slack-Request-Timestamp}:{body}` keyed with the signing secret's
//! UTF-8 bytes. No delivery id header.
//!
//! Docs: <https://api.slack.com/authentication/verifying-requests-from-slack>

use std::borrow::Cow;

use super::spec::{Format, Names, Spec};
use crate::{Encoding, Part, TimestampUnit};

pub(crate) static SPEC: Spec = Spec {
    name: crate::SchemeName::from_static("slack"),
    signature: Names::one("x-slack-signature"),
    id: None,
    timestamp: Some(Names::one("x-slack-request-timestamp")),
    unit: TimestampUnit::Seconds,
    format: Format::Plain {
        prefix: Cow::Borrowed("v0="),
    },
    encoding: Encoding::Hex,
    content: Cow::Borrowed(&[
        Part::Literal(Cow::Borrowed("v0:")),
        Part::Timestamp,
        Part::Literal(Cow::Borrowed(":")),
        Part::Body,
    ]),
};
