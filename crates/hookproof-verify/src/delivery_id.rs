//! The owned delivery id of a [`Verified`](crate::Verified) result.

use std::fmt;
use std::ops::Deref;

/// Longest id kept inline (no heap allocation); real senders' ids are
/// 30–40 bytes (`msg_` + 27 characters, GitHub's UUIDs).
const INLINE: usize = 64;

/// A delivery id as reported in [`Verified::id`](crate::Verified::id):
/// dereferences to `str`, compares with `&str`/`String`, displays as the
/// id, and converts into a `String`.
///
/// ASCII ids of up to 64 bytes (every real sender's) are stored inline, so
/// reporting the id costs no heap allocation per verification; longer or
/// non-ASCII ids are stored on the heap.
///
/// ```
/// use hookproof_verify::DeliveryId;
///
/// let id = DeliveryId::from("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
/// assert_eq!(id, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
/// assert!(id.starts_with("msg_"));
/// assert_eq!(format!("seen {id}"), "seen msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
/// let owned: String = id.into();
/// assert_eq!(owned.len(), 31);
/// ```
#[derive(Clone)]
pub struct DeliveryId(Repr);

#[derive(Clone)]
enum Repr {
    /// ASCII only (checked on construction), so the bytes are UTF-8.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<str>),
}

impl DeliveryId {
    /// Copies `id`: inline when it is ASCII and at most 64 bytes long.
    pub fn new(id: &str) -> DeliveryId {
        DeliveryId::from_checked(id.as_bytes())
    }

    /// From a header value already checked to be UTF-8: an ASCII id is
    /// copied inline without decoding it.
    pub(crate) fn from_checked(id: &[u8]) -> DeliveryId {
        match u8::try_from(id.len()) {
            Ok(len) if id.len() <= INLINE && id.is_ascii() => {
                let mut bytes = [0u8; INLINE];
                bytes[..id.len()].copy_from_slice(id);
                DeliveryId(Repr::Inline { len, bytes })
            }
            // Checked UTF-8, so nothing is replaced.
            _ => DeliveryId(Repr::Heap(String::from_utf8_lossy(id).into())),
        }
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Inline bytes are ASCII (see `new`), so this never falls back;
            // ASCII validation is a fast word-wise scan.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(s) => s,
        }
    }

    /// The id as an owned `String`.
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Heap(s) => s.into_string(),
            Repr::Inline { .. } => self.as_str().to_owned(),
        }
    }
}

impl Default for DeliveryId {
    /// The empty id.
    fn default() -> DeliveryId {
        DeliveryId::new("")
    }
}

impl Deref for DeliveryId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for DeliveryId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for DeliveryId {
    fn as_ref(&self) -> &[u8] {
        self.as_str().as_bytes()
    }
}

impl std::borrow::Borrow<str> for DeliveryId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::hash::Hash for DeliveryId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for DeliveryId {
    fn eq(&self, other: &DeliveryId) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for DeliveryId {}

impl PartialOrd for DeliveryId {
    fn partial_cmp(&self, other: &DeliveryId) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DeliveryId {
    fn cmp(&self, other: &DeliveryId) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for DeliveryId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for DeliveryId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for DeliveryId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<DeliveryId> for str {
    fn eq(&self, other: &DeliveryId) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<DeliveryId> for &str {
    fn eq(&self, other: &DeliveryId) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<DeliveryId> for String {
    fn eq(&self, other: &DeliveryId) -> bool {
        self == other.as_str()
    }
}

impl From<&str> for DeliveryId {
    fn from(id: &str) -> DeliveryId {
        DeliveryId::new(id)
    }
}

impl From<String> for DeliveryId {
    fn from(id: String) -> DeliveryId {
        DeliveryId::new(&id)
    }
}

impl From<DeliveryId> for String {
    fn from(id: DeliveryId) -> String {
        id.into_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ascii_inline_long_or_unicode_on_heap() {
        let short = DeliveryId::new("msg_1");
        assert!(matches!(short.0, Repr::Inline { len: 5, .. }));
        let edge = "x".repeat(INLINE);
        assert!(matches!(DeliveryId::new(&edge).0, Repr::Inline { .. }));
        let long = "y".repeat(INLINE + 1);
        let long_id = DeliveryId::new(&long);
        assert!(matches!(long_id.0, Repr::Heap(_)));
        assert_eq!(long_id, long);
        let unicode = DeliveryId::from("évt_1");
        assert!(matches!(unicode.0, Repr::Heap(_)));
        for (id, text) in [(short, "msg_1"), (unicode, "évt_1")] {
            assert_eq!(id.as_str(), text);
            assert_eq!(id.len(), text.len());
            assert_eq!(String::from(id.clone()), text);
            assert_eq!(format!("{id:?}"), format!("{text:?}"));
        }
        assert_eq!(DeliveryId::default(), "");
        assert_eq!(DeliveryId::from_checked("évt_2".as_bytes()), "évt_2");
    }

    #[test]
    fn equality_and_hashing_follow_the_text() {
        use std::collections::HashSet;
        let long = "z".repeat(100);
        let a = DeliveryId::from(long.clone());
        let b = DeliveryId::new(&long);
        assert_eq!(a, b);
        assert_eq!(long, a);
        assert_ne!(DeliveryId::new("a"), DeliveryId::new("b"));
        assert!(DeliveryId::new("a") < DeliveryId::new("b"));
        let set: HashSet<DeliveryId> = [DeliveryId::new("a"), DeliveryId::new("a")].into();
        assert!(set.contains("a") && set.len() == 1);
    }
}
