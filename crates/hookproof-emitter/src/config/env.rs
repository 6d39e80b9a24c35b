//! `${VAR}` expansion in config values.

use super::ConfigError;

/// Replaces every `${NAME}` in `value` with `lookup(NAME)`.
///
/// `key` names the config key, for the error.
pub(crate) fn expand(
    key: &str,
    value: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(ConfigError::invalid(key, "unterminated `${` reference"));
        };
        let var = &after[..end];
        let valid = !var.is_empty() && var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            return Err(ConfigError::invalid(
                key,
                format!("`${{{var}}}` is not a valid environment variable reference"),
            ));
        }
        match lookup(var) {
            Some(v) => out.push_str(&v),
            None => {
                return Err(ConfigError::MissingEnv {
                    key: key.to_owned(),
                    var: var.to_owned(),
                });
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "SECRET").then(|| "s3cr3t".to_owned())
    }

    #[test]
    fn expands_whole_and_embedded_references() {
        assert_eq!(expand("k", "${SECRET}", &env).unwrap(), "s3cr3t");
        assert_eq!(expand("k", "a-${SECRET}-b", &env).unwrap(), "a-s3cr3t-b");
        assert_eq!(expand("k", "plain", &env).unwrap(), "plain");
        assert_eq!(expand("k", "$SECRET", &env).unwrap(), "$SECRET");
    }

    #[test]
    fn missing_and_malformed_references_name_the_key() {
        let err = expand("endpoints[0].secrets[0]", "${NOPE}", &env).unwrap_err();
        assert_eq!(err.code(), "missing_env");
        assert_eq!(err.key(), Some("endpoints[0].secrets[0]"));
        assert!(err.to_string().contains("NOPE"), "{err}");
        assert_eq!(
            expand("k", "${SECRET", &env).unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(
            expand("k", "${A-B}", &env).unwrap_err().code(),
            "invalid_value"
        );
    }
}
