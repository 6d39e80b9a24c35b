//! Signature candidates decoded into fixed-size stack buffers, compared
//! with the computed tag as bytes in constant time (`subtle`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::{Choice, ConstantTimeEq};

use super::MAX_SIGNATURES;
use crate::Encoding;

/// Up to [`MAX_SIGNATURES`] signatures of `N` bytes, decoded from the
/// received header text, plus counts of the entries that could not be used.
///
/// Only the *received* text is decoded (public input; the hex and base64
/// decoders may use lookup tables on it). The computed, secret-derived tag
/// is never encoded or looked up in a table: it is compared as bytes with
/// [`subtle::ConstantTimeEq`].
pub(crate) struct Candidates<const N: usize> {
    tags: [[u8; N]; MAX_SIGNATURES],
    len: usize,
    /// Entries of the checked version, decodable or not.
    pub(crate) supported: usize,
    /// Entries of any version, for the cap.
    pub(crate) total: usize,
}

/// The candidate cap was exceeded.
pub(crate) struct TooMany;

impl<const N: usize> Candidates<N> {
    pub(crate) fn new() -> Self {
        Candidates {
            tags: [[0; N]; MAX_SIGNATURES],
            len: 0,
            supported: 0,
            total: 0,
        }
    }

    /// Counts an entry of another version (ignored, but counted for the cap).
    pub(crate) fn other(&mut self) -> Result<(), TooMany> {
        self.total += 1;
        if self.total > MAX_SIGNATURES {
            Err(TooMany)
        } else {
            Ok(())
        }
    }

    /// Adds an entry of the checked version. A value that does not decode to
    /// exactly `N` bytes (empty, truncated, padded wrongly, not hex or
    /// base64) is counted but can never match.
    pub(crate) fn push(&mut self, text: &[u8], encoding: Encoding) -> Result<(), TooMany> {
        self.other()?;
        self.supported += 1;
        // `other` capped `total`, and `len <= supported <= total`, so the
        // slot exists; a failed decode leaves `len` alone and the slot is
        // overwritten by the next entry.
        if let Some(slot) = self.tags.get_mut(self.len)
            && decode_into(text, encoding, slot)
        {
            self.len += 1;
        }
        Ok(())
    }

    /// Whether no candidate can match (none decoded to `N` bytes).
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The decoded candidates.
    pub(crate) fn tags(&self) -> &[[u8; N]] {
        &self.tags[..self.len]
    }

    /// Constant time: does `tag` equal any candidate? Every candidate is
    /// compared with [`ct_eq`] and the results are combined without
    /// branching; only the number of candidates (public) shapes the work.
    pub(crate) fn matches(&self, tag: &[u8]) -> bool {
        let mut hit = Choice::from(0);
        for c in self.tags() {
            hit |= ct_eq(c, tag);
        }
        hit.into()
    }
}

/// Constant-time equality of two byte strings with
/// `subtle::ConstantTimeEq`, eight bytes at a time: each pair of 8-byte
/// words (then the remaining bytes) goes through `subtle`'s `u64`/`u8`
/// comparison, and the `Choice`s are combined with `&`, so no branch or
/// early exit depends on the bytes. Four `subtle` comparisons for a
/// 32-byte tag instead of 32 (each one an optimisation barrier). Strings
/// of different lengths are unequal (lengths are public).
fn ct_eq(a: &[u8], b: &[u8]) -> Choice {
    if a.len() != b.len() {
        return Choice::from(0);
    }
    let (aw, ar) = a.as_chunks::<8>();
    let (bw, br) = b.as_chunks::<8>();
    let mut eq = ar.ct_eq(br);
    for (x, y) in aw.iter().zip(bw) {
        eq &= u64::from_ne_bytes(*x).ct_eq(&u64::from_ne_bytes(*y));
    }
    eq
}

/// Decodes `text` into `out`; `false` unless it is exactly `N` bytes.
/// Length checks here are not constant time; lengths are public.
pub(crate) fn decode_into<const N: usize>(
    text: &[u8],
    encoding: Encoding,
    out: &mut [u8; N],
) -> bool {
    match encoding {
        // Either case is accepted; the decoder checks every digit.
        Encoding::Hex => text.len() == 2 * N && hex::decode_to_slice(text, out).is_ok(),
        Encoding::Base64 => {
            // 64-byte signatures take 88 characters; anything longer is not ours.
            let mut buf = [0u8; 66];
            if text.len() != N.div_ceil(3) * 4 {
                return false;
            }
            // The strict decoder: canonical padding, no trailing bits, so
            // one tag has exactly one accepted text.
            match STANDARD.decode_slice(text, &mut buf) {
                Ok(n) if n == N => {
                    out.copy_from_slice(&buf[..N]);
                    true
                }
                _ => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_or_empty_never_decode() {
        let mut out = [0u8; 32];
        let full = STANDARD.encode([5u8; 32]);
        assert!(decode_into(full.as_bytes(), Encoding::Base64, &mut out));
        assert_eq!(out, [5u8; 32]);
        assert!(!decode_into(
            &full.as_bytes()[..43],
            Encoding::Base64,
            &mut out
        ));
        assert!(!decode_into(b"", Encoding::Base64, &mut out));
        let hex = hex::encode([7u8; 32]);
        assert!(decode_into(hex.as_bytes(), Encoding::Hex, &mut out));
        assert!(decode_into(
            hex.to_uppercase().as_bytes(),
            Encoding::Hex,
            &mut out
        ));
        assert!(!decode_into(&hex.as_bytes()[..62], Encoding::Hex, &mut out));
        let mut sig = [0u8; 64];
        let long = STANDARD.encode([9u8; 64]);
        assert!(decode_into(long.as_bytes(), Encoding::Base64, &mut sig));
        assert_eq!(sig, [9u8; 64]);
    }

    #[test]
    fn base64_accepts_one_text_per_tag() {
        let tag = [0xFBu8; 32];
        let good = STANDARD.encode(tag);
        assert!(good.contains('+') && good.contains('/'), "{good}");
        let mut out = [0u8; 32];
        assert!(decode_into(good.as_bytes(), Encoding::Base64, &mut out));
        // Same last character but nonzero trailing bits, wrong padding,
        // other alphabet: the decoder refuses all of them.
        let mut trailing = good.clone().into_bytes();
        trailing[42] = trailing[42].wrapping_add(1);
        let url_safe = good.replace('+', "-").replace('/', "_");
        let unpadded = good.trim_end_matches('=').to_owned();
        for text in [&trailing[..], url_safe.as_bytes(), unpadded.as_bytes()] {
            assert!(
                !decode_into(text, Encoding::Base64, &mut out) || out != tag,
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn hex_refuses_characters_next_to_the_digits() {
        let tag: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xA9);
        let lower = hex::encode(tag);
        let mut out = [0u8; 32];
        for (at, bad) in [(0, b'G'), (1, b'@'), (2, b'/'), (3, b':'), (4, b'g')] {
            let mut text = lower.clone().into_bytes();
            text[at] = bad;
            assert!(!decode_into(&text, Encoding::Hex, &mut out), "{bad}");
        }
    }

    #[test]
    fn ct_eq_detects_any_differing_bit() {
        for len in [0usize, 1, 5, 8, 9, 31, 32, 33, 44, 64] {
            let a: Vec<u8> = (0..len)
                .map(|i| (i as u8).wrapping_mul(29) ^ 0x5A)
                .collect();
            assert!(bool::from(ct_eq(&a, &a)), "{len}");
            for i in 0..len {
                for bit in 0..8 {
                    let mut b = a.clone();
                    b[i] ^= 1 << bit;
                    assert!(!bool::from(ct_eq(&a, &b)), "len {len} byte {i} bit {bit}");
                }
            }
            if len > 0 {
                assert!(!bool::from(ct_eq(&a, &a[..len - 1])), "{len}");
            }
        }
    }

    #[test]
    fn cap_counts_all_versions() {
        let mut c = Candidates::<32>::new();
        for _ in 0..MAX_SIGNATURES {
            assert!(c.other().is_ok());
        }
        assert!(c.push(b"x", Encoding::Base64).is_err());
    }

    #[test]
    fn matches_any_candidate_and_nothing_else() {
        let mut c = Candidates::<32>::new();
        let a = hex::encode([1u8; 32]);
        let b = hex::encode([2u8; 32]);
        assert!(c.push(a.as_bytes(), Encoding::Hex).is_ok());
        assert!(c.push(b"short", Encoding::Hex).is_ok());
        assert!(c.push(b.as_bytes(), Encoding::Hex).is_ok());
        assert_eq!((c.supported, c.tags().len()), (3, 2));
        assert!(c.matches(&[2u8; 32]));
        assert!(c.matches(&[1u8; 32]));
        assert!(!c.matches(&[3u8; 32]));
        assert!(!c.matches(&[2u8; 31]), "a shorter tag never matches");
        // Any single flipped bit of the tag is a miss.
        for i in 0..32 {
            for bit in 0..8 {
                let mut t = [2u8; 32];
                t[i] ^= 1 << bit;
                assert!(!c.matches(&t), "byte {i} bit {bit}");
            }
        }
        assert!(!Candidates::<32>::new().matches(&[0u8; 32]));
    }

    proptest::proptest! {
        /// Any text of hex length matches a tag exactly when it is that
        /// tag's hex, in any case.
        #[test]
        fn hex_matches_exactly_its_tag(
            tag in proptest::array::uniform32(proptest::num::u8::ANY),
            flips in proptest::collection::vec((0usize..64, proptest::num::u8::ANY), 0..3),
            upper in proptest::bool::ANY,
        ) {
            let mut text = hex::encode(tag).into_bytes();
            if upper {
                text.make_ascii_uppercase();
            }
            for (at, byte) in flips {
                text[at] = byte;
            }
            let mut c = Candidates::<32>::new();
            proptest::prop_assert!(c.push(&text, Encoding::Hex).is_ok());
            let want = text.eq_ignore_ascii_case(hex::encode(tag).as_bytes());
            proptest::prop_assert_eq!(c.matches(&tag), want);
        }
    }
}
