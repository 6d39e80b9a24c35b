//! Fresh delivery ids.

use rand::RngExt;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A fresh id shaped like Standard Webhooks ids: `msg_` and 27 base62
/// characters (about 160 random bits).
pub(crate) fn fresh_message_id() -> String {
    fresh_id("msg_")
}

/// `prefix` followed by 27 random base62 characters.
pub(crate) fn fresh_id(prefix: &str) -> String {
    let mut rng = rand::rng();
    let mut id = String::with_capacity(prefix.len() + 27);
    id.push_str(prefix);
    for _ in 0..27 {
        id.push(char::from(BASE62[rng.random_range(0..BASE62.len())]));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_base62_and_distinct() {
        let a = fresh_message_id();
        let b = fresh_message_id();
        assert_eq!(a.len(), 31);
        assert!(a.starts_with("msg_"));
        assert!(a[4..].bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
