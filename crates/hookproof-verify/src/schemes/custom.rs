//! Custom schemes for senders that document their own HMAC-SHA256 format.

use std::borrow::Cow;
use std::sync::Arc;

use super::spec::{Format, Names, Spec};
use crate::{ConfigError, Encoding, Part, TimestampUnit};

/// An HMAC-SHA256 scheme described by a sender's documentation; build it
/// with [`CustomScheme::builder`]. [`Scheme::gateway`](crate::Scheme::gateway)
/// and [`Scheme::hex_body`](crate::Scheme::hex_body) are presets.
///
/// # Examples
///
/// An "Acme" sender: `X-Acme-Signature: sha256=<hex>` over
/// `{timestamp}:{body}`, timestamp in milliseconds in `X-Acme-Time`:
///
/// ```
/// use hookproof_verify::{CustomScheme, Encoding, Part, Scheme, Secret, Signer, TimestampUnit, Verifier};
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let acme = CustomScheme::builder()
///     .name("acme")
///     .signature_header("X-Acme-Signature")
///     .encoding(Encoding::Hex)
///     .prefix("sha256=")
///     .timestamp_header("X-Acme-Time", TimestampUnit::Millis)
///     .signed_content([Part::Timestamp, Part::literal(":"), Part::Body])
///     .build()?;
/// let scheme = Scheme::Custom(acme);
/// let secret = Secret::from_utf8("acme-secret")?;
/// let headers = Signer::new(scheme.clone(), secret.clone()).sign("", 1_700_000_000, b"{}");
/// assert_eq!(headers[0], ("x-acme-time".to_string(), "1700000000000".to_string()));
///
/// let v = Verifier::new(scheme, secret);
/// let ok = v.verify_at(&headers, b"{}", UNIX_EPOCH + Duration::from_secs(1_700_000_010))?;
/// assert_eq!((ok.scheme.as_str(), ok.timestamp), ("acme", Some(1_700_000_000)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomScheme {
    pub(crate) spec: Arc<Spec>,
}

impl CustomScheme {
    /// Starts describing a scheme. Defaults: name `custom`, hex encoding,
    /// no prefix, seconds, signed content `{timestamp}.{body}` when a
    /// timestamp source is configured and `{body}` otherwise.
    pub fn builder() -> CustomSchemeBuilder {
        CustomSchemeBuilder::default()
    }

    /// The scheme's name (reported in [`Verified::scheme`](crate::Verified::scheme)).
    pub fn name(&self) -> &str {
        &self.spec.name
    }
}

/// Builder for [`CustomScheme`].
#[derive(Clone, Debug, Default)]
pub struct CustomSchemeBuilder {
    name: Option<String>,
    signature_header: Option<String>,
    encoding: Option<Encoding>,
    prefix: String,
    key_value: Option<(String, String)>,
    content: Option<Vec<Part>>,
    id_header: Option<String>,
    timestamp_header: Option<String>,
    unit: TimestampUnit,
}

impl CustomSchemeBuilder {
    /// Name reported in [`Verified::scheme`](crate::Verified::scheme).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Header that carries the signature (required; case-insensitive).
    pub fn signature_header(mut self, name: impl Into<String>) -> Self {
        self.signature_header = Some(name.into());
        self
    }

    /// Hex (default) or base64.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Text before the signature, e.g. `sha256=`. Ignored with
    /// [`key_value`](Self::key_value).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// `t=<ts>,v1=<sig>` style: comma-separated `key=value` pairs with the
    /// timestamp under `timestamp_key` and signatures (several allowed)
    /// under `signature_key`.
    pub fn key_value(
        mut self,
        timestamp_key: impl Into<String>,
        signature_key: impl Into<String>,
    ) -> Self {
        self.key_value = Some((timestamp_key.into(), signature_key.into()));
        self
    }

    /// The signed content, as parts fed to the HMAC in order.
    pub fn signed_content(mut self, parts: impl IntoIterator<Item = Part>) -> Self {
        self.content = Some(parts.into_iter().collect());
        self
    }

    /// Header carrying the delivery id (reported in
    /// [`Verified::id`](crate::Verified::id); required only if the signed
    /// content uses [`Part::Id`]). A present but empty or whitespace-only
    /// id is refused (`invalid_delivery_id`). Unless the signed content
    /// includes [`Part::Id`], the id is not signed: anyone holding a
    /// captured delivery can resend it under new ids, so do not use it
    /// alone as a deduplication key.
    pub fn id_header(mut self, name: impl Into<String>) -> Self {
        self.id_header = Some(name.into());
        self
    }

    /// Header carrying the timestamp, and its unit.
    pub fn timestamp_header(mut self, name: impl Into<String>, unit: TimestampUnit) -> Self {
        self.timestamp_header = Some(name.into());
        self.unit = unit;
        self
    }

    /// Unit of the timestamp (also for [`key_value`](Self::key_value)).
    pub fn timestamp_unit(mut self, unit: TimestampUnit) -> Self {
        self.unit = unit;
        self
    }

    /// Checks and builds the scheme.
    ///
    /// # Errors
    ///
    /// No signature header, an invalid header name, content without the
    /// body, content using the id or timestamp without a source for it, or
    /// both a timestamp header and a key-value timestamp.
    pub fn build(self) -> Result<CustomScheme, ConfigError> {
        let signature = header_name(
            self.signature_header
                .ok_or(ConfigError::MissingSignatureHeader)?,
        )?;
        let id = self.id_header.map(header_name).transpose()?;
        let timestamp = self.timestamp_header.map(header_name).transpose()?;
        if timestamp.is_some() && self.key_value.is_some() {
            return Err(ConfigError::ConflictingTimestampSources);
        }
        let has_ts = timestamp.is_some() || self.key_value.is_some();
        let content = self.content.unwrap_or_else(|| {
            if has_ts {
                vec![Part::Timestamp, Part::literal("."), Part::Body]
            } else {
                vec![Part::Body]
            }
        });
        if !content.contains(&Part::Body) {
            return Err(ConfigError::NoBodyPart);
        }
        if content.contains(&Part::Timestamp) && !has_ts {
            return Err(ConfigError::NoTimestampSource);
        }
        if content.contains(&Part::Id) && id.is_none() {
            return Err(ConfigError::NoIdHeader);
        }
        let format = match self.key_value {
            Some((t, s)) => Format::KeyValue {
                timestamp_key: t.into(),
                signature_key: s.into(),
            },
            None => Format::Plain {
                prefix: self.prefix.into(),
            },
        };
        Ok(CustomScheme {
            spec: Arc::new(Spec {
                name: self.name.unwrap_or_else(|| "custom".to_owned()).into(),
                signature: owned(signature),
                id: id.map(owned),
                timestamp: timestamp.map(owned),
                unit: self.unit,
                format,
                encoding: self.encoding.unwrap_or(Encoding::Hex),
                content: content.into(),
            }),
        })
    }
}

fn owned(name: String) -> Names {
    Names::owned(name)
}

/// Lowercases and checks an HTTP header name (RFC 9110 token).
fn header_name(name: String) -> Result<String, ConfigError> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if ok {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(ConfigError::InvalidHeaderName(name))
    }
}

/// The gateway preset (see [`Scheme::gateway`](crate::Scheme::gateway)).
pub(crate) fn gateway() -> CustomScheme {
    CustomScheme {
        spec: Arc::new(Spec {
            name: crate::SchemeName::from_static("gateway"),
            signature: Names::one("x-webhook-signature"),
            id: Some(Names::one("x-webhook-id")),
            timestamp: None,
            unit: TimestampUnit::Seconds,
            format: Format::KeyValue {
                timestamp_key: Cow::Borrowed("t"),
                signature_key: Cow::Borrowed("v1"),
            },
            encoding: Encoding::Hex,
            // `{t}.{id}.{body}`: the id is signed, so it can key deduplication.
            content: Cow::Borrowed(&[
                Part::Timestamp,
                Part::Literal(Cow::Borrowed(".")),
                Part::Id,
                Part::Literal(Cow::Borrowed(".")),
                Part::Body,
            ]),
        }),
    }
}

/// The plain hex-of-body preset (see [`Scheme::hex_body`](crate::Scheme::hex_body)).
pub(crate) fn hex_body(header: &str) -> CustomScheme {
    CustomScheme {
        spec: Arc::new(Spec {
            name: crate::SchemeName::from_static("hex"),
            signature: owned(header.trim().to_ascii_lowercase()),
            id: None,
            timestamp: None,
            unit: TimestampUnit::Seconds,
            format: Format::Plain {
                prefix: Cow::Borrowed(""),
            },
            encoding: Encoding::Hex,
            content: Cow::Borrowed(&[Part::Body]),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_checks_config() {
        let b = || CustomScheme::builder().signature_header("x-sig");
        assert_eq!(
            CustomScheme::builder().build().unwrap_err().code(),
            "missing_signature_header"
        );
        assert_eq!(
            b().signed_content([Part::Timestamp, Part::Body])
                .build()
                .unwrap_err()
                .code(),
            "no_timestamp_source"
        );
        assert_eq!(
            b().signed_content([Part::Id, Part::Body])
                .build()
                .unwrap_err()
                .code(),
            "no_id_header"
        );
        assert_eq!(
            b().signed_content([Part::Id]).build().unwrap_err().code(),
            "no_body_part"
        );
        assert_eq!(
            b().key_value("t", "v1")
                .timestamp_header("x-t", TimestampUnit::Seconds)
                .build()
                .unwrap_err()
                .code(),
            "conflicting_timestamp_sources"
        );
        assert_eq!(
            CustomScheme::builder()
                .signature_header("bad header")
                .build()
                .unwrap_err()
                .code(),
            "invalid_header_name"
        );
        let s = b().signature_header("X-Sig").build().unwrap();
        assert_eq!(s.spec.signature.primary, "x-sig");
        assert_eq!(s.spec.content.as_ref(), [Part::Body]);
    }
}
