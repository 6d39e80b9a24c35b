//! The data that describes an HMAC scheme; one engine runs them all.

use std::borrow::Cow;

use crate::Headers;

/// How signature bytes are written in the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Lowercase hex when signing; either case accepted when verifying.
    Hex,
    /// Standard base64 alphabet with padding.
    Base64,
}

/// Unit of a timestamp header or `t=` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TimestampUnit {
    /// Unix seconds.
    #[default]
    Seconds,
    /// Unix milliseconds.
    Millis,
}

/// One piece of the signed content, fed to the HMAC in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// The delivery id header's value, as received.
    Id,
    /// The timestamp, as the text received (header value or `t=` field).
    Timestamp,
    /// The raw request body.
    Body,
    /// Fixed bytes, e.g. a `.` or `:` separator, or a `v0` version tag.
    Literal(Cow<'static, str>),
}

impl Part {
    /// A literal separator or tag.
    pub fn literal(s: impl Into<Cow<'static, str>>) -> Part {
        Part::Literal(s.into())
    }
}

/// Shape of the signature header value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// The whole value after `prefix` is one signature (GitHub `sha256=<hex>`,
    /// Slack `v0=<hex>`, Shopify `<base64>`).
    Plain { prefix: Cow<'static, str> },
    /// Space-separated `version,signature` entries (Standard Webhooks).
    VersionedList { version: Cow<'static, str> },
    /// Comma-separated `key=value` pairs; the timestamp under
    /// `timestamp_key`, signatures under `signature_key` (Stripe, gateway).
    KeyValue {
        timestamp_key: Cow<'static, str>,
        signature_key: Cow<'static, str>,
    },
}

/// A header name plus an optional alternative family name (Standard
/// Webhooks' `svix-` twins). With feature `http` the names are also kept as
/// pre-parsed `http::HeaderName`s, so `HeaderMap` lookups skip re-parsing
/// the name on every request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Names {
    pub(crate) primary: Cow<'static, str>,
    pub(crate) fallback: Option<Cow<'static, str>>,
    #[cfg(feature = "http")]
    primary_key: Option<http::HeaderName>,
    #[cfg(feature = "http")]
    fallback_key: Option<http::HeaderName>,
}

impl Names {
    pub(crate) const fn one(name: &'static str) -> Names {
        Names {
            primary: Cow::Borrowed(name),
            fallback: None,
            #[cfg(feature = "http")]
            primary_key: Some(http::HeaderName::from_static(name)),
            #[cfg(feature = "http")]
            fallback_key: None,
        }
    }

    pub(crate) const fn twin(name: &'static str, fallback: &'static str) -> Names {
        Names {
            primary: Cow::Borrowed(name),
            fallback: Some(Cow::Borrowed(fallback)),
            #[cfg(feature = "http")]
            primary_key: Some(http::HeaderName::from_static(name)),
            #[cfg(feature = "http")]
            fallback_key: Some(http::HeaderName::from_static(fallback)),
        }
    }

    /// A runtime name (already lowercased and checked).
    pub(crate) fn owned(name: String) -> Names {
        Names {
            #[cfg(feature = "http")]
            primary_key: http::HeaderName::from_bytes(name.as_bytes()).ok(),
            #[cfg(feature = "http")]
            fallback_key: None,
            primary: Cow::Owned(name),
            fallback: None,
        }
    }

    pub(crate) fn pick(&self, use_fallback: bool) -> &str {
        match (&self.fallback, use_fallback) {
            (Some(f), true) => f,
            _ => &self.primary,
        }
    }

    /// The pre-parsed primary (or fallback) name; `None` when it has no
    /// valid `http::HeaderName` form.
    #[cfg(feature = "http")]
    pub(crate) fn key(&self, use_fallback: bool) -> Option<&http::HeaderName> {
        match (&self.fallback, use_fallback) {
            (Some(_), true) => self.fallback_key.as_ref(),
            _ => self.primary_key.as_ref(),
        }
    }

    /// Visits the values of the primary (or fallback) header.
    pub(crate) fn visit<'a, H: Headers + ?Sized>(
        &self,
        headers: &'a H,
        use_fallback: bool,
        visit: &mut dyn FnMut(&'a [u8]),
    ) {
        #[cfg(feature = "http")]
        {
            let key = if use_fallback {
                &self.fallback_key
            } else {
                &self.primary_key
            };
            if let Some(key) = key {
                return headers.visit_header(key, visit);
            }
        }
        headers.visit_values(self.pick(use_fallback), visit);
    }
}

/// Full description of an HMAC-SHA256 scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Spec {
    pub(crate) name: crate::SchemeName,
    pub(crate) signature: Names,
    pub(crate) id: Option<Names>,
    /// Timestamp carried in its own header (`None` for `KeyValue` formats,
    /// which carry it inside the signature header, and for schemes without).
    pub(crate) timestamp: Option<Names>,
    pub(crate) unit: TimestampUnit,
    pub(crate) format: Format,
    pub(crate) encoding: Encoding,
    pub(crate) content: Cow<'static, [Part]>,
}
