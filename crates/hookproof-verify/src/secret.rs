//! Webhook secrets and how a configured string becomes key bytes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::Scheme;

/// Prefix of a Standard Webhooks symmetric secret (`whsec_<base64>`).
pub const STANDARD_SECRET_PREFIX: &str = "whsec_";
/// Prefix of a Standard Webhooks Ed25519 public key (`whpk_<base64>`).
pub const ED25519_PUBLIC_KEY_PREFIX: &str = "whpk_";
/// Prefix of a Standard Webhooks Ed25519 signing key (`whsk_<base64>`).
pub const ED25519_SIGNING_KEY_PREFIX: &str = "whsk_";

/// Prefixes of credentials that are *not* webhook secrets (API keys and
/// tokens). A string starting with one of these is refused with
/// [`SecretError::LooksLikeApiKey`].
const API_KEY_PREFIXES: &[(&str, &str)] = &[
    ("sk_live_", "a Stripe secret API key"),
    ("sk_test_", "a Stripe secret API key"),
    ("rk_live_", "a Stripe restricted API key"),
    ("rk_test_", "a Stripe restricted API key"),
    ("pk_live_", "a Stripe publishable key"),
    ("pk_test_", "a Stripe publishable key"),
    ("sk-", "an OpenAI/Anthropic-style API key"),
    ("xoxb-", "a Slack bot token"),
    ("xoxp-", "a Slack user token"),
    ("xapp-", "a Slack app-level token"),
    ("ghp_", "a GitHub personal access token"),
    ("gho_", "a GitHub OAuth token"),
    ("ghs_", "a GitHub app installation token"),
    ("github_pat_", "a GitHub fine-grained token"),
    ("shpat_", "a Shopify Admin API access token"),
];

/// What kind of key a [`Secret`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretKind {
    /// Shared HMAC key bytes.
    Symmetric,
    /// Ed25519 public key (32 bytes), from `whpk_...`; verifies only.
    Ed25519Public,
    /// Ed25519 signing key (32-byte seed), from `whsk_...`; signs and verifies.
    Ed25519Signing,
}

/// A webhook signing secret (or Ed25519 key).
///
/// The bytes are zeroized on drop; `Debug` prints `Secret(<redacted>)` and
/// there is no `Display`.
///
/// # How a configured string becomes key bytes
///
/// Senders differ, so the rule is explicit and per scheme
/// ([`Secret::for_scheme`]):
///
/// | scheme | string given | key bytes |
/// |---|---|---|
/// | Standard Webhooks (Svix, OpenAI, our gateway emitter) | `whsec_<base64>` | base64-decoded part after `whsec_` |
/// | Standard Webhooks | bare `<base64>` | base64-decoded, as the `svix` and `standardwebhooks` libraries do. OpenAI's SDK instead uses a non-prefixed secret as UTF-8: use [`Secret::from_utf8`] for that case |
/// | Standard Webhooks v1a (Ed25519) | `whpk_<base64>` / `whsk_<base64>` | 32-byte public key / 32-byte seed (a 64-byte seed‖public keypair is accepted too) |
/// | Stripe | `whsec_...` | the **whole string, prefix included**, as UTF-8 (Stripe does not base64-decode) |
/// | GitHub, Slack, Shopify, custom, gateway, hex | any | UTF-8 bytes of the string |
///
/// Every string constructor refuses: an empty secret, leading or trailing
/// whitespace (usually a newline pasted from a terminal or `.env` file),
/// and strings that look like an API key or token (`sk_live_`, `sk-`,
/// `xoxb-`, `ghp_`, ...) instead of a webhook signing secret.
///
/// # Examples
///
/// ```
/// use hookproof_verify::{Scheme, Secret, SecretError};
///
/// let s = Secret::from_standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// assert_eq!(s.len(), 24);
/// // Stripe keys its HMAC with the whole string:
/// let stripe = Secret::for_scheme(&Scheme::Stripe, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// assert_eq!(stripe.len(), 38);
///
/// let err = Secret::from_utf8("sk_live_abc").unwrap_err();
/// assert_eq!(err.code(), "looks_like_api_key");
/// let err = Secret::from_standard("whsec_abc\n").unwrap_err();
/// assert_eq!(err.code(), "surrounding_whitespace");
/// # Ok::<(), SecretError>(())
/// ```
#[derive(Clone)]
pub struct Secret {
    bytes: Zeroizing<Vec<u8>>,
    kind: SecretKind,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Secret {
    /// Uses `bytes` as the HMAC key as they are.
    ///
    /// # Errors
    ///
    /// [`SecretError::Empty`] if `bytes` is empty.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Secret, SecretError> {
        let bytes = Zeroizing::new(bytes.into());
        if bytes.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Secret {
            bytes,
            kind: SecretKind::Symmetric,
        })
    }

    /// Uses the UTF-8 bytes of `s` as the HMAC key (GitHub, Slack, Shopify,
    /// Stripe, custom schemes; OpenAI's SDK for secrets without `whsec_`).
    ///
    /// # Errors
    ///
    /// Empty string, surrounding whitespace, or an API-key-looking string.
    pub fn from_utf8(s: &str) -> Result<Secret, SecretError> {
        check_string(s)?;
        Secret::from_bytes(s.as_bytes())
    }

    /// Parses a Standard Webhooks secret: `whsec_<base64>` (or bare
    /// `<base64>`, as the `svix` libraries accept) into the decoded bytes.
    ///
    /// # Errors
    ///
    /// Empty, whitespace, API-key-looking, an Ed25519 key (`whpk_`/`whsk_`),
    /// or invalid base64 (standard alphabet, padded).
    pub fn from_standard(s: &str) -> Result<Secret, SecretError> {
        check_string(s)?;
        if s.starts_with(ED25519_PUBLIC_KEY_PREFIX) || s.starts_with(ED25519_SIGNING_KEY_PREFIX) {
            return Err(SecretError::WrongKeyType {
                expected: "a symmetric `whsec_` secret",
                found: "an Ed25519 key (`whpk_`/`whsk_`)",
            });
        }
        let body = s.strip_prefix(STANDARD_SECRET_PREFIX).unwrap_or(s);
        let bytes = decode_base64(body, s.starts_with(STANDARD_SECRET_PREFIX))?;
        Secret::from_bytes(bytes)
    }

    /// Parses a Standard Webhooks Ed25519 public key `whpk_<base64>` (32
    /// bytes). Verification only.
    ///
    /// # Errors
    ///
    /// Missing prefix, bad base64, or not 32 bytes.
    pub fn from_ed25519_public(s: &str) -> Result<Secret, SecretError> {
        check_string(s)?;
        let body = s
            .strip_prefix(ED25519_PUBLIC_KEY_PREFIX)
            .ok_or(SecretError::WrongKeyType {
                expected: "an Ed25519 public key `whpk_<base64>`",
                found: "a string without the `whpk_` prefix",
            })?;
        let bytes = Zeroizing::new(decode_base64(body, true)?);
        if bytes.len() != 32 {
            return Err(SecretError::InvalidKeyLength {
                expected: "32",
                found: bytes.len(),
            });
        }
        Ok(Secret {
            bytes,
            kind: SecretKind::Ed25519Public,
        })
    }

    /// Parses a Standard Webhooks Ed25519 signing key `whsk_<base64>`: a
    /// 32-byte seed, or a 64-byte `seed ‖ public key` keypair (libsodium
    /// layout; only the seed is kept).
    ///
    /// # Errors
    ///
    /// Missing prefix, bad base64, or neither 32 nor 64 bytes.
    pub fn from_ed25519_signing(s: &str) -> Result<Secret, SecretError> {
        check_string(s)?;
        let body = s
            .strip_prefix(ED25519_SIGNING_KEY_PREFIX)
            .ok_or(SecretError::WrongKeyType {
                expected: "an Ed25519 signing key `whsk_<base64>`",
                found: "a string without the `whsk_` prefix",
            })?;
        let mut bytes = Zeroizing::new(decode_base64(body, true)?);
        match bytes.len() {
            32 => {}
            64 => bytes.truncate(32),
            n => {
                return Err(SecretError::InvalidKeyLength {
                    expected: "32 or 64",
                    found: n,
                });
            }
        }
        Ok(Secret {
            bytes,
            kind: SecretKind::Ed25519Signing,
        })
    }

    /// Turns a configured string into a secret with `scheme`'s rule (see
    /// the table on [`Secret`]).
    ///
    /// # Errors
    ///
    /// As for the constructor the rule picks.
    pub fn for_scheme(scheme: &Scheme, s: &str) -> Result<Secret, SecretError> {
        match scheme {
            Scheme::StandardWebhooks => Secret::from_standard(s),
            #[cfg(feature = "ed25519")]
            Scheme::StandardWebhooksEd25519 => {
                if s.starts_with(ED25519_SIGNING_KEY_PREFIX) {
                    Secret::from_ed25519_signing(s)
                } else {
                    Secret::from_ed25519_public(s)
                }
            }
            Scheme::Stripe
            | Scheme::GitHub
            | Scheme::Slack
            | Scheme::Shopify
            | Scheme::Custom(_) => Secret::from_utf8(s),
        }
    }

    /// Number of key bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always `false`: an empty secret cannot be constructed.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// What kind of key this is.
    pub fn kind(&self) -> SecretKind {
        self.kind
    }

    pub(crate) fn expose(&self) -> &[u8] {
        &self.bytes
    }
}

fn check_string(s: &str) -> Result<(), SecretError> {
    if s.is_empty() {
        return Err(SecretError::Empty);
    }
    if s.trim() != s {
        return Err(SecretError::SurroundingWhitespace);
    }
    if let Some((prefix, what)) = API_KEY_PREFIXES.iter().find(|(p, _)| s.starts_with(p)) {
        return Err(SecretError::LooksLikeApiKey { prefix, what });
    }
    Ok(())
}

fn decode_base64(body: &str, prefixed: bool) -> Result<Vec<u8>, SecretError> {
    if body.is_empty() {
        return Err(SecretError::Empty);
    }
    STANDARD
        .decode(body)
        .map_err(|_| SecretError::InvalidBase64 { prefixed })
}

/// Why a secret could not be constructed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret (or the part after its prefix) is empty.
    #[error("the webhook secret is empty; check that the environment variable or file is set")]
    Empty,
    /// Leading or trailing whitespace.
    #[error(
        "the webhook secret has leading or trailing whitespace (a pasted newline?); \
         remove it, whitespace is never part of a secret"
    )]
    SurroundingWhitespace,
    /// Base64 after `whsec_` (or of a bare Standard secret) does not decode.
    #[error(
        "the webhook secret is not valid base64{}; Standard Webhooks secrets look like \
         `whsec_<base64>`. If your sender uses the string as raw bytes (e.g. OpenAI's SDK with a \
         secret without `whsec_`), use `Secret::from_utf8`",
        if *prefixed { " after `whsec_`" } else { "" }
    )]
    InvalidBase64 {
        /// Whether the string had a `whsec_`/`whpk_`/`whsk_` prefix.
        prefixed: bool,
    },
    /// The string looks like an API key or token, not a webhook secret.
    #[error(
        "this looks like {what} (starts with `{prefix}`), not a webhook signing secret; \
         copy the endpoint's signing secret from the sender's webhook settings"
    )]
    LooksLikeApiKey {
        /// The recognised prefix.
        prefix: &'static str,
        /// What the prefix usually denotes.
        what: &'static str,
    },
    /// A key of the wrong type for the constructor.
    #[error("expected {expected}, found {found}")]
    WrongKeyType {
        /// What was expected.
        expected: &'static str,
        /// What was given.
        found: &'static str,
    },
    /// An Ed25519 key of the wrong length.
    #[error("Ed25519 key has {found} bytes, expected {expected}")]
    InvalidKeyLength {
        /// Accepted lengths.
        expected: &'static str,
        /// Decoded length.
        found: usize,
    },
}

impl SecretError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SecretError::Empty => "empty_secret",
            SecretError::SurroundingWhitespace => "surrounding_whitespace",
            SecretError::InvalidBase64 { .. } => "invalid_base64",
            SecretError::LooksLikeApiKey { .. } => "looks_like_api_key",
            SecretError::WrongKeyType { .. } => "wrong_key_type",
            SecretError::InvalidKeyLength { .. } => "invalid_key_length",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_decodes_with_and_without_prefix() {
        let a = Secret::from_standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let b = Secret::from_standard("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(a.expose(), b.expose());
        assert_eq!(a.len(), 24);
    }

    #[test]
    fn refuses_bad_input_with_codes() {
        assert_eq!(
            Secret::from_standard("whsec_").unwrap_err().code(),
            "empty_secret"
        );
        assert_eq!(
            Secret::from_standard("whsec_!!!").unwrap_err().code(),
            "invalid_base64"
        );
        assert_eq!(
            Secret::from_utf8(" abc").unwrap_err().code(),
            "surrounding_whitespace"
        );
        assert_eq!(Secret::from_utf8("").unwrap_err().code(), "empty_secret");
        assert_eq!(
            Secret::from_bytes(Vec::new()).unwrap_err().code(),
            "empty_secret"
        );
        for key in [
            "sk-proj-abc",
            "xoxb-1-2",
            "ghp_abc",
            "rk_test_x",
            "sk_test_x",
        ] {
            assert_eq!(
                Secret::from_utf8(key).unwrap_err().code(),
                "looks_like_api_key",
                "{key}"
            );
        }
        assert_eq!(
            Secret::from_standard("whpk_AAAA").unwrap_err().code(),
            "wrong_key_type"
        );
    }

    #[test]
    fn debug_redacts() {
        let s = Secret::from_utf8("super-secret-value").unwrap();
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
    }

    #[test]
    fn ed25519_keys_check_length() {
        let pk = format!("whpk_{}", STANDARD.encode([7u8; 32]));
        assert_eq!(
            Secret::from_ed25519_public(&pk).unwrap().kind(),
            SecretKind::Ed25519Public
        );
        let short = format!("whpk_{}", STANDARD.encode([7u8; 31]));
        assert_eq!(
            Secret::from_ed25519_public(&short).unwrap_err().code(),
            "invalid_key_length"
        );
        let pair = format!("whsk_{}", STANDARD.encode([9u8; 64]));
        let sk = Secret::from_ed25519_signing(&pair).unwrap();
        assert_eq!((sk.len(), sk.kind()), (32, SecretKind::Ed25519Signing));
    }
}
