//! `-H 'name: value'` arguments, parsed the way curl reads them, including
//! curl's `-H @FILE` / `-H @-` (one header per line), so `sign`'s output or a
//! saved header dump can be passed as is.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;

use crate::error::{CliError, CliResult};

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

/// One `-H` argument: a header, or a file (`@PATH`, `@-` for stdin) of
/// headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HeaderInput {
    /// `-H 'name: value'`.
    One(HeaderArg),
    /// `-H @PATH`.
    File(PathBuf),
    /// `-H @-`.
    Stdin,
}

impl HeaderInput {
    /// True for `-H @-`.
    pub(crate) fn is_stdin(&self) -> bool {
        matches!(self, Self::Stdin)
    }
}

/// Parses a `-H` argument (clap value parser; an error exits with code 2).
pub(crate) fn parse_header_input(s: &str) -> Result<HeaderInput, String> {
    match s.strip_prefix('@') {
        Some("-") => Ok(HeaderInput::Stdin),
        Some("") => Err("`-H @` needs a file name, or `@-` for standard input".to_owned()),
        Some(path) => Ok(HeaderInput::File(PathBuf::from(path))),
        None => parse_header(s).map(HeaderInput::One),
    }
}

/// Expands the `-H` arguments in order, reading files and stdin.
pub(crate) fn expand(inputs: &[HeaderInput]) -> CliResult<Vec<HeaderArg>> {
    let mut out = Vec::new();
    for input in inputs {
        match input {
            HeaderInput::One(h) => out.push(h.clone()),
            HeaderInput::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    CliError::usage(format!("-H @{}: cannot read: {e}", path.display()))
                })?;
                out.extend(
                    parse_lines(&text, &path.display().to_string()).map_err(CliError::usage)?,
                );
            }
            HeaderInput::Stdin => {
                let mut text = String::new();
                std::io::stdin()
                    .lock()
                    .read_to_string(&mut text)
                    .map_err(|e| {
                        CliError::usage(format!("-H @-: cannot read standard input: {e}"))
                    })?;
                out.extend(parse_lines(&text, "standard input").map_err(CliError::usage)?);
            }
        }
    }
    Ok(out)
}

/// One header per line; blank lines, `#` comments and an HTTP request or
/// status line (`POST /x HTTP/1.1`, `HTTP/1.1 200 OK`) are skipped.
fn parse_lines(text: &str, origin: &str) -> Result<Vec<HeaderArg>, String> {
    let mut headers = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let trimmed = line.trim();
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with("HTTP/")
            || (!trimmed.contains(':') && trimmed.contains(" HTTP/"))
        {
            continue;
        }
        headers.push(parse_header(line).map_err(|e| format!("{origin} line {}: {e}", n + 1))?);
    }
    Ok(headers)
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
    fn at_arguments_name_files_or_stdin() {
        assert_eq!(parse_header_input("@-"), Ok(HeaderInput::Stdin));
        assert_eq!(
            parse_header_input("@h.txt"),
            Ok(HeaderInput::File("h.txt".into()))
        );
        assert!(parse_header_input("@").is_err());
        assert!(matches!(
            parse_header_input("a: b"),
            Ok(HeaderInput::One(_))
        ));
    }

    #[test]
    fn header_lines_skip_blanks_comments_and_the_request_line() {
        let text = "POST /webhooks HTTP/1.1\r\nwebhook-id: msg_1\r\n\n# note\nwebhook-signature: v1,a v1,b\n";
        let hs = parse_lines(text, "dump").expect("valid");
        assert_eq!(
            to_pairs(&hs),
            vec![
                ("webhook-id".into(), "msg_1".into()),
                ("webhook-signature".into(), "v1,a v1,b".into())
            ]
        );
        let err = parse_lines("a: 1\nbroken\n", "dump").unwrap_err();
        assert!(err.starts_with("dump line 2:"), "{err}");
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
