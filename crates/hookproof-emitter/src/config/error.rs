//! Configuration errors: each one names the key it is about.

use std::path::PathBuf;

/// A configuration that cannot start an emitter. Every variant that comes
/// from the file names the key path (`endpoints[0].secrets[1]`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key or a value of the wrong
    /// type.
    #[error("config key `{key}`: {message}")]
    Parse {
        /// Dotted key path (`.` for the whole document).
        key: String,
        /// What is wrong, from the TOML parser.
        message: String,
    },
    /// A `${VAR}` reference names an environment variable that is not set.
    #[error("config key `{key}`: environment variable `{var}` is not set")]
    MissingEnv {
        /// The key whose value references the variable.
        key: String,
        /// The variable name.
        var: String,
    },
    /// A value is well-typed but not acceptable.
    #[error("config key `{key}`: {message}")]
    Invalid {
        /// The key.
        key: String,
        /// Why the value is refused.
        message: String,
    },
    /// A secret could not be decoded for the endpoint's scheme.
    #[error("config key `{key}`: {source}")]
    Secret {
        /// The key.
        key: String,
        /// The decoding error.
        #[source]
        source: hookproof_verify::SecretError,
    },
    /// The HTTP client could not be built.
    #[error("endpoint `{endpoint}`: cannot build the HTTP client: {source}")]
    Client {
        /// The endpoint name.
        endpoint: String,
        /// The client error.
        #[source]
        source: reqwest::Error,
    },
    /// `Emitter::start` was called outside a tokio runtime.
    #[error("the emitter must be started inside a tokio runtime")]
    NoRuntime,
}

impl ConfigError {
    /// A stable machine-readable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "config_io",
            Self::Parse { .. } => "config_parse",
            Self::MissingEnv { .. } => "missing_env",
            Self::Invalid { .. } => "invalid_value",
            Self::Secret { .. } => "invalid_secret",
            Self::Client { .. } => "http_client",
            Self::NoRuntime => "no_runtime",
        }
    }

    /// The config key the error is about, when there is one.
    #[must_use]
    pub fn key(&self) -> Option<&str> {
        match self {
            Self::Parse { key, .. }
            | Self::MissingEnv { key, .. }
            | Self::Invalid { key, .. }
            | Self::Secret { key, .. } => Some(key),
            _ => None,
        }
    }

    pub(crate) fn invalid(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            key: key.into(),
            message: message.into(),
        }
    }
}
