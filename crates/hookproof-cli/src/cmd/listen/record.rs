//! `--record DIR`: verified deliveries written as testkit fixture files
//! through [`hookproof_testkit::Recorder`], ready for `hookproof replay`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use axum::http::{HeaderMap, HeaderName};
use hookproof_testkit::RecordError;
use hookproof_verify::Signer;

use crate::error::{CliError, CliResult};

/// The testkit recorder, also stripping this scheme's own signature headers
/// (which matters for a custom `--signature-header`).
#[derive(Debug)]
pub(crate) struct Recorder {
    inner: hookproof_testkit::Recorder,
}

impl Recorder {
    /// Creates the directory now (a usage error if impossible, rather than
    /// a failure at the first delivery) and learns the scheme's signature
    /// header names by signing an empty probe body with `probe`.
    pub(crate) fn create(dir: &Path, probe: Option<Signer>) -> CliResult<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("--record: cannot create {}", dir.display()))
            .map_err(CliError::Usage)?;
        let mut inner = hookproof_testkit::Recorder::new(dir);
        let names = probe
            .map(|signer| signer.sign("probe", 0, b""))
            .unwrap_or_default();
        for (name, _) in names {
            if let Ok(name) = HeaderName::try_from(name) {
                inner = inner.strip_header(name);
            }
        }
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
