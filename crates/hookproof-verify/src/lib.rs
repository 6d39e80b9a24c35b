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
//! - Signatures are compared in constant time: the XOR of every byte is
//!   folded into one word without branches and tested with
//!   `subtle::ConstantTimeEq`. Hex signatures are decoded into fixed-size
//!   stack buffers; base64 HMAC signatures are compared as text with the
//!   expected tag base64-encoded (the strict decoder accepts exactly one
//!   text per tag, so this accepts exactly what decode-and-compare would).
//!   Not constant time: the length check of a candidate (a wrong length
//!   never matches), the number of candidates, and which secret matched —
//!   none of these depend on the expected tag.
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
//! - Only Standard Webhooks signs the delivery id; GitHub's, Shopify's and
//!   the gateway's id headers are not covered by the signature, so do not
//!   rely on them alone against replays.
//! - [`Secret`] is zeroized on drop and never printed; errors never contain
//!   the expected signature.
#![forbid(unsafe_code)]

mod delivery_id;
mod engine;
mod error;
mod headers;
mod schemes;
mod secret;
mod signer;
mod verified;
mod verifier;

pub use delivery_id::DeliveryId;
pub use engine::{MAX_HEADER_LEN, MAX_SIGNATURES};
pub use error::{ConfigError, VerifyError};
pub use headers::Headers;
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
