//! Constant-time verification of webhook signatures, for every scheme real
//! senders use: Standard Webhooks (Svix, OpenAI, v1 HMAC and v1a Ed25519),
//! GitHub, Stripe, Slack, Shopify, and custom formats (our gateway, plain
//! hex HMAC of the body). Pure and synchronous: no I/O, no clock unless you
//! call [`Verifier::verify`]; [`Verifier::verify_at`] takes `now`.
//!
//! ```
//! use hookproof_verify::{Scheme, Secret, Verifier};
//! use std::time::{Duration, UNIX_EPOCH};
//!
//! // Values from the Standard Webhooks reference libraries' test suite.
//! let secret = Secret::for_scheme(&Scheme::StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let verifier = Verifier::new(Scheme::StandardWebhooks, secret);
//! let headers = [
//!     ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
//!     ("webhook-timestamp", "1614265330"),
//!     ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
//! ];
//! let body = br#"{"test": 2432232314}"#;
//! let now = UNIX_EPOCH + Duration::from_secs(1614265330 + 10);
//!
//! let ok = verifier.verify_at(&headers, body, now)?;
//! assert_eq!(ok.id.as_deref(), Some("msg_p5jXN8AQM9LWM0D4loKWxJek"));
//!
//! let err = verifier.verify_at(&headers, br#"{"test":2432232314}"#, now).unwrap_err();
//! assert_eq!(err.code(), "signature_mismatch");
//! println!("{err}: {}", err.hint());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `http` | no | [`Headers`] for `http::HeaderMap` |
//! | `ed25519` | no | Standard Webhooks v1a (Ed25519) signing and verification, `whpk_`/`whsk_` keys |
//!
//! # Security notes
//!
//! - Signatures are compared in constant time as bytes: every received
//!   candidate is decoded (hex, or strict base64) into a fixed-size stack
//!   buffer and compared with the computed tag with
//!   `subtle::ConstantTimeEq`. The computed tag is never encoded, and no
//!   lookup table is indexed by a secret-derived byte (only the received,
//!   public signature text goes through the decoders' tables). Not
//!   constant time: the length check of a candidate (a wrong length never
//!   matches), the number of candidates, and which secret matched — none
//!   of these depend on the expected tag.
//! - Keys are zeroized on drop: [`Secret`]'s bytes, and the keyed HMAC
//!   states a [`Verifier`] or [`Signer`] holds (inner and outer SHA-256
//!   states, through the `zeroize` features of `hmac` and `sha2`), as well
//!   as the per-delivery copy of the state and the computed tag.
//! - A `signature_mismatch` says how many signatures the request carried,
//!   never how many secrets are configured.
//! - No heap allocation on the success path for real senders' ids:
//!   [`Verified::id`] is a [`DeliveryId`] (ASCII ids up to 64 bytes kept
//!   inline, longer ones on the heap) and [`Verified::scheme`] is a
//!   [`SchemeName`] (a static or shared name).
//! - Each secret is keyed once; verification clones the keyed HMAC state
//!   and feeds the signed content in parts, so nothing that grows with the
//!   body is allocated.
//! - Hostile input is bounded: header values over [`MAX_HEADER_LEN`] bytes
//!   and more than [`MAX_SIGNATURES`] signatures are `malformed_header`.
//! - An id or timestamp header given twice is ambiguous and rejected
//!   (`malformed_header`). Several signature header values are all read
//!   (each may carry signatures), except for `t=..,v1=..` formats (Stripe,
//!   gateway) where a second value would carry a second timestamp.
//! - Timestamps are checked in both directions, edges inclusive
//!   ([`DEFAULT_TOLERANCE`] = 5 minutes).
//! - Standard Webhooks and the gateway format sign the delivery id
//!   (`{id}.{ts}.{body}`, `{t}.{id}.{body}`), so a captured delivery
//!   cannot be replayed under a fresh id. GitHub's and Shopify's id headers
//!   are **not** signed and those senders sign no timestamp: one captured
//!   delivery can be resent forever under new ids, each verifying.
//!   Deduplicate those on a business id in the body (see
//!   [`Verified::id`] and [`Scheme`]).
//! - An empty or whitespace-only delivery id is refused
//!   (`invalid_delivery_id`) in every scheme that reads one; ids up to
//!   [`MAX_HEADER_LEN`] bytes verify.
//! - [`Verifier::precheck_at`] runs every check that needs no body (headers,
//!   id, timestamp, signature syntax) without allocating, so a server can
//!   refuse garbage before it buffers a body; whenever it refuses,
//!   verification refuses with the same code.
//! - [`Secret`] is zeroized on drop and never printed; errors never contain
//!   the expected signature.
#![forbid(unsafe_code)]

mod delivery_id;
mod engine;
mod error;
mod headers;
mod prechecked;
mod schemes;
mod secret;
mod signer;
mod verified;
mod verifier;

pub use delivery_id::DeliveryId;
pub use engine::{MAX_HEADER_LEN, MAX_SIGNATURES};
pub use error::{ConfigError, VerifyError};
pub use headers::Headers;
pub use prechecked::Prechecked;
pub use schemes::{
    CustomScheme, CustomSchemeBuilder, Encoding, Part, Scheme, TimestampUnit, UnknownScheme,
};
pub use secret::{
    ED25519_PUBLIC_KEY_PREFIX, ED25519_SIGNING_KEY_PREFIX, STANDARD_SECRET_PREFIX, Secret,
    SecretError, SecretKind,
};
pub use signer::Signer;
pub use verified::{SchemeName, Verified};
pub use verifier::{DEFAULT_TOLERANCE, Verifier, VerifierBuilder};
