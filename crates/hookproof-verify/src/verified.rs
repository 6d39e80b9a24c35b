//! The result of a successful verification.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// What a successful verification proved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Delivery id (`webhook-id`, `X-GitHub-Delivery`, `X-Shopify-Webhook-Id`,
    /// `X-Webhook-Id`, ...) when the scheme has one and it was sent; never
    /// empty or whitespace-only (such ids are refused with
    /// `invalid_delivery_id`). A [`DeliveryId`](crate::DeliveryId) derefs
    /// to `str`: `verified.id.as_deref()` is an `Option<&str>`.
    ///
    /// **Signed or not.** Standard Webhooks (v1, v1a), the gateway format
    /// and custom schemes with [`Part::Id`](crate::Part::Id) sign the id:
    /// it is a safe deduplication key (the same delivery under another id
    /// fails with `signature_mismatch`). GitHub (`X-GitHub-Delivery`) and
    /// Shopify (`X-Shopify-Webhook-Id`) do **not** sign it, and sign no
    /// timestamp either: anyone holding one captured delivery can resend
    /// it at any time, as often as they like, each time under a new id,
    /// and every copy verifies with that new id here. Deduplicating on
    /// this id then runs the handler once per forged id. For those
    /// senders, deduplicate on a business id from the signed body (the
    /// object the event is about and its version or action) and make the
    /// handler idempotent.
    pub id: Option<crate::DeliveryId>,
    /// Signed timestamp in unix seconds, when the scheme has one.
    pub timestamp: Option<i64>,
    /// [`Scheme::name`](crate::Scheme::name) of the scheme that verified it.
    pub scheme: SchemeName,
    /// Index of the configured secret that matched (rotation).
    pub key_index: usize,
}

/// A scheme's name as reported in [`Verified::scheme`]: dereferences to
/// `str`, compares with `&str`/`String`, and displays as the name.
///
/// Built-in names are `&'static str` and custom names are shared
/// (`Arc<str>`), so reporting the scheme costs no allocation per
/// verification.
///
/// ```
/// use hookproof_verify::SchemeName;
///
/// let name = SchemeName::from("acme");
/// assert_eq!(name, "acme");
/// assert_eq!(format!("{name}:evt_1"), "acme:evt_1");
/// assert_eq!(name.as_str().len(), 4);
/// ```
#[derive(Clone, Eq)]
pub struct SchemeName(Repr);

#[derive(Clone, Eq, PartialEq)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

impl SchemeName {
    /// A name known at compile time.
    pub const fn from_static(name: &'static str) -> SchemeName {
        SchemeName(Repr::Static(name))
    }

    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl Deref for SchemeName {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SchemeName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for SchemeName {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::hash::Hash for SchemeName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for SchemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SchemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for SchemeName {
    fn eq(&self, other: &SchemeName) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<str> for SchemeName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SchemeName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SchemeName {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<SchemeName> for str {
    fn eq(&self, other: &SchemeName) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SchemeName> for &str {
    fn eq(&self, other: &SchemeName) -> bool {
        *self == other.as_str()
    }
}

impl From<&str> for SchemeName {
    fn from(name: &str) -> SchemeName {
        SchemeName(Repr::Shared(name.into()))
    }
}

impl From<String> for SchemeName {
    fn from(name: String) -> SchemeName {
        SchemeName(Repr::Shared(name.into()))
    }
}

impl From<SchemeName> for String {
    fn from(name: SchemeName) -> String {
        name.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_and_shared_names_compare_by_text() {
        let a = SchemeName::from_static("standard");
        let b = SchemeName::from("standard".to_owned());
        assert_eq!(a, b);
        assert_eq!(a, "standard");
        assert_eq!("standard", b);
        assert_ne!(a, SchemeName::from("github"));
        assert_eq!(format!("{a:?}"), "\"standard\"");
        assert_eq!(String::from(b), "standard");
    }
}
