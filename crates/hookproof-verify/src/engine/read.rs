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

/// Returns the single value of `name`: `None` when absent, an error when
/// given more than once (ambiguous), too long or not UTF-8.
pub(crate) fn single<'a, H: Headers + ?Sized>(
    headers: &'a H,
    names: &Names,
    use_fallback: bool,
) -> Result<Option<&'a str>, VerifyError> {
    let name = names.pick(use_fallback);
    let mut first: Option<&'a [u8]> = None;
    let mut count = 0usize;
    names.visit(headers, use_fallback, &mut |v| {
        count += 1;
        if first.is_none() {
            first = Some(v);
        }
    });
    match (count, first) {
        (0, _) | (_, None) => Ok(None),
        (1, Some(v)) => checked(name, v).map(Some),
        _ => Err(malformed(
            name,
            "given more than once; which value is meant is ambiguous",
        )),
    }
}

/// Checks a header value's length and UTF-8, and strips optional
/// whitespace (spaces and tabs) around it, which RFC 9110 says is not part
/// of the value (hand-built header lists may keep it).
pub(crate) fn checked<'a>(name: &str, v: &'a [u8]) -> Result<&'a str, VerifyError> {
    if v.len() > MAX_HEADER_LEN {
        return Err(malformed(name, "value longer than the 4096-byte limit"));
    }
    let s = std::str::from_utf8(v).map_err(|_| malformed(name, "value is not valid UTF-8"))?;
    Ok(s.trim_matches([' ', '\t']))
}

/// Parses a unix timestamp written as plain ASCII digits (no sign, no
/// spaces, at most 18 digits so it cannot overflow).
pub(crate) fn parse_timestamp(header: &str, text: &str) -> Result<i64, VerifyError> {
    if text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(
            header,
            "timestamp must be a unix time in plain decimal digits",
        ));
    }
    text.parse()
        .map_err(|_| malformed(header, "timestamp out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_rejects_duplicates_and_garbage() {
        let id = Names::one("webhook-id");
        let h = [("webhook-id", "a"), ("Webhook-Id", "a")];
        assert_eq!(
            single(&h, &id, false).unwrap_err().code(),
            "malformed_header"
        );
        let h = [("webhook-id", "a")];
        assert_eq!(single(&h, &id, false).unwrap(), Some("a"));
        assert_eq!(
            single(&h, &Names::one("webhook-timestamp"), false).unwrap(),
            None
        );
        let long = "x".repeat(MAX_HEADER_LEN + 1);
        let h = [("webhook-id", long.as_str())];
        assert_eq!(
            single(&h, &id, false).unwrap_err().code(),
            "malformed_header"
        );
    }

    #[test]
    fn timestamps_are_plain_digits() {
        assert_eq!(parse_timestamp("t", "1674087231").unwrap(), 1_674_087_231);
        for bad in ["", "-1", "+1", " 1", "1.5", "1e9", "9999999999999999999"] {
            assert!(parse_timestamp("t", bad).is_err(), "{bad:?}");
        }
    }
}
