//! Where a command reads the payload from: a file, or `-` for stdin.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::error::{CliError, CliResult};

/// The body source given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodySource {
    /// Read the exact bytes of this file.
    File(PathBuf),
    /// Read standard input to its end.
    Stdin,
}

impl BodySource {
    /// Interprets the optional positional `BODY` argument: `-` is stdin; when
    /// absent, stdin is used only if it is not a terminal (piped input), so a
    /// forgotten argument does not hang waiting for typing.
    pub(crate) fn from_arg(arg: Option<&Path>) -> CliResult<Self> {
        match arg {
            Some(p) if p == Path::new("-") => Ok(Self::Stdin),
            Some(p) => Ok(Self::File(p.to_path_buf())),
            None if !std::io::stdin().is_terminal() => Ok(Self::Stdin),
            None => Err(CliError::usage(
                "no body given: pass a file, or `-` to read standard input",
            )),
        }
    }

    /// Reads the exact bytes (no newline trimming: signatures cover every byte).
    pub(crate) fn read(&self) -> CliResult<Vec<u8>> {
        match self {
            Self::File(path) => std::fs::read(path)
                .with_context(|| format!("cannot read body file {}", path.display()))
                .map_err(CliError::Usage),
            Self::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut buf)
                    .context("cannot read the body from standard input")
                    .map_err(CliError::Usage)?;
                Ok(buf)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_is_stdin_and_a_path_is_a_file() {
        assert_eq!(
            BodySource::from_arg(Some(Path::new("-"))).expect("ok"),
            BodySource::Stdin
        );
        assert_eq!(
            BodySource::from_arg(Some(Path::new("b.json"))).expect("ok"),
            BodySource::File("b.json".into())
        );
    }

    #[test]
    fn file_bytes_are_read_exactly_and_a_missing_file_is_a_usage_error() {
        let dir = std::env::temp_dir().join(format!("hookproof-cli-body-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join("body.bin");
        std::fs::write(&path, b"{\"a\":1}\n\xff").expect("write");
        let bytes = BodySource::File(path.clone()).read().expect("read");
        assert_eq!(bytes, b"{\"a\":1}\n\xff");
        let err = BodySource::File(dir.join("missing")).read().unwrap_err();
        assert!(matches!(err, CliError::Usage(_)));
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
