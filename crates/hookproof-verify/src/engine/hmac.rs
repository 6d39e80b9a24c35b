//! The HMAC-SHA256 engine: parses headers as a [`Spec`] says, checks
//! freshness, and compares pre-keyed HMACs over the signed content.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::candidates::Candidates;
use super::freshness::{self, Stale};
use super::read::{self, Slot, malformed, missing};
use crate::schemes::spec::{Format, Spec};
use crate::{Encoding, Headers, Part, TimestampUnit, Verified, VerifyError};

/// A pre-keyed HMAC state; cloned per verification so the key schedule
/// runs once per secret, not once per request.
pub(crate) type HmacKey = Hmac<Sha256>;

/// Headers of one delivery, parsed per the scheme.
pub(crate) struct Parsed<'a> {
    /// The id as received (checked UTF-8).
    pub(crate) id: Option<&'a [u8]>,
    /// The timestamp as received (validated ASCII digits once `ts` is set).
    pub(crate) ts_text: Option<&'a [u8]>,
    pub(crate) ts: Option<i64>,
    pub(crate) ts_header: &'a str,
    pub(crate) sig_header: &'a str,
    /// Entries of the checked version (decodable or not).
    pub(crate) supported: usize,
}

/// Reads and parses every header the scheme needs into `candidates` (the
/// caller's stack buffer, so it is never moved); no cryptography yet.
pub(crate) fn parse<'a, const N: usize, H: Headers + ?Sized>(
    spec: &'a Spec,
    headers: &'a H,
    candidates: &mut Candidates<'a, N>,
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
            let id = slots[2].single(name)?;
            if id.is_none() && spec.content.contains(&Part::Id) {
                return Err(missing(name));
            }
            id
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
    candidates: &'c mut Candidates<'a, N>,
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

/// A value [`read::checked`] accepted, as `&str`.
fn as_str<'a>(name: &str, value: &'a [u8]) -> Result<&'a str, VerifyError> {
    std::str::from_utf8(value).map_err(|_| malformed(name, "value is not valid UTF-8"))
}

/// Checks the candidate count and the timestamp; shared by HMAC and Ed25519.
#[inline]
pub(crate) fn precheck(
    spec: &Spec,
    parsed: &Parsed<'_>,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    if parsed.supported == 0 {
        return Err(VerifyError::NoSupportedSignature {
            header: parsed.sig_header.to_owned(),
            expected: expected_entry(spec),
        });
    }
    if let Some(ts) = parsed.ts {
        freshness::check(ts, spec.unit, now, tolerance).map_err(|stale| {
            let header = parsed.ts_header.to_owned();
            let tolerance_secs = tolerance.as_secs();
            match stale {
                Stale::TooOld { skew_secs } => VerifyError::TimestampTooOld {
                    header,
                    skew_secs,
                    tolerance_secs,
                },
                Stale::InFuture { skew_secs } => VerifyError::TimestampInFuture {
                    header,
                    skew_secs,
                    tolerance_secs,
                },
            }
        })?;
    }
    Ok(())
}

/// Builds the [`Verified`] result.
pub(crate) fn verified(spec: &Spec, parsed: &Parsed<'_>, key_index: usize) -> Verified {
    Verified {
        id: parsed.id.map(crate::DeliveryId::from_checked),
        timestamp: parsed.ts.map(|t| match spec.unit {
            TimestampUnit::Seconds => t,
            TimestampUnit::Millis => t.div_euclid(1000),
        }),
        scheme: spec.name.clone(),
        key_index,
    }
}

pub(crate) fn mismatch(parsed: &Parsed<'_>, secrets: usize) -> VerifyError {
    VerifyError::SignatureMismatch {
        header: parsed.sig_header.to_owned(),
        candidates: parsed.supported,
        secrets,
    }
}

/// Verifies a delivery against pre-keyed HMAC states.
pub(crate) fn verify<H: Headers + ?Sized>(
    spec: &Spec,
    keys: &[HmacKey],
    headers: &H,
    body: &[u8],
    now: SystemTime,
    tolerance: Duration,
) -> Result<Verified, VerifyError> {
    let mut candidates = Candidates::<32>::for_tag(spec.encoding);
    let parsed = parse(spec, headers, &mut candidates)?;
    precheck(spec, &parsed, now, tolerance)?;
    if !candidates.is_empty() {
        for (index, key) in keys.iter().enumerate() {
            let tag = tag(key, &spec.content, parsed.id, parsed.ts_text, body);
            if candidates.matches(&tag) {
                return Ok(verified(spec, &parsed, index));
            }
        }
    }
    Err(mismatch(&parsed, keys.len()))
}

/// Feeds the signed content, part by part, into a clone of `key`.
pub(crate) fn tag(
    key: &HmacKey,
    content: &[Part],
    id: Option<&[u8]>,
    ts: Option<&[u8]>,
    body: &[u8],
) -> [u8; 32] {
    let mut mac = key.clone();
    for part in content {
        match part {
            Part::Id => mac.update(id.unwrap_or_default()),
            Part::Timestamp => mac.update(ts.unwrap_or_default()),
            Part::Body => mac.update(body),
            Part::Literal(s) => mac.update(s.as_bytes()),
        }
    }
    mac.finalize().into_bytes().into()
}

/// What a supported entry looks like, for error messages.
pub(crate) fn expected_entry(spec: &Spec) -> String {
    let enc = match spec.encoding {
        Encoding::Hex => "<hex>",
        Encoding::Base64 => "<base64>",
    };
    match &spec.format {
        Format::Plain { prefix } => format!("{prefix}{enc}"),
        Format::VersionedList { version } => format!("{version},{enc}"),
        Format::KeyValue { signature_key, .. } => format!("{signature_key}={enc}"),
    }
}

/// Timestamp text in the scheme's unit, from unix seconds.
pub(crate) fn timestamp_text(unit: TimestampUnit, ts: i64) -> String {
    match unit {
        TimestampUnit::Seconds => ts.to_string(),
        TimestampUnit::Millis => (i128::from(ts) * 1000).to_string(),
    }
}

/// Encodes signature bytes as the scheme writes them.
pub(crate) fn encode(encoding: Encoding, tag: &[u8]) -> String {
    match encoding {
        Encoding::Hex => hex::encode(tag),
        Encoding::Base64 => STANDARD.encode(tag),
    }
}

/// Assembles the headers a sender of `spec` sends, given encoded signatures.
pub(crate) fn headers_for(
    spec: &Spec,
    id: &str,
    ts_text: &str,
    sigs: &[String],
) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(3);
    if let Some(names) = &spec.id {
        out.push((names.primary.to_string(), id.to_owned()));
    }
    if let Some(names) = &spec.timestamp {
        out.push((names.primary.to_string(), ts_text.to_owned()));
    }
    let value = match &spec.format {
        Format::Plain { prefix } => sigs
            .iter()
            .map(|s| format!("{prefix}{s}"))
            .collect::<Vec<_>>()
            .join(" "),
        Format::VersionedList { version } => sigs
            .iter()
            .map(|s| format!("{version},{s}"))
            .collect::<Vec<_>>()
            .join(" "),
        Format::KeyValue {
            timestamp_key,
            signature_key,
        } => {
            let mut v = format!("{timestamp_key}={ts_text}");
            for s in sigs {
                v.push_str(&format!(",{signature_key}={s}"));
            }
            v
        }
    };
    out.push((spec.signature.primary.to_string(), value));
    out
}

/// Signs like the real sender: one signature per key.
pub(crate) fn sign(
    spec: &Spec,
    keys: &[HmacKey],
    id: &str,
    ts: i64,
    body: &[u8],
) -> Vec<(String, String)> {
    let ts_text = timestamp_text(spec.unit, ts);
    let sigs: Vec<String> = keys
        .iter()
        .map(|k| {
            encode(
                spec.encoding,
                &tag(
                    k,
                    &spec.content,
                    Some(id.as_bytes()),
                    Some(ts_text.as_bytes()),
                    body,
                ),
            )
        })
        .collect();
    headers_for(spec, id, &ts_text, &sigs)
}

#[cfg(test)]
mod tests {
    use super::{trim_item, versioned};

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
