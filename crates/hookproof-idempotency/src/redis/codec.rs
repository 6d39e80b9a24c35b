//! Binary-safe encoding of a [`Record`] as a Redis string value.
//!
//! ```text
//! 'c' | version=1 | status: u16 BE | flags: u8 (1 = body, 2 = content type)
//!     | content-type length: u32 BE | content type bytes | body bytes (rest)
//! ```

use bytes::Bytes;

use super::scripts::COMPLETED_TAG;
use crate::{Record, StoreError};

const VERSION: u8 = 1;
const HAS_BODY: u8 = 1;
const HAS_CONTENT_TYPE: u8 = 2;
const HEADER_LEN: usize = 1 + 1 + 2 + 1 + 4;

/// Encode a record, tag included.
pub(super) fn encode(record: &Record) -> Vec<u8> {
    let ct = record.content_type.as_deref().unwrap_or("").as_bytes();
    let mut out = Vec::with_capacity(HEADER_LEN + ct.len() + record.body_len());
    out.push(COMPLETED_TAG);
    out.push(VERSION);
    out.extend_from_slice(&record.status.to_be_bytes());
    let mut flags = 0;
    if record.body.is_some() {
        flags |= HAS_BODY;
    }
    if record.content_type.is_some() {
        flags |= HAS_CONTENT_TYPE;
    }
    out.push(flags);
    // Content types are short header values; a length beyond u32 cannot occur
    // for a record that passed the body limit, but saturate rather than panic.
    let ct_len = u32::try_from(ct.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&ct_len.to_be_bytes());
    out.extend_from_slice(ct);
    if let Some(body) = &record.body {
        out.extend_from_slice(body);
    }
    out
}

/// Decode a value written by [`encode`] (tag included).
pub(super) fn decode(value: &[u8]) -> Result<Record, StoreError> {
    let corrupt = |message: &str| StoreError::Corrupt {
        message: message.to_owned(),
    };
    if value.len() < HEADER_LEN || value[0] != COMPLETED_TAG {
        return Err(corrupt("completed value is too short or has no 'c' tag"));
    }
    if value[1] != VERSION {
        return Err(corrupt("unknown record format version"));
    }
    let status = u16::from_be_bytes([value[2], value[3]]);
    let flags = value[4];
    if flags & !(HAS_BODY | HAS_CONTENT_TYPE) != 0 {
        return Err(corrupt("unknown record flags"));
    }
    let ct_len = u32::from_be_bytes([value[5], value[6], value[7], value[8]]);
    let rest = &value[HEADER_LEN..];
    let ct_len = usize::try_from(ct_len)
        .ok()
        .filter(|n| *n <= rest.len())
        .ok_or_else(|| corrupt("content-type length exceeds the value"))?;
    let (ct, body) = rest.split_at(ct_len);
    let content_type = if flags & HAS_CONTENT_TYPE != 0 {
        Some(
            std::str::from_utf8(ct)
                .map_err(|_| corrupt("content type is not UTF-8"))?
                .to_owned(),
        )
    } else if ct.is_empty() {
        None
    } else {
        return Err(corrupt("content-type bytes without the flag"));
    };
    let body = if flags & HAS_BODY != 0 {
        Some(Bytes::copy_from_slice(body))
    } else if body.is_empty() {
        None
    } else {
        return Err(corrupt("body bytes without the flag"));
    };
    Ok(Record {
        status,
        body,
        content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_shape() {
        let records = [
            Record::new(204),
            Record::new(200).with_body("application/json", "{}"),
            Record::new(500).with_body("", Bytes::from_static(b"\x00\xff\x00")),
            Record {
                status: 299,
                body: Some(Bytes::new()),
                content_type: None,
            },
            Record {
                status: 418,
                body: None,
                content_type: Some("text/plain; charset=utf-8".into()),
            },
        ];
        for r in records {
            assert_eq!(decode(&encode(&r)).expect("decode"), r);
        }
    }

    #[test]
    fn rejects_garbage_with_a_typed_error() {
        let good = encode(&Record::new(200).with_body("text/plain", "ok"));
        let mut bad_version = good.clone();
        bad_version[1] = 9;
        let mut bad_len = good.clone();
        bad_len[5] = 0xff;
        let mut bad_flags = good.clone();
        bad_flags[4] = 0x80;
        let mut no_body_flag = good.clone();
        no_body_flag[4] = HAS_CONTENT_TYPE;
        for bad in [
            &b""[..],
            b"c",
            b"x\x01\x00\xc8\x00\x00\x00\x00\x00",
            &bad_version,
            &bad_len,
            &bad_flags,
            &no_body_flag,
        ] {
            assert_eq!(decode(bad).expect_err("corrupt").code(), "corrupt_record");
        }
    }
}
