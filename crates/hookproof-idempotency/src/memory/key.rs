//! [`Key`]: a map key that carries its own hash.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

/// The hasher of key text: foldhash, randomly seeded per store. Keys are
/// delivery ids of requests whose signature was verified, so only a sender
/// holding the secret chooses them; foldhash (minimally DoS-resistant) is
/// several times faster than SipHash on short keys, and hashing was the
/// largest cost of a begin+complete pair.
pub(super) type TextHasher = foldhash::fast::RandomState;

/// A key's text and its hash, computed once with the store's
/// [`TextHasher`].
///
/// The map hashes a `Key` by its stored hash alone, so when a shard's table
/// grows and rehashes every entry it reads the hash inline in the table
/// instead of following each entry's pointer to its text: with delivery ids
/// that are all new, the map grows all the time, and those pointer chases
/// were cache misses. Equality compares the hash first, then the text.
#[derive(Clone, Debug)]
pub(super) struct Key {
    hash: u64,
    text: Arc<str>,
}

impl Key {
    /// `text` with its hash under `hasher` (the store's).
    pub(super) fn new(hasher: &TextHasher, text: Arc<str>) -> Key {
        Key {
            hash: hasher.hash_one(&*text),
            text,
        }
    }

    /// The shared text, for a [`Claim`](crate::Claim).
    pub(super) fn text(&self) -> &Arc<str> {
        &self.text
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_equal_keys_and_hash_alike() {
        let hasher = TextHasher::default();
        let a = Key::new(&hasher, Arc::from("evt_1"));
        let b = Key::new(&hasher, Arc::from(String::from("evt_1")));
        let c = Key::new(&hasher, Arc::from("evt_2"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        let outer = foldhash::fast::FixedState::with_seed(7);
        assert_eq!(outer.hash_one(&a), outer.hash_one(&b));
        assert_eq!(&**a.text(), "evt_1");
    }

    #[test]
    fn same_hash_different_text_is_not_equal() {
        // Forged collision: equality must not trust the hash alone.
        let a = Key {
            hash: 1,
            text: Arc::from("a"),
        };
        let b = Key {
            hash: 1,
            text: Arc::from("b"),
        };
        assert_ne!(a, b);
    }
}
