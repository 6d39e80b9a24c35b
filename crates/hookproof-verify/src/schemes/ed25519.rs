//! Standard Webhooks v1a: Ed25519 signatures over `{id}.{timestamp}.{body}`,
//! `v1a,<base64 of 64 bytes>` entries in the same `webhook-signature` header
//! as v1. Public keys are `whpk_<base64 32 bytes>`, signing keys
//! `whsk_<base64>` (32-byte seed, or 64-byte seed‖public keypair).
//! Verification streams the signed content into the verifier (no copy of
//! the body); signing assembles the message once.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

use super::spec::{Format, Names, Spec};
use super::standard;
use crate::engine::candidates::Candidates;
use crate::engine::parse::Parsed;
use crate::engine::sign::{encode, headers_for, timestamp_text};
use crate::engine::verify::{mismatch, prepare, verified};
use crate::{
    ConfigError, Encoding, Headers, Part, Secret, SecretKind, TimestampUnit, Verified, VerifyError,
};

pub(crate) static SPEC: Spec = Spec {
    name: crate::SchemeName::from_static("standard-ed25519"),
    signature: Names::twin("webhook-signature", "svix-signature"),
    id: Some(Names::twin("webhook-id", "svix-id")),
    timestamp: Some(Names::twin("webhook-timestamp", "svix-timestamp")),
    unit: TimestampUnit::Seconds,
    format: Format::VersionedList {
        version: Cow::Borrowed("v1a"),
    },
    encoding: Encoding::Base64,
    content: Cow::Borrowed(standard::CONTENT),
};

fn mismatch_cfg(expected: &'static str) -> ConfigError {
    ConfigError::KeyTypeMismatch {
        scheme: "standard-ed25519".to_owned(),
        expected,
    }
}

fn seed(secret: &Secret) -> Option<[u8; 32]> {
    secret.expose().try_into().ok()
}

pub(crate) fn verifying_keys(secrets: &[Secret]) -> Result<Vec<VerifyingKey>, ConfigError> {
    let expected = "an Ed25519 key (whpk_ public key or whsk_ signing key)";
    secrets
        .iter()
        .map(|s| {
            let bytes = seed(s).ok_or_else(|| mismatch_cfg(expected))?;
            match s.kind() {
                SecretKind::Ed25519Public => {
                    VerifyingKey::from_bytes(&bytes).map_err(|_| mismatch_cfg(expected))
                }
                SecretKind::Ed25519Signing => Ok(SigningKey::from_bytes(&bytes).verifying_key()),
                _ => Err(mismatch_cfg(expected)),
            }
        })
        .collect()
}

pub(crate) fn signing_keys(secrets: &[Secret]) -> Result<Vec<SigningKey>, ConfigError> {
    let expected = "an Ed25519 signing key (whsk_)";
    secrets
        .iter()
        .map(|s| match (s.kind(), seed(s)) {
            (SecretKind::Ed25519Signing, Some(bytes)) => Ok(SigningKey::from_bytes(&bytes)),
            _ => Err(mismatch_cfg(expected)),
        })
        .collect()
}

/// Verifies a v1a delivery: every `v1a` candidate against every key.
pub(crate) fn verify<H: Headers + ?Sized>(
    keys: &[VerifyingKey],
    headers: &H,
    body: &[u8],
    now: SystemTime,
    tolerance: Duration,
) -> Result<Verified, VerifyError> {
    let mut candidates = Candidates::<64>::new();
    let parsed = prepare(&SPEC, headers, &mut candidates, now, tolerance)?;
    check_signatures(keys, &parsed, &candidates, body)
}

/// The cryptography after `prepare`: streams the signed content into each
/// key's verifier for each candidate signature.
pub(crate) fn check_signatures(
    keys: &[VerifyingKey],
    parsed: &Parsed<'_>,
    candidates: &Candidates<64>,
    body: &[u8],
) -> Result<Verified, VerifyError> {
    let id = parsed.id.unwrap_or_default();
    let ts = parsed.ts_text.unwrap_or_default();
    for (index, key) in keys.iter().enumerate() {
        for candidate in candidates.tags() {
            let Ok(mut stream) = key.verify_stream(&Signature::from_bytes(candidate)) else {
                continue;
            };
            for part in SPEC.content.iter() {
                match part {
                    Part::Id => stream.update(id),
                    Part::Timestamp => stream.update(ts),
                    Part::Body => stream.update(body),
                    Part::Literal(s) => stream.update(s.as_bytes()),
                }
            }
            if stream.finalize_and_verify().is_ok() {
                return Ok(verified(&SPEC, parsed, index));
            }
        }
    }
    Err(mismatch(parsed))
}

pub(crate) fn sign(keys: &[SigningKey], id: &str, ts: i64, body: &[u8]) -> Vec<(String, String)> {
    let ts_text = timestamp_text(TimestampUnit::Seconds, ts);
    let mut message = Vec::with_capacity(id.len() + ts_text.len() + body.len() + 2);
    message.extend_from_slice(id.as_bytes());
    message.push(b'.');
    message.extend_from_slice(ts_text.as_bytes());
    message.push(b'.');
    message.extend_from_slice(body);
    let sigs: Vec<String> = keys
        .iter()
        .map(|k| encode(Encoding::Base64, &k.sign(&message).to_bytes()))
        .collect();
    headers_for(&SPEC, id, &ts_text, &sigs)
}
