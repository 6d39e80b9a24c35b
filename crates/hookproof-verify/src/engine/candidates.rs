//! Signature candidates decoded into fixed-size stack buffers.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::{Choice, ConstantTimeEq};

use super::MAX_SIGNATURES;
use super::tag_text::{self, base64_len};
use crate::Encoding;

/// Up to [`MAX_SIGNATURES`] signatures of `N` bytes, plus counts of the
/// entries that could not be used.
///
/// Kept either decoded (for Ed25519, which needs the bytes) or, for HMAC
/// tags, as the received text: the expected tag is then encoded once per
/// key and compared as text, because encoding one tag costs less than
/// decoding every candidate. Comparing texts accepts exactly what decoding
/// and comparing bytes accepts:
///
/// - the standard base64 decoder accepts exactly one text per byte string
///   (canonical padding, no trailing bits), the one the encoder writes;
/// - the hex decoder accepts each digit in either case, so a candidate is
///   ASCII-lowercased before it is compared with the lowercase encoding.
///   Lowercasing changes only `A`–`Z`, so a character matches a lowercase
///   digit exactly when it is that digit or its uppercase form.
pub(crate) struct Candidates<'a, const N: usize> {
    store: Store<'a, N>,
    len: usize,
    /// Entries of the checked version, decodable or not.
    pub(crate) supported: usize,
    /// Entries of any version, for the cap.
    pub(crate) total: usize,
}

// Lives on the verifying stack frame only; boxing the big variant would
// put an allocation on every verification.
#[allow(clippy::large_enum_variant)]
enum Store<'a, const N: usize> {
    #[cfg_attr(not(feature = "ed25519"), allow(dead_code))]
    Decoded([[u8; N]; MAX_SIGNATURES]),
    // `Option` so that the empty store is all zero bytes (cheaper to set up
    // on every verification than sixteen empty slices).
    Text {
        texts: [Option<&'a [u8]>; MAX_SIGNATURES],
        encoding: Encoding,
    },
}

/// The candidate cap was exceeded.
pub(crate) struct TooMany;

impl<'a, const N: usize> Candidates<'a, N> {
    /// Candidates kept decoded (for Ed25519, which verifies the bytes).
    #[cfg_attr(not(feature = "ed25519"), allow(dead_code))]
    pub(crate) fn new() -> Self {
        Candidates {
            store: Store::Decoded([[0; N]; MAX_SIGNATURES]),
            len: 0,
            supported: 0,
            total: 0,
        }
    }

    /// Candidates for comparison with a computed tag written in `encoding`,
    /// kept as text (see the type's docs).
    pub(crate) fn for_tag(encoding: Encoding) -> Self {
        Candidates {
            store: Store::Text {
                texts: [None; MAX_SIGNATURES],
                encoding,
            },
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
    /// exactly `N` bytes (empty, truncated, padded wrongly) is counted but
    /// can never match.
    pub(crate) fn push(&mut self, text: &'a [u8], encoding: Encoding) -> Result<(), TooMany> {
        self.other()?;
        self.supported += 1;
        let kept = match &mut self.store {
            Store::Decoded(tags) => decode_into(text, encoding, &mut tags[self.len]),
            // Only the length is checked here; a text of the right length
            // that is not a valid encoding can never equal an encoded tag.
            Store::Text { texts, encoding } => {
                let fits = text.len() == text_len(*encoding, N);
                if fits {
                    texts[self.len] = Some(text);
                }
                fits
            }
        };
        if kept {
            self.len += 1;
        }
        Ok(())
    }

    /// Whether no candidate can match (none decoded / none of the right length).
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Decoded candidates (empty when kept as text).
    #[cfg_attr(not(feature = "ed25519"), allow(dead_code))]
    pub(crate) fn tags(&self) -> &[[u8; N]] {
        match &self.store {
            Store::Decoded(tags) => &tags[..self.len],
            Store::Text { .. } => &[],
        }
    }

    /// Constant-time: does `tag` equal any candidate? Each comparison is
    /// constant time; the number of candidates is public.
    pub(crate) fn matches(&self, tag: &[u8; N]) -> bool {
        let mut hit = Choice::from(0);
        match &self.store {
            Store::Decoded(tags) => {
                for c in &tags[..self.len] {
                    hit |= ct_eq(c, tag);
                }
            }
            Store::Text {
                texts,
                encoding: Encoding::Base64,
            } => {
                let mut buf = [0u8; tag_text::MAX_TEXT];
                let Some(out) = tag_text::encode(tag, &mut buf) else {
                    return false;
                };
                for c in texts[..self.len].iter().flatten() {
                    hit |= ct_eq(c, out);
                }
            }
            Store::Text {
                texts,
                encoding: Encoding::Hex,
            } => {
                let mut buf = [0u8; tag_text::MAX_TEXT];
                let Some(out) = buf.get_mut(..2 * N) else {
                    return false;
                };
                if hex::encode_to_slice(tag, out).is_err() {
                    return false;
                }
                for c in texts[..self.len].iter().flatten() {
                    // `push` kept only texts of length 2N, which fit.
                    let mut lower = [0u8; tag_text::MAX_TEXT];
                    let Some(lower) = lower.get_mut(..c.len()) else {
                        continue;
                    };
                    lower.copy_from_slice(c);
                    lower.make_ascii_lowercase();
                    hit |= ct_eq(lower, out);
                }
            }
        }
        hit.into()
    }
}

/// Constant-time equality of two byte strings of the same (public)
/// length: the XOR of all bytes is folded into one word without branches,
/// and only that word goes through `subtle` (one optimisation barrier
/// instead of one per byte). Different lengths are unequal.
fn ct_eq(a: &[u8], b: &[u8]) -> Choice {
    if a.len() != b.len() {
        return Choice::from(0);
    }
    let mut acc = 0u64;
    let (ac, ar) = a.as_chunks::<8>();
    let (bc, br) = b.as_chunks::<8>();
    for (x, y) in ac.iter().zip(bc) {
        acc |= u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y);
    }
    // A partial last word is compared as the (overlapping) last eight
    // bytes; shorter strings byte by byte.
    if !ar.is_empty() {
        match (a.last_chunk::<8>(), b.last_chunk::<8>()) {
            (Some(x), Some(y)) => acc |= u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y),
            _ => {
                for (x, y) in ar.iter().zip(br) {
                    acc |= u64::from(x ^ y);
                }
            }
        }
    }
    acc.ct_eq(&0)
}

/// Length of the text of an `n`-byte tag in `encoding`.
const fn text_len(encoding: Encoding, n: usize) -> usize {
    match encoding {
        Encoding::Hex => 2 * n,
        Encoding::Base64 => base64_len(n),
    }
}

/// Decodes `text` into `out`; `false` unless it is exactly `N` bytes.
/// Length checks here are not constant time; lengths are public.
pub(crate) fn decode_into<const N: usize>(
    text: &[u8],
    encoding: Encoding,
    out: &mut [u8; N],
) -> bool {
    match encoding {
        Encoding::Hex => text.len() == 2 * N && hex::decode_to_slice(text, out).is_ok(),
        Encoding::Base64 => {
            // 64-byte signatures take 88 characters; anything longer is not ours.
            let mut buf = [0u8; 96];
            if text.len() != N.div_ceil(3) * 4 {
                return false;
            }
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
    }

    #[test]
    fn ct_eq_detects_any_differing_byte() {
        let a = [0xA5u8; 32];
        assert!(bool::from(ct_eq(&a, &a)));
        assert!(!bool::from(ct_eq(&a, &a[..31])));
        for i in 0..32 {
            for bit in 0..8 {
                let mut b = a;
                b[i] ^= 1 << bit;
                assert!(!bool::from(ct_eq(&a, &b)), "byte {i} bit {bit}");
            }
        }
        // Partial last words (44 = a base64 tag) and values under a word.
        for len in [1, 5, 7, 9, 44, 47] {
            let a: Vec<u8> = (0..len).map(|i| i as u8 ^ 0x5A).collect();
            assert!(bool::from(ct_eq(&a, &a)), "{len}");
            for i in 0..len {
                for bit in 0..8 {
                    let mut b = a.clone();
                    b[i] ^= 1 << bit;
                    assert!(!bool::from(ct_eq(&a, &b)), "len {len} byte {i} bit {bit}");
                }
            }
        }
        let mut odd = [1u8; 33];
        let same = odd;
        odd[32] = 0;
        assert!(!bool::from(ct_eq(&same, &odd)));
    }

    #[test]
    fn cap_counts_all_versions() {
        let mut c = Candidates::<32>::for_tag(Encoding::Base64);
        for _ in 0..MAX_SIGNATURES {
            assert!(c.other().is_ok());
        }
        assert!(c.push(b"x", Encoding::Base64).is_err());
    }

    #[test]
    fn matches_any_candidate() {
        let mut c = Candidates::<32>::new();
        let a = hex::encode([1u8; 32]);
        let b = hex::encode([2u8; 32]);
        assert!(c.push(a.as_bytes(), Encoding::Hex).is_ok());
        assert!(c.push(b"short", Encoding::Hex).is_ok());
        assert!(c.push(b.as_bytes(), Encoding::Hex).is_ok());
        assert_eq!((c.supported, c.tags().len()), (3, 2));
        assert!(c.matches(&[2u8; 32]));
        assert!(!c.matches(&[3u8; 32]));
    }

    /// Keeping `text` as text and comparing encodings decides exactly as
    /// decoding it and comparing bytes.
    fn assert_text_compare_agrees(tag: &[u8; 32], text: &[u8], encoding: Encoding) {
        let mut decoded = Candidates::<32>::new();
        let mut as_text = Candidates::<32>::for_tag(encoding);
        assert!(decoded.push(text, encoding).is_ok());
        assert!(as_text.push(text, encoding).is_ok());
        assert_eq!(
            decoded.matches(tag),
            as_text.matches(tag),
            "{:?}",
            String::from_utf8_lossy(text)
        );
        assert_eq!(decoded.supported, as_text.supported);
    }

    #[test]
    fn base64_text_compare_accepts_exactly_what_decoding_accepts() {
        let tag = [0xC3u8; 32];
        let good = STANDARD.encode(tag);
        // Same last character but nonzero trailing bits, wrong padding,
        // other alphabet, wrong length: the decoder refuses all of them.
        let mut trailing = good.clone().into_bytes();
        trailing[42] = trailing[42].wrapping_add(1);
        let url_safe = good.replace('+', "-").replace('/', "_");
        let unpadded = good.trim_end_matches('=').to_owned();
        let texts: [&[u8]; 5] = [
            good.as_bytes(),
            &trailing,
            url_safe.as_bytes(),
            unpadded.as_bytes(),
            b"",
        ];
        for text in texts {
            assert_text_compare_agrees(&tag, text, Encoding::Base64);
        }
        let mut c = Candidates::<32>::for_tag(Encoding::Base64);
        assert!(c.push(good.as_bytes(), Encoding::Base64).is_ok());
        assert!(c.matches(&tag) && !c.matches(&[0xC2; 32]));
        assert!(c.tags().is_empty() && !c.is_empty());
    }

    #[test]
    fn hex_text_compare_accepts_exactly_what_decoding_accepts() {
        let tag: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xA9);
        let lower = hex::encode(tag);
        let upper = lower.to_uppercase();
        let mixed: String = lower
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 3 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        let mut other = lower.clone().into_bytes();
        other[10] = if other[10] == b'0' { b'1' } else { b'0' };
        // Non-hex characters that lowercase onto hex digits or sit next to
        // them in ASCII: the decoder refuses them, so must the comparison.
        let mut g = lower.clone().into_bytes();
        g[0] = b'G';
        let mut at = lower.clone().into_bytes();
        at[1] = b'@';
        let mut slash = lower.clone().into_bytes();
        slash[2] = b'/';
        let texts: [&[u8]; 9] = [
            lower.as_bytes(),
            upper.as_bytes(),
            mixed.as_bytes(),
            &other,
            &g,
            &at,
            &slash,
            &lower.as_bytes()[..63],
            b"",
        ];
        for text in texts {
            assert_text_compare_agrees(&tag, text, Encoding::Hex);
        }
        let mut c = Candidates::<32>::for_tag(Encoding::Hex);
        assert!(c.push(upper.as_bytes(), Encoding::Hex).is_ok());
        assert!(c.matches(&tag));
        let mut wrong = tag;
        wrong[31] ^= 1;
        assert!(!c.matches(&wrong));
    }

    proptest::proptest! {
        /// Any text of hex length, against the tag it may or may not
        /// encode: both ways of comparing agree.
        #[test]
        fn hex_text_agrees_with_decoding(
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
            let mut decoded = Candidates::<32>::new();
            let mut as_text = Candidates::<32>::for_tag(Encoding::Hex);
            proptest::prop_assert!(decoded.push(&text, Encoding::Hex).is_ok());
            proptest::prop_assert!(as_text.push(&text, Encoding::Hex).is_ok());
            proptest::prop_assert_eq!(decoded.matches(&tag), as_text.matches(&tag));
        }
    }
}
