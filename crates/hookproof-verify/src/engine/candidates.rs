//! Signature candidates decoded into fixed-size stack buffers.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::{Choice, ConstantTimeEq};

use super::MAX_SIGNATURES;
use crate::Encoding;

/// Up to [`MAX_SIGNATURES`] decoded `N`-byte signatures, plus counts of the
/// entries that could not be used.
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
    /// exactly `N` bytes (empty, truncated, padded wrongly) is counted but
    /// can never match.
    pub(crate) fn push(&mut self, text: &[u8], encoding: Encoding) -> Result<(), TooMany> {
        self.other()?;
        self.supported += 1;
        let slot = &mut self.tags[self.len];
        if decode_into(text, encoding, slot) {
            self.len += 1;
        }
        Ok(())
    }

    /// Decoded candidates.
    pub(crate) fn tags(&self) -> &[[u8; N]] {
        &self.tags[..self.len]
    }

    /// Constant-time: does `tag` equal any candidate? Each comparison is
    /// constant time; the number of candidates is public.
    pub(crate) fn matches(&self, tag: &[u8; N]) -> bool {
        let mut hit = Choice::from(0);
        for c in self.tags() {
            hit |= ct_eq(c, tag);
        }
        hit.into()
    }
}

/// Constant-time equality of two `N`-byte tags: the XOR of all bytes is
/// folded into one word without branches, and only that word goes through
/// `subtle` (one optimisation barrier instead of one per byte).
fn ct_eq<const N: usize>(a: &[u8; N], b: &[u8; N]) -> Choice {
    let mut acc = 0u64;
    let (ac, ar) = a.as_chunks::<8>();
    let (bc, br) = b.as_chunks::<8>();
    for (x, y) in ac.iter().zip(bc) {
        acc |= u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y);
    }
    for (x, y) in ar.iter().zip(br) {
        acc |= u64::from(x ^ y);
    }
    acc.ct_eq(&0)
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
        for i in 0..32 {
            for bit in 0..8 {
                let mut b = a;
                b[i] ^= 1 << bit;
                assert!(!bool::from(ct_eq(&a, &b)), "byte {i} bit {bit}");
            }
        }
        let mut odd = [1u8; 33];
        let same = odd;
        odd[32] = 0;
        assert!(!bool::from(ct_eq(&same, &odd)));
    }

    #[test]
    fn cap_counts_all_versions() {
        let mut c = Candidates::<32>::new();
        for _ in 0..MAX_SIGNATURES {
            assert!(c.other().is_ok());
        }
        assert!(c.push(b"x", Encoding::Hex).is_err());
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
}
