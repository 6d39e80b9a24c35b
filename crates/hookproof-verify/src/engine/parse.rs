//! Header parsing: reads the headers a [`Spec`] names (bounded, once) and
//! decodes the signature candidates into the caller's buffer. No
//! cryptography and no clock here.

use super::candidates::Candidates;
use super::read::{self, Slot, malformed, missing};
use crate::schemes::spec::{Format, Spec};
use crate::{Headers, Part, VerifyError};

/// Headers of one delivery, parsed per the scheme.
pub(crate) struct Parsed<'a> {
    /// The id as received (checked UTF-8, not blank).
    pub(crate) id: Option<&'a [u8]>,
    /// The timestamp as received (validated ASCII digits once `ts` is set).
    pub(crate) ts_text: Option<&'a [u8]>,
    pub(crate) ts: Option<i64>,
    pub(crate) ts_header: &'a str,
    pub(crate) sig_header: &'a str,
    /// Entries of the checked version (decodable or not).
    pub(crate) supported: usize,
}

/// Reads and parses every header the scheme needs, decoding signatures
/// into `candidates` (the caller's buffer: on the stack for `verify_at`,
/// boxed inside a [`Prechecked`](crate::Prechecked)).
/// Checks, in this order: the signature header (present, bounded, UTF-8,
/// syntax, at most [`MAX_SIGNATURES`](super::MAX_SIGNATURES) entries), the
/// timestamp (present, plain digits), the id (single, bounded, UTF-8, not
/// blank; present when signed). Allocates only for an error.
pub(crate) fn parse<'a, const N: usize, H: Headers + ?Sized>(
    spec: &'a Spec,
    headers: &'a H,
    candidates: &mut Candidates<N>,
) -> Result<Parsed<'a>, VerifyError> {
    // One look at the headers for every name the scheme reads. Family
    // choice (Standard Webhooks' `svix-` twins): the family whose signature
    // header is present supplies all three headers.
    let groups = [
        Some(&spec.signature),
        spec.timestamp.as_ref(),
        spec.id.as_ref(),
    ];
    let mut slots = read::gather(headers, groups, false);
    let mut use_fallback = false;
    if slots[0].count == 0 && spec.signature.fallback.is_some() {
        let fallback = read::gather(headers, groups, true);
        if fallback[0].count > 0 {
            slots = fallback;
            use_fallback = true;
        }
    }
    let sig_header = spec.signature.pick(use_fallback);
    let mut sigs = Signatures {
        candidates,
        ts_text: None,
    };
    match slots[0] {
        Slot { count: 0, .. } | Slot { first: None, .. } => return Err(missing(sig_header)),
        // The usual single value is already at hand; several values are
        // read again, in order.
        Slot {
            count: 1,
            first: Some(raw),
        } => parse_value(spec, sig_header, raw, 1, &mut sigs)?,
        _ => {
            read_signatures(spec, headers, use_fallback, &mut sigs)?;
        }
    }
    let supported = sigs.candidates.supported;
    let mut ts_text = sigs.ts_text;
    let mut ts_header: &'a str = "";
    if let Format::KeyValue { .. } = spec.format {
        ts_header = sig_header;
        if ts_text.is_none() {
            return Err(malformed(
                sig_header,
                "no timestamp (`t=`) in the signature header",
            ));
        }
    }

    if let Some(names) = &spec.timestamp {
        let name = names.pick(use_fallback);
        ts_header = name;
        // Checked as bytes: `parse_timestamp` accepts ASCII digits only.
        let raw = slots[1].single_raw(name)?.ok_or_else(|| missing(name))?;
        ts_text = Some(read::checked(name, raw)?);
    }
    let ts = match ts_text {
        Some(t) => Some(read::parse_timestamp(ts_header, t)?),
        None => None,
    };

    let id = match &spec.id {
        Some(names) => {
            let name = names.pick(use_fallback);
            match slots[2].single(name)? {
                Some(id) if is_blank(id) => {
                    return Err(VerifyError::InvalidDeliveryId {
                        header: name.to_owned(),
                        reason: "empty or only whitespace",
                    });
                }
                None if spec.content.contains(&Part::Id) => return Err(missing(name)),
                id => id,
            }
        }
        None => None,
    };

    Ok(Parsed {
        id,
        ts_text,
        ts,
        ts_header,
        sig_header,
        supported,
    })
}

/// Signatures (and, for key-value formats, the timestamp) read so far.
struct Signatures<'a, 'c, const N: usize> {
    candidates: &'c mut Candidates<N>,
    ts_text: Option<&'a [u8]>,
}

/// Parses every value of the signature header `name` straight into the
/// candidate buffers; returns how many values there were.
fn read_signatures<'a, const N: usize, H: Headers + ?Sized>(
    spec: &Spec,
    headers: &'a H,
    use_fallback: bool,
    out: &mut Signatures<'a, '_, N>,
) -> Result<usize, VerifyError> {
    let name = spec.signature.pick(use_fallback);
    let mut values = 0usize;
    let mut err = None;
    spec.signature.visit(headers, use_fallback, &mut |raw| {
        if err.is_none() {
            values += 1;
            if let Err(e) = parse_value(spec, name, raw, values, out) {
                err = Some(e);
            }
        }
    });
    match err {
        Some(e) => Err(e),
        None => Ok(values),
    }
}

fn parse_value<'a, const N: usize>(
    spec: &Spec,
    name: &str,
    raw: &'a [u8],
    nth: usize,
    out: &mut Signatures<'a, '_, N>,
) -> Result<(), VerifyError> {
    let value = read::checked(name, raw)?;
    let too_many = |_| malformed(name, "more than 16 signatures");
    let candidates = &mut *out.candidates;
    match &spec.format {
        Format::Plain { prefix } => {
            // `str::trim` also strips Unicode whitespace; keep that rule.
            let v = as_str(name, value)?.trim();
            if !v.is_empty() {
                match v.strip_prefix(prefix.as_ref()) {
                    Some(sig) => candidates
                        .push(sig.as_bytes(), spec.encoding)
                        .map_err(too_many)?,
                    None => candidates.other().map_err(too_many)?,
                }
            }
        }
        Format::VersionedList { version } => {
            // Split on ASCII bytes: no UTF-8 decoding needed (`checked`
            // validated the value).
            let version = version.as_bytes();
            let mut entry = |entry: &'a [u8]| match versioned(entry, version) {
                Some(sig) => candidates.push(sig, spec.encoding),
                None => candidates.other(),
            };
            // The usual single entry: a word-wise search for a space is
            // cheaper than splitting byte by byte.
            if !read::has_space(value) {
                if !value.is_empty() {
                    entry(value).map_err(too_many)?;
                }
            } else {
                for e in value.split(|b| *b == b' ').filter(|e| !e.is_empty()) {
                    entry(e).map_err(too_many)?;
                }
            }
        }
        Format::KeyValue {
            timestamp_key,
            signature_key,
        } => {
            if nth > 1 {
                return Err(malformed(
                    name,
                    "given more than once; which timestamp is meant is ambiguous",
                ));
            }
            // Split on ASCII bytes: `checked` validated the UTF-8, and a
            // piece of valid UTF-8 cut at an ASCII byte is valid UTF-8.
            let (timestamp_key, signature_key) =
                (timestamp_key.as_bytes(), signature_key.as_bytes());
            for item in value.split(|b| *b == b',') {
                let item = trim_item(item);
                let pair = item
                    .iter()
                    .position(|b| *b == b'=')
                    .map(|at| (&item[..at], &item[at + 1..]));
                match pair {
                    Some((k, v)) if k == timestamp_key => {
                        if out.ts_text.replace(v).is_some() {
                            return Err(malformed(name, "timestamp key given more than once"));
                        }
                    }
                    Some((k, v)) if k == signature_key => {
                        candidates.push(v, spec.encoding).map_err(too_many)?
                    }
                    _ if item.is_empty() => {}
                    _ => candidates.other().map_err(too_many)?,
                }
            }
        }
    }
    Ok(())
}

/// `str::trim` of one `key=value` item, on bytes: an ASCII item (the usual
/// case) loses its ASCII whitespace at both ends (what `str::trim` strips
/// there, vertical tab included); any other goes through `str::trim`, which
/// also strips Unicode whitespace. `item` is valid UTF-8 (see the caller).
fn trim_item(item: &[u8]) -> &[u8] {
    // The usual item starts and ends with a visible ASCII character: there
    // is nothing to trim whatever lies between.
    let visible = |b: Option<&u8>| b.is_some_and(|b| *b > b' ' && *b < 0x7F);
    if visible(item.first()) && visible(item.last()) {
        return item;
    }
    if item.is_ascii() {
        let ws = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
        let start = item.iter().position(|b| !ws(b)).unwrap_or(item.len());
        let end = item.iter().rposition(|b| !ws(b)).map_or(start, |e| e + 1);
        &item[start..end]
    } else {
        std::str::from_utf8(item).map_or(item, |s| s.trim().as_bytes())
    }
}

/// The signature of a `version,signature` entry when the part before the
/// entry's first comma is `version` (a built-in version tag, `v1` or
/// `v1a`, which has no comma itself). The tag is two or three bytes:
/// compared byte by byte, which is cheaper than a `memcmp` call.
fn versioned<'a>(entry: &'a [u8], version: &[u8]) -> Option<&'a [u8]> {
    let (head, rest) = entry.split_at_checked(version.len())?;
    let same = head.iter().zip(version).all(|(a, b)| a == b);
    match rest {
        [b',', sig @ ..] if same => Some(sig),
        _ => None,
    }
}

/// Whether a delivery id (as [`read::checked`] returns it: UTF-8, spaces
/// and tabs trimmed) is empty or only whitespace. The usual id starts with
/// a visible ASCII character and is decided by that byte alone.
fn is_blank(id: &[u8]) -> bool {
    match id.first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => std::str::from_utf8(id).is_ok_and(|s| s.trim().is_empty()),
    }
}

/// A value [`read::checked`] accepted, as `&str`.
fn as_str<'a>(name: &str, value: &'a [u8]) -> Result<&'a str, VerifyError> {
    std::str::from_utf8(value).map_err(|_| malformed(name, "value is not valid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::{is_blank, trim_item, versioned};

    #[test]
    fn blank_ids_are_empty_or_whitespace_only() {
        for blank in ["", " ", "\t", "\u{0B}", "\u{A0}", "\u{3000}", " \u{2003}\t"] {
            assert!(is_blank(blank.as_bytes()), "{blank:?}");
        }
        for id in ["a", "0", " a", "\u{3000}x", "évt", "-", "a b", "\u{1F}"] {
            assert!(!is_blank(id.as_bytes()), "{id:?}");
        }
    }

    #[test]
    fn trim_item_is_str_trim() {
        let cases = [
            "",
            " ",
            "v1=abc",
            " \tv1=abc \r\n",
            "\u{0B}t=1\u{0C}",
            "\u{A0}v1=abc\u{3000}",
            "\u{2028} t=5 \u{85}",
            "é=1 ",
            " =",
            "\u{1F}x\u{1F}",
        ];
        for case in cases {
            assert_eq!(
                trim_item(case.as_bytes()),
                case.trim().as_bytes(),
                "{case:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn trim_item_agrees_with_str_trim(s in "[ \\t\\n\u{0B}\u{0C}\r\u{A0}\u{2003}a=,é\u{1F}]{0,12}") {
            proptest::prop_assert_eq!(trim_item(s.as_bytes()), s.trim().as_bytes());
        }
    }

    #[test]
    fn versioned_takes_the_signature_of_the_exact_version_only() {
        assert_eq!(versioned(b"v1,abc=", b"v1"), Some(&b"abc="[..]));
        assert_eq!(versioned(b"v1,", b"v1"), Some(&b""[..]));
        assert_eq!(versioned(b"v1a,abc", b"v1a"), Some(&b"abc"[..]));
        for other in [
            &b"v1a,abc"[..],
            b"v2,abc",
            b"V1,abc",
            b"v1",
            b"v",
            b"",
            b"v1;abc",
        ] {
            assert_eq!(versioned(other, b"v1"), None, "{other:?}");
        }
        assert_eq!(versioned(b"v1,abc", b"v1a"), None);
    }
}
