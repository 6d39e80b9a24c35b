//! Verification: the body-free checks shared by HMAC and Ed25519
//! ([`prepare`]), and the HMAC comparison over the signed content.

use std::time::{Duration, SystemTime};

use hmac::digest::CtOutput;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::candidates::Candidates;
use super::freshness::{self, Stale};
use super::parse::{Parsed, parse};
use crate::schemes::spec::{Format, Spec};
use crate::{Encoding, Headers, Part, TimestampUnit, Verified, VerifyError};

/// A pre-keyed HMAC state; cloned per verification so the key schedule
/// runs once per secret, not once per request. With the `zeroize`
/// features of `hmac` and `sha2` (enabled by this crate) the inner and
/// outer hash states and the block buffer are zeroized when a key, or a
/// per-delivery clone of it, is dropped.
pub(crate) type HmacKey = Hmac<Sha256>;

/// Parses the headers into `candidates` and runs every check that needs no
/// body, in the order verification runs them: header syntax ([`parse`]),
/// a signature of the checked version present, the timestamp within
/// `tolerance` of `now`, and at least one candidate that decodes to a tag.
/// [`Verifier::precheck_at`](crate::Verifier::precheck_at) is exactly this;
/// verification is this followed by the cryptography, so both refuse a
/// delivery with the same error whenever this one refuses it.
#[inline]
pub(crate) fn prepare<'a, const N: usize, H: Headers + ?Sized>(
    spec: &'a Spec,
    headers: &'a H,
    candidates: &mut Candidates<N>,
    now: SystemTime,
    tolerance: Duration,
) -> Result<Parsed<'a>, VerifyError> {
    let parsed = parse(spec, headers, candidates)?;
    if parsed.supported == 0 {
        return Err(VerifyError::NoSupportedSignature {
            header: parsed.sig_header.to_owned(),
            expected: expected_entry(spec),
        });
    }
    fresh(spec, &parsed, now, tolerance)?;
    // Entries of the checked version that cannot be a tag (truncated, not
    // hex/base64) never match, whatever the body: a mismatch already.
    if candidates.is_empty() {
        return Err(mismatch(&parsed));
    }
    Ok(parsed)
}

/// The timestamp check of [`prepare`], alone: run again by
/// [`Prechecked::verify_at`](crate::Prechecked::verify_at) once the body has
/// arrived, since reading it takes time.
#[inline]
pub(crate) fn fresh(
    spec: &Spec,
    parsed: &Parsed<'_>,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    let Some(ts) = parsed.ts else {
        return Ok(());
    };
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
    })
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

/// The mismatch error: names the header and how many signatures it held
/// (the request's own content), never anything about the secrets.
pub(crate) fn mismatch(parsed: &Parsed<'_>) -> VerifyError {
    VerifyError::SignatureMismatch {
        header: parsed.sig_header.to_owned(),
        candidates: parsed.supported,
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
    let mut candidates = Candidates::<32>::new();
    let parsed = prepare(spec, headers, &mut candidates, now, tolerance)?;
    check_tags(spec, keys, &parsed, &candidates, body)
}

/// The cryptography after [`prepare`]: each key's tag over the signed
/// content, compared with every candidate.
pub(crate) fn check_tags(
    spec: &Spec,
    keys: &[HmacKey],
    parsed: &Parsed<'_>,
    candidates: &Candidates<32>,
    body: &[u8],
) -> Result<Verified, VerifyError> {
    for (index, key) in keys.iter().enumerate() {
        // The computed tag stays inside `CtOutput`, which zeroizes it on drop.
        let tag = tag(key, &spec.content, parsed.id, parsed.ts_text, body);
        if candidates.matches(tag.as_bytes()) {
            return Ok(verified(spec, parsed, index));
        }
    }
    Err(mismatch(parsed))
}

/// Feeds the signed content, part by part, into a clone of `key`.
pub(crate) fn tag(
    key: &HmacKey,
    content: &[Part],
    id: Option<&[u8]>,
    ts: Option<&[u8]>,
    body: &[u8],
) -> CtOutput<HmacKey> {
    let mut mac = key.clone();
    for part in content {
        match part {
            Part::Id => mac.update(id.unwrap_or_default()),
            Part::Timestamp => mac.update(ts.unwrap_or_default()),
            Part::Body => mac.update(body),
            Part::Literal(s) => mac.update(s.as_bytes()),
        }
    }
    mac.finalize()
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

#[cfg(test)]
mod tests {
    use hmac::EagerHash;
    use hmac::digest::zeroize::ZeroizeOnDrop;

    use super::*;

    fn zeroized_on_drop<T: ZeroizeOnDrop>() {}

    /// Compiles only with the `zeroize` features on: the SHA-256 core type
    /// HMAC keeps twice (keyed inner and outer state) wipes itself on drop,
    /// and so does the computed tag.
    #[test]
    fn keyed_states_and_tags_are_zeroized_on_drop() {
        zeroized_on_drop::<<Sha256 as EagerHash>::Core>();
        zeroized_on_drop::<Sha256>();
        zeroized_on_drop::<CtOutput<HmacKey>>();
    }
}
