//! [`DecodeError`]: why a body is not a valid event, and where.

use serde::de::DeserializeOwned;

/// A delivery body could not be decoded into a typed event.
///
/// Unknown event types and unknown fields are *not* errors (they decode to an
/// `Unknown` variant or are ignored). This error means the body is not JSON,
/// has no recognisable shape, or a known type carries invalid data; for the
/// latter [`path`](DecodeError::path) names the field, e.g.
/// `data.usage_percent`.
///
/// # Examples
///
/// ```
/// let body = br#"{"id":"evt_1","type":"budget.threshold_reached",
///   "timestamp":"2026-11-22T10:00:00Z","version":"2026-11-01",
///   "data":{"org_id":"org_1","usage_percent":"eighty","limit_type":"monthly",
///           "current_spend":80.0,"budget_limit":100.0,"currency":"USD"}}"#;
/// let err = hookproof_events::decode(body).unwrap_err();
/// assert_eq!(err.code(), "invalid_field");
/// assert_eq!(err.path(), Some("data.usage_percent"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body is not well-formed JSON (or not a JSON object).
    #[error("body is not valid JSON at line {line}, column {column}: {message}")]
    Json {
        /// What the parser reported.
        message: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// Valid JSON, but none of the known shapes (not an object with a `type`
    /// or `event` key).
    #[error("not a known webhook shape: expected a JSON object with a `type` or `event` field")]
    UnknownShape,
    /// A required field is absent.
    #[error("missing field `{path}`")]
    MissingField {
        /// Dotted path of the missing field, e.g. `data.request_id`.
        path: String,
    },
    /// A field is present but has the wrong type or an invalid value.
    #[error("invalid field `{path}`: {message}")]
    InvalidField {
        /// Dotted path of the field, e.g. `data.usage_percent`.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

impl DecodeError {
    /// Stable machine code: `invalid_json`, `unknown_shape`, `missing_field`
    /// or `invalid_field`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json { .. } => "invalid_json",
            Self::UnknownShape => "unknown_shape",
            Self::MissingField { .. } => "missing_field",
            Self::InvalidField { .. } => "invalid_field",
        }
    }

    /// Dotted path of the offending field, when one is to blame.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::MissingField { path } | Self::InvalidField { path, .. } => Some(path),
            Self::Json { .. } | Self::UnknownShape => None,
        }
    }

    pub(crate) fn missing(path: impl Into<String>) -> Self {
        Self::MissingField { path: path.into() }
    }

    /// Maps a syntax-level serde_json error on the whole body.
    pub(crate) fn from_json(err: &serde_json::Error) -> Self {
        if err.is_data() {
            // The body parsed but is not an object (e.g. a bare array).
            return Self::UnknownShape;
        }
        Self::Json {
            message: strip_position(&err.to_string()),
            line: err.line(),
            column: err.column(),
        }
    }
}

/// Drops serde_json's " at line L column C" suffix (we report them apart).
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Decodes `json` as `T`, reporting errors with their path below `prefix`.
///
/// The first attempt runs without path tracking (which allocates per map
/// key); only a failing input is decoded again with `serde_path_to_error`.
pub(crate) fn decode_at<T: DeserializeOwned>(json: &str, prefix: &str) -> Result<T, DecodeError> {
    match serde_json::from_str(json) {
        Ok(v) => Ok(v),
        Err(_) => Err(locate::<T>(json, prefix)),
    }
}

/// Re-runs a failed decode with path tracking to name the field.
#[cold]
fn locate<T: DeserializeOwned>(json: &str, prefix: &str) -> DecodeError {
    let mut de = serde_json::Deserializer::from_str(json);
    let res: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match res {
        // Only trailing characters make the plain decode fail but this pass.
        Ok(_) => match de.end() {
            Err(e) => field_error(prefix.to_owned(), &e),
            Ok(()) => DecodeError::InvalidField {
                path: prefix.to_owned(),
                message: "rejected by the decoder".to_owned(),
            },
        },
        Err(e) => {
            let inner = e.path().to_string();
            let mut path = String::from(prefix);
            if inner != "." {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&inner);
            }
            field_error(path, e.inner())
        }
    }
}

/// Turns a serde_json data error at `path` into a typed error; a "missing
/// field" message gets the field appended to the path.
pub(crate) fn field_error(path: String, err: &serde_json::Error) -> DecodeError {
    let message = strip_position(&err.to_string());
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        let full = if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        return DecodeError::missing(full);
    }
    if err.is_syntax() || err.is_eof() {
        return DecodeError::Json {
            message,
            line: err.line(),
            column: err.column(),
        };
    }
    DecodeError::InvalidField { path, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[test]
    fn invalid_nested_field_names_full_path() {
        let err = decode_at::<Outer>(r#"{"inner":{"n":"x"}}"#, "data").unwrap_err();
        assert_eq!(err.path(), Some("data.inner.n"));
        assert_eq!(err.code(), "invalid_field");
    }

    #[test]
    fn missing_field_is_appended_to_the_path() {
        let err = decode_at::<Outer>(r#"{"inner":{}}"#, "data").unwrap_err();
        assert_eq!(err, DecodeError::missing("data.inner.n"));
        let err = decode_at::<Outer>(r#"{}"#, "").unwrap_err();
        assert_eq!(err, DecodeError::missing("inner"));
    }

    #[test]
    fn syntax_error_reports_position_not_path() {
        let err = decode_at::<Outer>("{\"inner\":", "data").unwrap_err();
        assert_eq!(err.code(), "invalid_json");
        assert_eq!(err.path(), None);
    }
}
