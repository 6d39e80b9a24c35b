//! The signer: produces exactly the headers a real sender of a scheme sends.

use std::sync::Arc;

use crate::engine::sign;
use crate::engine::verify::HmacKey;
use crate::schemes::spec::Format;
use crate::verifier::hmac_keys;
use crate::{ConfigError, Scheme, Secret};

/// Signs deliveries the way a scheme's sender does (for emitters, tests and
/// the CLI). Clone is cheap; `Debug` does not print secrets; the keyed
/// HMAC states (and Ed25519 signing keys) are zeroized on drop.
///
/// # Examples
///
/// ```
/// use hookproof_verify::{Scheme, Secret, Signer};
///
/// let secret = Secret::from_standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let headers = Signer::new(Scheme::StandardWebhooks, secret).sign(
///     "msg_p5jXN8AQM9LWM0D4loKWxJek",
///     1614265330,
///     br#"{"test": 2432232314}"#,
/// );
/// assert_eq!(headers[2], (
///     "webhook-signature".to_string(),
///     "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=".to_string(),
/// ));
/// # Ok::<(), hookproof_verify::SecretError>(())
/// ```
#[derive(Clone)]
pub struct Signer {
    scheme: Scheme,
    keys: Arc<SignKeys>,
}

enum SignKeys {
    Hmac(Vec<HmacKey>),
    #[cfg(feature = "ed25519")]
    Ed25519(Vec<ed25519_dalek::SigningKey>),
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("scheme", &self.scheme.name())
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl Signer {
    /// A signer with one secret.
    ///
    /// # Panics
    ///
    /// If the secret's kind does not fit the scheme (an Ed25519 key for an
    /// HMAC scheme, or anything but a `whsk_` signing key for
    /// `StandardWebhooksEd25519`). Use [`Signer::try_new`] to get an error.
    pub fn new(scheme: Scheme, secret: Secret) -> Signer {
        match Signer::with_secrets(scheme, vec![secret]) {
            Ok(s) => s,
            Err(e) => panic!("Signer::new: {e}"),
        }
    }

    /// Like [`Signer::new`], returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// [`ConfigError::KeyTypeMismatch`].
    pub fn try_new(scheme: Scheme, secret: Secret) -> Result<Signer, ConfigError> {
        Signer::with_secrets(scheme, vec![secret])
    }

    /// Signs with every secret (rotation): one signature per secret, in order.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoSecrets`]; [`ConfigError::SingleSignatureScheme`]
    /// for more than one secret with a scheme whose header carries exactly
    /// one signature (GitHub, Slack, Shopify, plain custom schemes);
    /// [`ConfigError::KeyTypeMismatch`].
    pub fn with_secrets(scheme: Scheme, secrets: Vec<Secret>) -> Result<Signer, ConfigError> {
        if secrets.is_empty() {
            return Err(ConfigError::NoSecrets);
        }
        let keys = match scheme.hmac_spec() {
            Some(spec) => {
                if secrets.len() > 1 && matches!(spec.format, Format::Plain { .. }) {
                    return Err(ConfigError::SingleSignatureScheme(scheme.name().to_owned()));
                }
                SignKeys::Hmac(hmac_keys(&scheme, &secrets)?)
            }
            #[cfg(feature = "ed25519")]
            None => SignKeys::Ed25519(crate::schemes::ed25519::signing_keys(&secrets)?),
            #[cfg(not(feature = "ed25519"))]
            None => return Err(ConfigError::NoSecrets),
        };
        Ok(Signer {
            scheme,
            keys: Arc::new(keys),
        })
    }

    /// Signs one delivery and returns the headers to send, `(name, value)`
    /// with lowercase names, in the order id, timestamp, signature (those
    /// the scheme has). `timestamp` is unix seconds (written in
    /// milliseconds for custom schemes using [`TimestampUnit::Millis`](crate::TimestampUnit::Millis));
    /// `id` is ignored by schemes without an id header.
    ///
    /// The id travels in a header, so give one that can arrive unchanged:
    /// not empty, visible characters without leading or trailing spaces or
    /// tabs (HTTP strips those, and the verifier trims them), at most 4096
    /// bytes (the verifier's header limit). Other ids are never refused
    /// here (this method cannot fail and never panics): they are signed and
    /// sent as given, and the receiver's verification refuses the delivery
    /// with a stable code:
    ///
    /// | id | receiver's error |
    /// |---|---|
    /// | empty or only whitespace | `invalid_delivery_id` |
    /// | leading or trailing spaces or tabs | `signature_mismatch` where the id is signed |
    /// | over 4096 bytes | `malformed_header` |
    ///
    /// Schemes without an id header (Stripe, Slack, hex) ignore `id`.
    ///
    /// ```
    /// use hookproof_verify::{Scheme, Secret, Signer, Verifier};
    /// use std::time::UNIX_EPOCH;
    ///
    /// let secret = Secret::from_utf8("gw-secret-2026")?;
    /// let headers = Signer::new(Scheme::gateway(), secret.clone()).sign("", 0, b"{}");
    /// assert_eq!(headers[0], ("x-webhook-id".to_string(), String::new()));
    /// let err = Verifier::new(Scheme::gateway(), secret).verify_at(&headers, b"{}", UNIX_EPOCH);
    /// assert_eq!(err.unwrap_err().code(), "invalid_delivery_id");
    /// # Ok::<(), hookproof_verify::SecretError>(())
    /// ```
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> Vec<(String, String)> {
        match (&*self.keys, self.scheme.hmac_spec()) {
            (SignKeys::Hmac(keys), Some(spec)) => sign::sign(spec, keys, id, timestamp, body),
            #[cfg(feature = "ed25519")]
            (SignKeys::Ed25519(keys), _) => {
                crate::schemes::ed25519::sign(keys, id, timestamp, body)
            }
            // Unreachable by construction: `with_secrets` pairs key kinds with schemes.
            _ => Vec::new(),
        }
    }

    /// The scheme this signer signs for.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }
}
