//! `--record DIR`: verified deliveries written as testkit fixture files
//! through [`hookproof_testkit::Recorder`], ready for `hookproof replay`.
//!
//! Only the testkit's allow-list of headers
//! ([`hookproof_testkit::RECORDED_HEADERS`]) and the names given with
//! `--record-header` are written; credential headers of any name never
//! reach the files.

use std::path::{Path, PathBuf};

use anyhow::Context;
use axum::http::{HeaderMap, HeaderName};
use hookproof_testkit::RecordError;

use crate::error::{CliError, CliResult};

/// The testkit recorder, keeping the `--record-header` names as well.
#[derive(Debug)]
pub(crate) struct Recorder {
    inner: hookproof_testkit::Recorder,
}

impl Recorder {
    /// Checks the `--record-header` names and creates the directory now (a
    /// usage error if either is impossible, rather than a failure at the
    /// first delivery).
    pub(crate) fn create(dir: &Path, keep: &[String]) -> CliResult<Self> {
        let mut inner = hookproof_testkit::Recorder::new(dir);
        for name in keep {
            let header = HeaderName::try_from(name.as_str()).map_err(|_| {
                CliError::usage(format!(
                    "--record-header {name:?} is not a valid header name"
                ))
            })?;
            inner = inner.keep_header(header);
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("--record: cannot create {}", dir.display()))
            .map_err(CliError::Usage)?;
        Ok(Self { inner })
    }

    /// The target directory.
    pub(crate) fn dir(&self) -> &Path {
        self.inner.dir()
    }

    /// Records one delivery; returns the file written.
    pub(crate) fn record(&self, headers: &HeaderMap, body: &[u8]) -> Result<PathBuf, RecordError> {
        self.inner.record(headers, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_header_names_are_checked_and_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = Recorder::create(dir.path(), &["bad name".to_owned()]).unwrap_err();
        assert!(err.to_string().contains("--record-header"), "{err}");

        let recorder = Recorder::create(&dir.path().join("rec"), &["X-Tenant".to_owned()])
            .expect("a valid name");
        let mut headers = HeaderMap::new();
        headers.insert("x-tenant", "acme".parse().expect("value"));
        headers.insert("x-api-key", "sk-live-1".parse().expect("value"));
        let path = recorder
            .record(&headers, br#"{"id":"evt_1","type":"t"}"#)
            .expect("recorded");
        let text = std::fs::read_to_string(path).expect("read");
        assert!(text.contains("\"x-tenant\": \"acme\""), "{text}");
        assert!(!text.contains("sk-live"), "{text}");
    }
}
