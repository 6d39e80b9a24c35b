//! Secret sourcing: `--secret`, `--secret-env NAME` or `--secret-file PATH`,
//! exactly one of them (repeatable for key rotation).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use hookproof_verify::{Scheme, Secret, Signer};

use crate::error::{CliError, CliResult};

/// The three ways to pass the signing secret. Only one kind may be given
/// (clap rejects two); [`SecretArgs::texts`] requires it, so that commands
/// with a mode that needs none (`trigger --list`) can share this. The chosen
/// flag may be repeated for key rotation: verifying accepts any of the
/// secrets, signing sends one signature per secret.
#[derive(Clone, Args)]
#[group(multiple = false)]
pub(crate) struct SecretArgs {
    /// The secret itself (prefer --secret-env or --secret-file).
    ///
    /// Visible in `ps` and shell history. Standard Webhooks secrets are
    /// `whsec_<base64>`; the other HMAC schemes use the text as is. Repeat
    /// for key rotation (as for the other two flags).
    #[arg(long, value_name = "SECRET")]
    secret: Vec<String>,

    /// Read the secret from this environment variable.
    #[arg(long, value_name = "NAME")]
    secret_env: Vec<String>,

    /// Read the secret from this file (one trailing newline is removed).
    #[arg(long, value_name = "PATH")]
    secret_file: Vec<PathBuf>,
}

impl std::fmt::Debug for SecretArgs {
    /// How many `--secret` values were given, never their text; the
    /// variable names and file paths are not secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretArgs")
            .field("secret", &format_args!("{} <redacted>", self.secret.len()))
            .field("secret_env", &self.secret_env)
            .field("secret_file", &self.secret_file)
            .finish()
    }
}

impl SecretArgs {
    /// The secret texts from whichever source was given, in order.
    pub(crate) fn texts(&self) -> CliResult<Vec<String>> {
        if !self.secret.is_empty() {
            return Ok(self.secret.clone());
        }
        if !self.secret_env.is_empty() {
            return self.secret_env.iter().map(|name| from_env(name)).collect();
        }
        if !self.secret_file.is_empty() {
            return self
                .secret_file
                .iter()
                .map(|path| from_file(path))
                .collect();
        }
        Err(CliError::usage(
            "a secret is required: give --secret-env NAME, --secret-file PATH or --secret SECRET",
        ))
    }

    /// The secrets decoded by the scheme's rule (e.g. `whsec_` base64 for
    /// Standard Webhooks).
    pub(crate) fn resolve_all(&self, scheme: &Scheme) -> CliResult<Vec<Secret>> {
        self.texts()?
            .iter()
            .map(|text| {
                if text.is_empty() {
                    return Err(CliError::usage("the secret is empty"));
                }
                Secret::for_scheme(scheme, text).map_err(|e| {
                    CliError::usage(format!(
                        "the secret is not valid for scheme {}: {e}",
                        scheme.name()
                    ))
                })
            })
            .collect()
    }

    /// A signer for `scheme` with these secrets; a secret of the wrong kind
    /// (e.g. an Ed25519 public key, which cannot sign) or several secrets
    /// for a scheme that carries one signature is a usage error.
    pub(crate) fn signer(&self, scheme: &Scheme) -> CliResult<Signer> {
        Signer::with_secrets(scheme.clone(), self.resolve_all(scheme)?).map_err(|e| {
            CliError::usage(format!(
                "the secret cannot sign with scheme {}: {e}",
                scheme.name()
            ))
        })
    }
}

fn from_env(name: &str) -> CliResult<String> {
    match std::env::var(name) {
        Ok(v) => Ok(v),
        Err(std::env::VarError::NotPresent) => Err(CliError::usage(format!(
            "--secret-env {name}: the environment variable {name} is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(CliError::usage(format!(
            "--secret-env {name}: the value is not valid UTF-8"
        ))),
    }
}

fn from_file(path: &std::path::Path) -> CliResult<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--secret-file: cannot read {}", path.display()))
        .map_err(CliError::Usage)?;
    Ok(trim_one_newline(text))
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
            secret: Vec::new(),
            secret_env: vec!["HOOKPROOF_CLI_TEST_SURELY_UNSET".into()],
            secret_file: Vec::new(),
        };
        let err = args.texts().unwrap_err();
        assert!(matches!(err, CliError::Usage(_)));
        assert!(err.to_string().contains("HOOKPROOF_CLI_TEST_SURELY_UNSET"));
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let args = SecretArgs {
            secret: vec!["whsec_do-not-print-me".into()],
            secret_env: vec!["WEBHOOK_SECRET".into()],
            secret_file: Vec::new(),
        };
        let shown = format!("{args:?} {args:#?}");
        assert!(!shown.contains("do-not-print-me"), "{shown}");
        assert!(shown.contains("1 <redacted>") && shown.contains("WEBHOOK_SECRET"));
    }
}
