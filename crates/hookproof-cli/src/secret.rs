//! Secret sourcing: `--secret`, `--secret-env NAME` or `--secret-file PATH`,
//! exactly one of them.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use hookproof_verify::{Scheme, Secret, Signer};

use crate::error::{CliError, CliResult};

/// The three ways to pass the signing secret. At most one may be given
/// (clap rejects two); [`SecretArgs::text`] requires one, so that commands
/// with a mode that needs none (`trigger --list`) can share this.
#[derive(Debug, Clone, Args)]
#[group(multiple = false)]
pub(crate) struct SecretArgs {
    /// The secret itself (prefer --secret-env or --secret-file).
    ///
    /// Visible in `ps` and shell history. Standard Webhooks secrets are
    /// whsec_<base64>; the other HMAC schemes use the text as is.
    #[arg(long, value_name = "SECRET")]
    secret: Option<String>,

    /// Read the secret from this environment variable.
    #[arg(long, value_name = "NAME")]
    secret_env: Option<String>,

    /// Read the secret from this file (one trailing newline is removed).
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
}

impl SecretArgs {
    /// The secret text from whichever source was given.
    pub(crate) fn text(&self) -> CliResult<String> {
        if let Some(s) = &self.secret {
            return Ok(s.clone());
        }
        if let Some(name) = &self.secret_env {
            return match std::env::var(name) {
                Ok(v) => Ok(v),
                Err(std::env::VarError::NotPresent) => Err(CliError::usage(format!(
                    "--secret-env {name}: the environment variable {name} is not set"
                ))),
                Err(std::env::VarError::NotUnicode(_)) => Err(CliError::usage(format!(
                    "--secret-env {name}: the value is not valid UTF-8"
                ))),
            };
        }
        if let Some(path) = &self.secret_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("--secret-file: cannot read {}", path.display()))
                .map_err(CliError::Usage)?;
            return Ok(trim_one_newline(text));
        }
        Err(CliError::usage(
            "a secret is required: give --secret-env NAME, --secret-file PATH or --secret SECRET",
        ))
    }

    /// The secret decoded by the scheme's rule (e.g. `whsec_` base64 for
    /// Standard Webhooks).
    pub(crate) fn resolve(&self, scheme: &Scheme) -> CliResult<Secret> {
        let text = self.text()?;
        if text.is_empty() {
            return Err(CliError::usage("the secret is empty"));
        }
        Secret::for_scheme(scheme, &text).map_err(|e| {
            CliError::usage(format!(
                "the secret is not valid for scheme {}: {e}",
                scheme.name()
            ))
        })
    }
}

impl SecretArgs {
    /// A signer for `scheme` with this secret; a secret of the wrong kind
    /// (e.g. an Ed25519 public key, which cannot sign) is a usage error.
    pub(crate) fn signer(&self, scheme: &Scheme) -> CliResult<Signer> {
        Signer::try_new(scheme.clone(), self.resolve(scheme)?).map_err(|e| {
            CliError::usage(format!(
                "the secret cannot sign with scheme {}: {e}",
                scheme.name()
            ))
        })
    }
}

/// Removes exactly one trailing `\n` or `\r\n` (editors add one; a secret
/// that really ends in whitespace keeps the rest).
fn trim_one_newline(mut text: String) -> String {
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_exactly_one_trailing_newline() {
        assert_eq!(trim_one_newline("abc\n".into()), "abc");
        assert_eq!(trim_one_newline("abc\r\n".into()), "abc");
        assert_eq!(trim_one_newline("abc\n\n".into()), "abc\n");
        assert_eq!(trim_one_newline("abc ".into()), "abc ");
    }

    #[test]
    fn missing_env_var_is_a_usage_error_naming_it() {
        let args = SecretArgs {
            secret: None,
            secret_env: Some("HOOKPROOF_CLI_TEST_SURELY_UNSET".into()),
            secret_file: None,
        };
        let err = args.text().unwrap_err();
        assert!(matches!(err, CliError::Usage(_)));
        assert!(err.to_string().contains("HOOKPROOF_CLI_TEST_SURELY_UNSET"));
    }
}
