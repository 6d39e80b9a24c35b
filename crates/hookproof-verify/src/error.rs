//! Verification and configuration errors.

/// Why a delivery was rejected.
///
/// Every variant has a stable machine [`code`](VerifyError::code) and a
/// [`hint`](VerifyError::hint) saying what to check. Messages name the
/// header involved and never contain the expected signature, the secret,
/// or how many secrets are configured.
///
/// | code | variant | typical HTTP answer |
/// |---|---|---|
/// | `missing_header` | [`MissingHeader`](VerifyError::MissingHeader) | 400 |
/// | `malformed_header` | [`MalformedHeader`](VerifyError::MalformedHeader) | 400 |
/// | `invalid_delivery_id` | [`InvalidDeliveryId`](VerifyError::InvalidDeliveryId) | 400 |
/// | `timestamp_too_old` | [`TimestampTooOld`](VerifyError::TimestampTooOld) | 401 |
/// | `timestamp_in_future` | [`TimestampInFuture`](VerifyError::TimestampInFuture) | 401 |
/// | `no_supported_signature` | [`NoSupportedSignature`](VerifyError::NoSupportedSignature) | 401 |
/// | `signature_mismatch` | [`SignatureMismatch`](VerifyError::SignatureMismatch) | 401 |
/// | `misconfigured` | [`Misconfigured`](VerifyError::Misconfigured) | 401 (fail closed) |
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required header is absent.
    #[error("missing header `{header}`")]
    MissingHeader {
        /// Header name (lowercase).
        header: String,
    },
    /// A header is present but cannot be used: bad syntax, not UTF-8, too
    /// long, too many signatures, or given more than once where only one
    /// value makes sense.
    #[error("malformed header `{header}`: {reason}")]
    MalformedHeader {
        /// Header name (lowercase).
        header: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The timestamp is older than the tolerance allows.
    #[error(
        "timestamp in `{header}` is {skew_secs} s old, more than the {tolerance_secs} s tolerance \
         (replayed delivery, a long queue, or this machine's clock is ahead)"
    )]
    TimestampTooOld {
        /// Header carrying the timestamp.
        header: String,
        /// How far the timestamp lies in the past, in seconds (now − timestamp).
        skew_secs: i64,
        /// Configured tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// The timestamp lies further in the future than the tolerance allows.
    #[error(
        "timestamp in `{header}` is {skew_secs} s in the future, more than the {tolerance_secs} s \
         tolerance (this machine's clock is behind, or the sender's is ahead)"
    )]
    TimestampInFuture {
        /// Header carrying the timestamp.
        header: String,
        /// How far the timestamp lies in the future, in seconds (timestamp − now).
        skew_secs: i64,
        /// Configured tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// No signature of the version this scheme checks was present (an empty
    /// signature list, or only other versions such as `v1a` or `v0`).
    #[error("no `{expected}` signature in `{header}`")]
    NoSupportedSignature {
        /// Signature header name.
        header: String,
        /// What kind of entry was looked for, e.g. `v1,<base64>`.
        expected: String,
    },
    /// Signatures were present but none matched. The message says how many
    /// signatures the request carried, never how many secrets are
    /// configured (it is shown to unauthenticated senders).
    #[error("signature mismatch: none of the {candidates} signature(s) in `{header}` is valid")]
    SignatureMismatch {
        /// Signature header name.
        header: String,
        /// How many signatures of the checked version were present
        /// (including undecodable or truncated ones).
        candidates: usize,
    },
    /// The delivery id header is present but unusable as a delivery id:
    /// empty or only whitespace. A blank id cannot tell deliveries apart
    /// (every blank-id delivery would share one deduplication key), so it
    /// is refused in every scheme that reads an id, before any signature
    /// work.
    #[error("invalid delivery id in `{header}`: {reason}")]
    InvalidDeliveryId {
        /// Id header name (lowercase).
        header: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The verifier itself is misconfigured (e.g. an Ed25519 public key
    /// given to an HMAC scheme via [`Verifier::new`](crate::Verifier::new)).
    #[error("verifier misconfigured: {0}")]
    Misconfigured(ConfigError),
}

impl VerifyError {
    /// Stable machine-readable code, e.g. `"signature_mismatch"`.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::MissingHeader { .. } => "missing_header",
            VerifyError::MalformedHeader { .. } => "malformed_header",
            VerifyError::TimestampTooOld { .. } => "timestamp_too_old",
            VerifyError::TimestampInFuture { .. } => "timestamp_in_future",
            VerifyError::NoSupportedSignature { .. } => "no_supported_signature",
            VerifyError::SignatureMismatch { .. } => "signature_mismatch",
            VerifyError::InvalidDeliveryId { .. } => "invalid_delivery_id",
            VerifyError::Misconfigured(_) => "misconfigured",
        }
    }

    /// What to check to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            VerifyError::MissingHeader { .. } => {
                "check that the sender uses this scheme (e.g. Standard Webhooks sends webhook-id, \
                 webhook-timestamp and webhook-signature) and that no proxy strips the header"
            }
            VerifyError::MalformedHeader { .. } => {
                "the header does not have the scheme's syntax; check the scheme you configured \
                 matches the sender, and that no proxy merges or rewrites headers"
            }
            VerifyError::TimestampTooOld { .. } | VerifyError::TimestampInFuture { .. } => {
                "check both clocks (NTP); a delivery replayed or queued for longer than the \
                 tolerance is rejected on purpose; widen the tolerance only if you must"
            }
            VerifyError::NoSupportedSignature { .. } => {
                "the header carries no signature of the version this verifier checks; check the \
                 configured scheme (e.g. v1 HMAC vs v1a Ed25519) matches the sender"
            }
            VerifyError::SignatureMismatch { .. } => {
                "verify the exact raw body bytes (a framework that parsed and re-serialized the \
                 JSON changes them); use the endpoint's webhook signing secret, not an API key; \
                 check its encoding (whsec_ base64 vs raw string, Secret::for_scheme) and that no \
                 whitespace or newline was pasted with it"
            }
            VerifyError::InvalidDeliveryId { .. } => {
                "the sender must put a unique, non-blank id in the delivery id header (its retries \
                 reuse it); check that no proxy empties the header, and that the configured \
                 scheme matches the sender"
            }
            VerifyError::Misconfigured(_) => {
                "fix the verifier configuration: the secret's kind must match the scheme"
            }
        }
    }
}

/// Invalid verifier, signer or custom scheme configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No secret was configured.
    #[error("no secret configured")]
    NoSecrets,
    /// A secret of the wrong kind for the scheme.
    #[error("scheme `{scheme}` needs {expected}")]
    KeyTypeMismatch {
        /// Scheme name.
        scheme: String,
        /// What kind of key the scheme needs.
        expected: &'static str,
    },
    /// The scheme carries only one signature, so it cannot sign with several secrets.
    #[error("scheme `{0}` carries a single signature; sign with one secret")]
    SingleSignatureScheme(String),
    /// A custom scheme has no signature header.
    #[error("custom scheme needs a signature header")]
    MissingSignatureHeader,
    /// A header name is empty or contains characters not allowed in header names.
    #[error("invalid header name `{0}`")]
    InvalidHeaderName(String),
    /// The signed content has no body part, so the signature would not cover the body.
    #[error("signed content must include the body")]
    NoBodyPart,
    /// The signed content uses the timestamp but the scheme has no timestamp source.
    #[error("signed content uses the timestamp but no timestamp header or `t=` key is configured")]
    NoTimestampSource,
    /// The signed content uses the id but no id header is configured.
    #[error("signed content uses the id but no id header is configured")]
    NoIdHeader,
    /// Both a timestamp header and a key-value `t=` field were configured.
    #[error("configure either a timestamp header or a key-value timestamp key, not both")]
    ConflictingTimestampSources,
}

impl ConfigError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::NoSecrets => "no_secrets",
            ConfigError::KeyTypeMismatch { .. } => "key_type_mismatch",
            ConfigError::SingleSignatureScheme(_) => "single_signature_scheme",
            ConfigError::MissingSignatureHeader => "missing_signature_header",
            ConfigError::InvalidHeaderName(_) => "invalid_header_name",
            ConfigError::NoBodyPart => "no_body_part",
            ConfigError::NoTimestampSource => "no_timestamp_source",
            ConfigError::NoIdHeader => "no_id_header",
            ConfigError::ConflictingTimestampSources => "conflicting_timestamp_sources",
        }
    }
}
