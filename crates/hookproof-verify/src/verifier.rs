//! The verifier: a scheme plus pre-keyed secrets and a tolerance.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use hmac::KeyInit;

use crate::engine::verify::{self as engine, HmacKey};
use crate::prechecked::{self, Prechecked};
use crate::{ConfigError, Headers, Scheme, Secret, SecretKind, Verified, VerifyError};

/// Default timestamp tolerance, both directions: 5 minutes, as the senders'
/// own SDKs use.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Verifies deliveries of one scheme against one or more secrets.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`; each secret's HMAC key
/// schedule runs once, at construction. The keyed HMAC states are zeroized
/// when the last clone is dropped (as is the per-delivery copy after each
/// verification). `Debug` does not print secrets (it shows how many there
/// are; errors never do).
///
/// # Examples
///
/// ```
/// use hookproof_verify::{Scheme, Secret, Verifier};
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let secret = Secret::from_utf8("It's a Secret to Everybody")?;
/// let verifier = Verifier::new(Scheme::GitHub, secret);
/// let headers = [(
///     "X-Hub-Signature-256",
///     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
/// )];
/// assert!(verifier.verify(&headers, b"Hello, World!").is_ok());
///
/// let err = verifier.verify(&headers, b"Hello, World?").unwrap_err();
/// assert_eq!(err.code(), "signature_mismatch");
/// # Ok::<(), hookproof_verify::SecretError>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    scheme: Scheme,
    keys: Keys,
    tolerance: Duration,
}

enum Keys {
    Hmac(Vec<HmacKey>),
    #[cfg(feature = "ed25519")]
    Ed25519(Vec<ed25519_dalek::VerifyingKey>),
    Invalid(ConfigError),
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secrets = match &self.inner.keys {
            Keys::Hmac(k) => k.len(),
            #[cfg(feature = "ed25519")]
            Keys::Ed25519(k) => k.len(),
            Keys::Invalid(_) => 0,
        };
        f.debug_struct("Verifier")
            .field("scheme", &self.inner.scheme.name())
            .field("secrets", &format_args!("{secrets} <redacted>"))
            .field("tolerance", &self.inner.tolerance)
            .finish()
    }
}

impl Verifier {
    /// A verifier with one secret and the default 5-minute tolerance.
    ///
    /// Never panics: a secret whose kind does not fit the scheme (an Ed25519
    /// key for an HMAC scheme, or a `whsec_` secret for
    /// `StandardWebhooksEd25519`) makes every verification fail with code
    /// `misconfigured`. Use [`Verifier::builder`] to get that error at
    /// construction instead.
    pub fn new(scheme: Scheme, secret: Secret) -> Verifier {
        let keys = keys_for(&scheme, std::slice::from_ref(&secret)).unwrap_or_else(Keys::Invalid);
        Verifier {
            inner: Arc::new(Inner {
                scheme,
                keys,
                tolerance: DEFAULT_TOLERANCE,
            }),
        }
    }

    /// Starts a verifier with several secrets (rotation) or another tolerance.
    ///
    /// # Examples
    ///
    /// ```
    /// use hookproof_verify::{Scheme, Secret, Signer, Verifier};
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let old = Secret::from_standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    /// let new = Secret::from_standard("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
    /// let verifier = Verifier::builder(Scheme::StandardWebhooks)
    ///     .secrets([old, new.clone()])
    ///     .tolerance(Duration::from_secs(60))
    ///     .build()?;
    /// let headers = Signer::new(Scheme::StandardWebhooks, new).sign("msg_1", 1_700_000_000, b"{}");
    /// let ok = verifier.verify_at(&headers, b"{}", UNIX_EPOCH + Duration::from_secs(1_700_000_060))?;
    /// assert_eq!(ok.key_index, 1);
    /// let late = verifier.verify_at(&headers, b"{}", UNIX_EPOCH + Duration::from_secs(1_700_000_061));
    /// assert_eq!(late.unwrap_err().code(), "timestamp_too_old");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(scheme: Scheme) -> VerifierBuilder {
        VerifierBuilder {
            scheme,
            secrets: Vec::new(),
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Verifies `body` with `headers` against the system clock.
    ///
    /// # Errors
    ///
    /// See [`VerifyError`]: missing or malformed headers, a stale or future
    /// timestamp, no signature of the checked version, or no match.
    pub fn verify<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Verified, VerifyError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// Verifies as of `now` (inject the clock in tests).
    ///
    /// # Errors
    ///
    /// As for [`Verifier::verify`].
    pub fn verify_at<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, VerifyError> {
        let inner = &*self.inner;
        match (&inner.keys, inner.scheme.hmac_spec()) {
            (Keys::Hmac(keys), Some(spec)) => {
                engine::verify(spec, keys, headers, body, now, inner.tolerance)
            }
            #[cfg(feature = "ed25519")]
            (Keys::Ed25519(keys), None) => {
                crate::schemes::ed25519::verify(keys, headers, body, now, inner.tolerance)
            }
            _ => Err(self.misconfigured()),
        }
    }

    /// Runs every check of [`verify`](Verifier::verify) that needs no
    /// body, against the system clock: for a server that wants to refuse a
    /// delivery before it buffers the body. See [`precheck_at`](Verifier::precheck_at).
    ///
    /// # Errors
    ///
    /// As for [`precheck_at`](Verifier::precheck_at).
    pub fn precheck<'a, H: Headers + ?Sized>(
        &'a self,
        headers: &'a H,
    ) -> Result<Prechecked<'a>, VerifyError> {
        self.precheck_at(headers, SystemTime::now())
    }

    /// Runs every check of [`verify_at`](Verifier::verify_at) that needs
    /// no body, as of `now`: the verifier is configured correctly; the
    /// signature, timestamp and id headers are present where required,
    /// given once, at most [`MAX_HEADER_LEN`](crate::MAX_HEADER_LEN) bytes,
    /// UTF-8 and well formed; the id is not blank; the timestamp is within
    /// the tolerance; the signature header holds at most
    /// [`MAX_SIGNATURES`](crate::MAX_SIGNATURES) entries and at least one
    /// entry of the checked version that decodes to a tag of the right
    /// length.
    ///
    /// The contract, for any `headers` and `now`:
    ///
    /// - when `precheck_at(headers, now)` returns `Err(e)`,
    ///   `verify_at(headers, body, now)` returns an error with the same
    ///   [`code`](VerifyError::code) for every `body` (they run the same
    ///   checks in the same order: verification is this precheck followed
    ///   by the cryptography);
    /// - when `verify_at` accepts a delivery, `precheck_at` accepts its
    ///   headers.
    ///
    /// `Ok` proves nothing about the signature: it hands back the parsed
    /// headers as a [`Prechecked`], whose
    /// [`verify_at`](Prechecked::verify_at) checks the body without parsing
    /// the headers again (and gives the answer `verify_at` would).
    ///
    /// Cheap: no cryptography; one heap allocation, the buffer the
    /// signatures are decoded into (and one more for an error, which names
    /// the header).
    ///
    /// # Errors
    ///
    /// Every [`VerifyError`] but those that need the body: a valid-looking
    /// signature that does not match is found only by `verify_at`. A
    /// signature entry that cannot be a tag (truncated, not hex/base64) is
    /// `signature_mismatch` here already, as no body can match it.
    ///
    /// # Examples
    ///
    /// ```
    /// use hookproof_verify::{Scheme, Secret, Signer, Verifier};
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let secret = Secret::from_utf8("gw-secret-2026")?;
    /// let verifier = Verifier::new(Scheme::gateway(), secret.clone());
    /// let headers = Signer::new(Scheme::gateway(), secret).sign("evt_1", 1_700_000_000, b"{}");
    /// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_010);
    ///
    /// // Headers fine: read the body, then verify it.
    /// let prechecked = verifier.precheck_at(&headers, now)?;
    /// assert!(prechecked.verify_at(b"{}", now).is_ok());
    ///
    /// // Stale: refused before any body is read, as verify would.
    /// let late = now + Duration::from_secs(3600);
    /// assert_eq!(verifier.precheck_at(&headers, late).unwrap_err().code(), "timestamp_too_old");
    /// assert_eq!(verifier.verify_at(&headers, b"{}", late).unwrap_err().code(), "timestamp_too_old");
    ///
    /// // A blank delivery id.
    /// let blank = [("x-webhook-id", " "), ("x-webhook-signature", headers[1].1.as_str())];
    /// assert_eq!(verifier.precheck_at(&blank, now).unwrap_err().code(), "invalid_delivery_id");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn precheck_at<'a, H: Headers + ?Sized>(
        &'a self,
        headers: &'a H,
        now: SystemTime,
    ) -> Result<Prechecked<'a>, VerifyError> {
        let inner = &*self.inner;
        let tolerance = inner.tolerance;
        match (&inner.keys, inner.scheme.hmac_spec()) {
            (Keys::Hmac(keys), Some(spec)) => {
                Prechecked::parse(spec, headers, now, tolerance, |tags| {
                    prechecked::Keys::Hmac(keys, tags)
                })
            }
            #[cfg(feature = "ed25519")]
            (Keys::Ed25519(keys), None) => {
                let spec = &crate::schemes::ed25519::SPEC;
                Prechecked::parse(spec, headers, now, tolerance, |tags| {
                    prechecked::Keys::Ed25519(keys, tags)
                })
            }
            _ => Err(self.misconfigured()),
        }
    }

    /// The error of a verifier whose keys do not fit its scheme.
    #[cold]
    fn misconfigured(&self) -> VerifyError {
        let inner = &*self.inner;
        match &inner.keys {
            Keys::Invalid(e) => VerifyError::Misconfigured(e.clone()),
            _ => VerifyError::Misconfigured(ConfigError::KeyTypeMismatch {
                scheme: inner.scheme.name().to_owned(),
                expected: "a key of the scheme's kind",
            }),
        }
    }

    /// The scheme this verifier checks.
    pub fn scheme(&self) -> &Scheme {
        &self.inner.scheme
    }

    /// The timestamp tolerance (both directions).
    pub fn tolerance(&self) -> Duration {
        self.inner.tolerance
    }
}

/// Builder for [`Verifier`]: secrets (in order: [`Verified::key_index`]
/// refers to it) and tolerance (default [`DEFAULT_TOLERANCE`]).
#[derive(Debug)]
pub struct VerifierBuilder {
    scheme: Scheme,
    secrets: Vec<Secret>,
    tolerance: Duration,
}

impl VerifierBuilder {
    /// Adds a secret.
    pub fn secret(mut self, secret: Secret) -> Self {
        self.secrets.push(secret);
        self
    }

    /// Adds several secrets (e.g. the current and the previous one).
    pub fn secrets(mut self, secrets: impl IntoIterator<Item = Secret>) -> Self {
        self.secrets.extend(secrets);
        self
    }

    /// Maximum distance between the signed timestamp and now, both
    /// directions, edges inclusive. Ignored by schemes without a timestamp.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Keys every secret once.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoSecrets`], or [`ConfigError::KeyTypeMismatch`] when
    /// a secret's kind does not fit the scheme.
    pub fn build(self) -> Result<Verifier, ConfigError> {
        let keys = keys_for(&self.scheme, &self.secrets)?;
        Ok(Verifier {
            inner: Arc::new(Inner {
                scheme: self.scheme,
                keys,
                tolerance: self.tolerance,
            }),
        })
    }
}

fn keys_for(scheme: &Scheme, secrets: &[Secret]) -> Result<Keys, ConfigError> {
    if secrets.is_empty() {
        return Err(ConfigError::NoSecrets);
    }
    match scheme {
        #[cfg(feature = "ed25519")]
        Scheme::StandardWebhooksEd25519 => {
            crate::schemes::ed25519::verifying_keys(secrets).map(Keys::Ed25519)
        }
        _ => hmac_keys(scheme, secrets).map(Keys::Hmac),
    }
}

/// Keys an HMAC once per secret.
pub(crate) fn hmac_keys(scheme: &Scheme, secrets: &[Secret]) -> Result<Vec<HmacKey>, ConfigError> {
    let mismatch = || ConfigError::KeyTypeMismatch {
        scheme: scheme.name().to_owned(),
        expected: "a symmetric secret (whsec_ or a plain string), not an Ed25519 key",
    };
    secrets
        .iter()
        .map(|s| {
            if s.kind() != SecretKind::Symmetric {
                return Err(mismatch());
            }
            HmacKey::new_from_slice(s.expose()).map_err(|_| mismatch())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn verifier_is_shareable_and_redacted() {
        assert_send_sync_clone::<Verifier>();
        let v = Verifier::new(Scheme::GitHub, Secret::from_utf8("topsecretvalue").unwrap());
        let dbg = format!("{v:?}");
        assert!(
            dbg.contains("github") && !dbg.contains("topsecretvalue"),
            "{dbg}"
        );
    }

    #[test]
    fn builder_needs_a_secret() {
        assert_eq!(
            Verifier::builder(Scheme::Slack).build().unwrap_err().code(),
            "no_secrets"
        );
    }
}
