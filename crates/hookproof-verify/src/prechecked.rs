//! [`Prechecked`]: headers that passed every body-free check, kept parsed
//! until the body has arrived.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::engine::candidates::Candidates;
use crate::engine::parse::Parsed;
use crate::engine::verify::{HmacKey, check_tags, fresh, prepare};
use crate::schemes::spec::Spec;
use crate::{Headers, Verified, VerifyError};

/// A delivery's headers after [`Verifier::precheck`](crate::Verifier::precheck)
/// accepted them: parsed, their signatures decoded, ready to check the body
/// against with [`verify`](Prechecked::verify).
///
/// A server reads the headers first, refuses what cannot verify before
/// buffering any body, and then verifies the body it did read without
/// parsing the headers a second time. It borrows the verifier and the
/// headers, and keeps the decoded signatures in one heap buffer, so it stays
/// about 100 bytes wherever it is held (inside a server's per-request
/// future, say).
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
/// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_001);
///
/// let prechecked = verifier.precheck_at(&headers, now)?; // before reading the body
/// let verified = prechecked.verify_at(b"{}", now)?; // once it has arrived
/// assert_eq!(verified.id.as_deref(), Some("evt_1"));
///
/// // A tampered body is still caught.
/// let err = verifier.precheck_at(&headers, now)?.verify_at(b"{ }", now).unwrap_err();
/// assert_eq!(err.code(), "signature_mismatch");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Prechecked<'a> {
    tolerance: Duration,
    spec: &'a Spec,
    parsed: Parsed<'a>,
    keys: Keys<'a>,
}

/// The verifier's keys with the signatures decoded for them (boxed: the
/// buffer holds up to [`MAX_SIGNATURES`](crate::MAX_SIGNATURES) of them).
pub(crate) enum Keys<'a> {
    Hmac(&'a [HmacKey], Box<Candidates<32>>),
    #[cfg(feature = "ed25519")]
    Ed25519(&'a [ed25519_dalek::VerifyingKey], Box<Candidates<64>>),
}

impl<'a> Prechecked<'a> {
    /// Runs the body-free checks of `spec` on `headers` (see
    /// [`prepare`]), decoding the signatures into a heap buffer that `keys`
    /// pairs with the verifier's keys.
    pub(crate) fn parse<const N: usize, H: Headers + ?Sized>(
        spec: &'a Spec,
        headers: &'a H,
        now: SystemTime,
        tolerance: Duration,
        keys: impl FnOnce(Box<Candidates<N>>) -> Keys<'a>,
    ) -> Result<Self, VerifyError> {
        let mut tags = Box::new(Candidates::new());
        let parsed = prepare(spec, headers, &mut *tags, now, tolerance)?;
        Ok(Prechecked {
            tolerance,
            spec,
            parsed,
            keys: keys(tags),
        })
    }

    /// Verifies `body` against the prechecked headers, with the timestamp
    /// checked again against the system clock (reading the body took time).
    ///
    /// # Errors
    ///
    /// `timestamp_too_old` / `timestamp_in_future` if the clock moved past
    /// the tolerance meanwhile, `signature_mismatch` if no signature
    /// matches; see [`VerifyError`].
    pub fn verify(self, body: &[u8]) -> Result<Verified, VerifyError> {
        self.verify_at(body, SystemTime::now())
    }

    /// Verifies `body` as of `now`: the same answer
    /// [`Verifier::verify_at`](crate::Verifier::verify_at) gives for these
    /// headers, this body and this `now`.
    ///
    /// # Errors
    ///
    /// As for [`verify`](Prechecked::verify).
    pub fn verify_at(self, body: &[u8], now: SystemTime) -> Result<Verified, VerifyError> {
        fresh(self.spec, &self.parsed, now, self.tolerance)?;
        match &self.keys {
            Keys::Hmac(keys, candidates) => {
                check_tags(self.spec, keys, &self.parsed, candidates, body)
            }
            #[cfg(feature = "ed25519")]
            Keys::Ed25519(keys, candidates) => {
                crate::schemes::ed25519::check_signatures(keys, &self.parsed, candidates, body)
            }
        }
    }
}

impl fmt::Debug for Prechecked<'_> {
    /// The scheme and the id only: the decoded signatures are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.parsed.id.map(String::from_utf8_lossy);
        f.debug_struct("Prechecked")
            .field("scheme", &self.spec.name)
            .field("id", &id)
            .field("timestamp", &self.parsed.ts)
            .finish_non_exhaustive()
    }
}
