//! Bounded header reading.

use crate::Headers;
use crate::VerifyError;
use crate::schemes::spec::Names;

use super::MAX_HEADER_LEN;

pub(crate) fn malformed(header: &str, reason: &'static str) -> VerifyError {
    VerifyError::MalformedHeader {
        header: header.to_owned(),
        reason,
    }
}

pub(crate) fn missing(header: &str) -> VerifyError {
    VerifyError::MissingHeader {
        header: header.to_owned(),
    }
}

/// Per name looked up: how many values, and the first one.
#[derive(Clone, Copy, Default)]
pub(crate) struct Slot<'a> {
    pub(crate) count: usize,
    pub(crate) first: Option<&'a [u8]>,
}

impl<'a> Slot<'a> {
    fn add(&mut self, v: &'a [u8]) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(v);
        }
    }

    /// The single value (length and UTF-8 checked, OWS trimmed, as bytes):
    /// `None` when absent, an error when given more than once (ambiguous),
    /// too long or not UTF-8.
    #[inline]
    pub(crate) fn single(&self, name: &str) -> Result<Option<&'a [u8]>, VerifyError> {
        self.single_raw(name)?.map(|v| checked(name, v)).transpose()
    }

    /// The single raw value: `None` when absent, an error when given more
    /// than once. The caller checks the value.
    #[inline]
    pub(crate) fn single_raw(&self, name: &str) -> Result<Option<&'a [u8]>, VerifyError> {
        match (self.count, self.first) {
            (0, _) | (_, None) => Ok(None),
            (1, Some(v)) => Ok(Some(v)),
            _ => Err(malformed(
                name,
                "given more than once; which value is meant is ambiguous",
            )),
        }
    }
}

/// Slots of the signature, timestamp and id headers, in that order.
pub(crate) type Slots<'a> = [Slot<'a>; 3];

/// Looks at the headers for every name `groups` lists (`None` = the scheme
/// has no such header), the primary names or, with `use_fallback`, the
/// fallback names, and fills the matching [`Slots`].
pub(crate) fn gather<'a, H: Headers + ?Sized>(
    headers: &'a H,
    groups: [Option<&Names>; 3],
    use_fallback: bool,
) -> Slots<'a> {
    let mut slots = Slots::default();
    // With `http`: one lookup per name by its pre-parsed `HeaderName`
    // (for `HeaderMap`, a hashed lookup), straight into its slot.
    #[cfg(feature = "http")]
    if groups
        .iter()
        .flatten()
        .all(|names| names.key(use_fallback).is_some())
    {
        for (slot, names) in slots.iter_mut().zip(groups) {
            if let Some(key) = names.and_then(|n| n.key(use_fallback)) {
                headers.visit_header(key, &mut |v| slot.add(v));
            }
        }
        return slots;
    }
    // Position i of the name list -> slot index.
    let mut map = [0usize; 3];
    let mut list = [""; 3];
    let mut n = 0;
    for (g, names) in groups.iter().enumerate() {
        let Some(names) = names else { continue };
        list[n] = names.pick(use_fallback);
        map[n] = g;
        n += 1;
    }
    headers.visit_many(&list[..n], &mut |i, v| slots[map[i]].add(v));
    slots
}

/// Checks a header value's length and UTF-8, and strips optional
/// whitespace (spaces and tabs) around it, which RFC 9110 says is not part
/// of the value (hand-built header lists may keep it). Returns bytes: the
/// signature formats split on ASCII bytes, so no `&str` is needed.
#[inline]
pub(crate) fn checked<'a>(name: &str, v: &'a [u8]) -> Result<&'a [u8], VerifyError> {
    if v.len() > MAX_HEADER_LEN {
        return Err(malformed(name, "value longer than the 4096-byte limit"));
    }
    // The ASCII test is a fast word-wise scan; full UTF-8 validation only
    // for the rare non-ASCII value.
    if !v.is_ascii() && std::str::from_utf8(v).is_err() {
        return Err(malformed(name, "value is not valid UTF-8"));
    }
    Ok(trim_ows(v))
}

/// Strips spaces and tabs at both ends.
pub(crate) fn trim_ows(v: &[u8]) -> &[u8] {
    let ows = |b: &u8| *b == b' ' || *b == b'\t';
    let start = v.iter().position(|b| !ows(b)).unwrap_or(v.len());
    let end = v.iter().rposition(|b| !ows(b)).map_or(start, |e| e + 1);
    &v[start..end]
}

/// Whether `v` holds a space, eight bytes at a time: a word XOR
/// `0x20..20` has a zero byte exactly where `v` has a space, and
/// `(x - 0x01..01) & !x & 0x80..80` is nonzero exactly when `x` has a zero
/// byte. The last partial word is read as the (overlapping) last eight
/// bytes, so only values shorter than a word are searched byte by byte.
#[inline]
pub(crate) fn has_space(v: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    let spaces = |w: &[u8; 8]| {
        let x = u64::from_ne_bytes(*w) ^ SPACES;
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let (words, rest) = v.as_chunks::<8>();
    let mut found = 0u64;
    for w in words {
        found |= spaces(w);
    }
    if !rest.is_empty() {
        match v.last_chunk::<8>() {
            Some(last) => found |= spaces(last),
            None => return rest.contains(&b' '),
        }
    }
    found != 0
}

/// Parses a unix timestamp written as plain ASCII digits (no sign, no
/// spaces, at most 18 digits so it cannot overflow), in one pass.
#[inline]
pub(crate) fn parse_timestamp(header: &str, text: &[u8]) -> Result<i64, VerifyError> {
    let bad = || {
        malformed(
            header,
            "timestamp must be a unix time in plain decimal digits",
        )
    };
    let digits = text;
    if digits.is_empty() || digits.len() > 18 {
        return Err(bad());
    }
    // Timestamps have 10 (seconds) or 13 (milliseconds) digits: the first
    // eight are checked and converted in one word.
    let (mut n, rest) = match digits.split_first_chunk::<8>() {
        Some((first, rest)) => (eight_digits(first).ok_or_else(bad)?, rest),
        None => (0, digits),
    };
    for &b in rest {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return Err(bad());
        }
        n = n * 10 + i64::from(d);
    }
    Ok(n)
}

/// The value of eight ASCII digits (first digit most significant), or
/// `None` if any byte is not `0`..=`9`. Read as a little-endian word:
/// every byte must be `0x30..=0x3F` and stay below `0x40` when 6 is added
/// (the first test rules out a carry between bytes in the second); then
/// pairs, quads and the two halves are combined with three multiplies.
fn eight_digits(chunk: &[u8; 8]) -> Option<i64> {
    const HIGH_NIBBLES: u64 = u64::from_ne_bytes([0xF0; 8]);
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    const SIXES: u64 = u64::from_ne_bytes([6; 8]);
    let x = u64::from_le_bytes(*chunk);
    if x & HIGH_NIBBLES != ZEROS || x.wrapping_add(SIXES) & HIGH_NIBBLES != ZEROS {
        return None;
    }
    let v = x - ZEROS;
    let v = (v.wrapping_mul(10 << 8 | 1) >> 8) & 0x00FF_00FF_00FF_00FF;
    let v = (v.wrapping_mul(100 << 16 | 1) >> 16) & 0x0000_FFFF_0000_FFFF;
    let v = v.wrapping_mul(10_000 << 32 | 1) >> 32;
    i64::try_from(v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots<'a>(h: &'a [(&'a str, &'a str)], names: &Names) -> Slots<'a> {
        gather(h, [Some(names), None, None], false)
    }

    #[test]
    fn single_rejects_duplicates_and_garbage() {
        let id = Names::one("webhook-id");
        let h = [("webhook-id", "a"), ("Webhook-Id", "a")];
        assert_eq!(
            slots(&h, &id)[0].single("webhook-id").unwrap_err().code(),
            "malformed_header"
        );
        let h = [("webhook-id", " a\t")];
        assert_eq!(
            slots(&h, &id)[0].single("webhook-id").unwrap(),
            Some(b"a".as_slice())
        );
        let ts = Names::one("webhook-timestamp");
        assert_eq!(slots(&h, &ts)[0].single("webhook-timestamp").unwrap(), None);
        let long = "x".repeat(MAX_HEADER_LEN + 1);
        let h = [("webhook-id", long.as_str())];
        assert_eq!(
            slots(&h, &id)[0].single("webhook-id").unwrap_err().code(),
            "malformed_header"
        );
        let h: [(&str, &[u8]); 1] = [("webhook-id", b"\xff")];
        let s = gather(&h, [Some(&id), None, None], false);
        assert_eq!(
            s[0].single("webhook-id").unwrap_err().code(),
            "malformed_header"
        );
    }

    #[test]
    fn gather_fills_primary_or_fallback_slots() {
        let sig = Names::twin("webhook-signature", "svix-signature");
        let ts = Names::twin("webhook-timestamp", "svix-timestamp");
        let h = [
            ("svix-signature", "v1,a"),
            ("Webhook-Timestamp", "1"),
            ("svix-signature", "v1,b"),
        ];
        let counts = |s: Slots<'_>| s.map(|s| s.count);
        assert_eq!(
            counts(gather(&h[..], [Some(&sig), Some(&ts), None], false)),
            [0, 1, 0]
        );
        let s = gather(&h[..], [Some(&sig), Some(&ts), None], true);
        assert_eq!(counts(s), [2, 0, 0]);
        assert_eq!(s[0].first, Some(b"v1,a".as_slice()));
    }

    #[test]
    fn checked_trims_and_validates() {
        assert_eq!(checked("h", b" \tv1,x \t").unwrap(), b"v1,x");
        assert_eq!(checked("h", b"  ").unwrap(), b"");
        assert_eq!(checked("h", "é".as_bytes()).unwrap(), "é".as_bytes());
        assert_eq!(
            checked("h", b"\xc3").unwrap_err().code(),
            "malformed_header"
        );
    }

    #[test]
    fn has_space_agrees_with_contains() {
        let mut inputs: Vec<Vec<u8>> = vec![b"".to_vec(), b" ".to_vec()];
        // A space (or a byte next to 0x20 in value) at every position of
        // values up to 40 bytes, over backgrounds that stress borrows.
        for len in 1..40 {
            for bg in [b'a', 0x00, 0xff, 0x21, 0x1f, 0xa0] {
                inputs.push(vec![bg; len]);
                for pos in 0..len {
                    for b in [b' ', 0x21, 0x1f, 0xa0] {
                        let mut v = vec![bg; len];
                        v[pos] = b;
                        inputs.push(v);
                    }
                }
            }
        }
        for v in &inputs {
            assert_eq!(has_space(v), v.contains(&b' '), "{v:?}");
        }
    }

    #[test]
    fn eight_digit_words_agree_with_digit_by_digit_parsing() {
        let naive = |t: &[u8]| -> Option<i64> {
            t.iter().try_fold(0i64, |n, &b| {
                b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
            })
        };
        let mut inputs: Vec<Vec<u8>> = vec![b"00000000".to_vec(), b"99999999".to_vec()];
        for seed in [b"16740872".to_vec(), b"09182736".to_vec()] {
            inputs.push(seed.clone());
            for pos in 0..8 {
                for b in [
                    0x00, b'/', b':', b'?', b'@', 0x3A, 0x3F, 0xFA, 0xFF, 0xB0, 0x39, 0x30,
                ] {
                    let mut v = seed.clone();
                    v[pos] = b;
                    inputs.push(v);
                }
            }
        }
        for v in &inputs {
            let word: &[u8; 8] = v.as_slice().try_into().unwrap();
            assert_eq!(eight_digits(word), naive(v), "{v:?}");
        }
        for len in 0..=18 {
            let text: Vec<u8> = (0..len).map(|i| b"1674087231987654"[i % 16]).collect();
            let parsed = parse_timestamp("t", &text).ok();
            assert_eq!(parsed, if len == 0 { None } else { naive(&text) }, "{len}");
        }
    }

    #[test]
    fn timestamps_are_plain_digits() {
        assert_eq!(parse_timestamp("t", b"1674087231").unwrap(), 1_674_087_231);
        for bad in ["", "-1", "+1", " 1", "1.5", "1e9", "9999999999999999999"] {
            assert!(parse_timestamp("t", bad.as_bytes()).is_err(), "{bad:?}");
        }
    }
}
