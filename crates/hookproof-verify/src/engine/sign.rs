//! Signing: the headers a scheme's sender sends for one delivery. Not on
//! the verify path; the signatures it encodes are sent in the clear.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::verify::{HmacKey, tag};
use crate::schemes::spec::{Format, Spec};
use crate::{Encoding, TimestampUnit};

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
                tag(
                    k,
                    &spec.content,
                    Some(id.as_bytes()),
                    Some(ts_text.as_bytes()),
                    body,
                )
                .as_bytes(),
            )
        })
        .collect();
    headers_for(spec, id, &ts_text, &sigs)
}
