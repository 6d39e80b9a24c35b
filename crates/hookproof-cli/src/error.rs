//! The CLI's error type: which exit code a failure maps to.

use std::process::ExitCode;

/// A failure of a command, classified by exit code.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Bad flags or inputs the user must fix before retrying (exit 2).
    Usage(anyhow::Error),
    /// The command ran but failed: network, bind, delivery (exit 1).
    Failed(anyhow::Error),
}

impl CliError {
    /// A usage error with a message.
    pub(crate) fn usage(msg: impl std::fmt::Display) -> Self {
        Self::Usage(anyhow::anyhow!("{msg}"))
    }

    /// The process exit code for this failure.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_) => ExitCode::from(2),
            Self::Failed(_) => ExitCode::from(1),
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // `{:#}` prints anyhow's context chain on one line.
            Self::Usage(e) | Self::Failed(e) => {
                if f.alternate() {
                    write!(f, "{e:#}")
                } else {
                    write!(f, "{e}")
                }
            }
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        Self::Failed(e)
    }
}

/// Result of a command body.
pub(crate) type CliResult<T> = Result<T, CliError>;
