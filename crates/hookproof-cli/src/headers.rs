//! `-H 'name: value'` arguments, parsed the way curl reads them.

use std::fmt;

/// One header given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderArg {
    /// Header name as typed (matching is case-insensitive downstream).
    pub(crate) name: String,
    /// Value with surrounding whitespace removed.
    pub(crate) value: String,
}

impl fmt::Display for HeaderArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.value)
    }
}

/// Parses `name: value` (clap value parser; an error exits with code 2).
///
/// The name must be a non-empty HTTP token; the value may be empty and may
/// contain further colons (`t=1,v1=...` or URLs), which stay in the value.
pub(crate) fn parse_header(s: &str) -> Result<HeaderArg, String> {
    let Some((name, value)) = s.split_once(':') else {
        return Err(format!("expected 'name: value', got {s:?} (no ':')"));
    };
    if name.is_empty() {
        return Err(format!("header {s:?} has an empty name"));
    }
    if let Some(bad) = name.chars().find(|c| !is_token_char(*c)) {
        return Err(format!(
            "header name {name:?} contains {bad:?}; names are letters, digits and !#$%&'*+-.^_`|~"
        ));
    }
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    if value.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
        return Err(format!(
            "header {name:?} has a line break or NUL in its value"
        ));
    }
    Ok(HeaderArg {
        name: name.to_owned(),
        value: value.to_owned(),
    })
}

/// RFC 9110 `tchar`.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// The headers as (name, value) pairs, repeated names kept as separate
/// entries so a header given twice reaches the verifier as two values.
pub(crate) fn to_pairs(headers: &[HeaderArg]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_colon_and_trims_the_value() {
        let h = parse_header("X-Webhook-Signature:  t=1,v1=ab:cd ").expect("valid");
        assert_eq!(h.name, "X-Webhook-Signature");
        assert_eq!(h.value, "t=1,v1=ab:cd");
        assert_eq!(h.to_string(), "X-Webhook-Signature: t=1,v1=ab:cd");
    }

    #[test]
    fn empty_value_is_allowed() {
        assert_eq!(parse_header("x-empty:").expect("valid").value, "");
    }

    #[test]
    fn rejects_missing_colon_empty_and_bad_names() {
        assert!(parse_header("no colon").unwrap_err().contains("no ':'"));
        assert!(parse_header(": v").unwrap_err().contains("empty name"));
        assert!(parse_header("bad name: v").unwrap_err().contains("' '"));
        assert!(parse_header("x: a\nb").unwrap_err().contains("line break"));
    }

    #[test]
    fn repeated_headers_stay_separate() {
        let hs = [
            parse_header("a: 1").expect("valid"),
            parse_header("A: 2").expect("valid"),
        ];
        assert_eq!(
            to_pairs(&hs),
            vec![("a".into(), "1".into()), ("A".into(), "2".into())]
        );
    }
}
