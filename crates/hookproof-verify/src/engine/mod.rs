//! The verification core shared by all schemes: bounded header reading,
//! candidate decoding into fixed buffers, freshness check, and the HMAC
//! engine driven by a scheme [`Spec`](crate::schemes::spec::Spec).

pub(crate) mod candidates;
pub(crate) mod freshness;
pub(crate) mod hmac;
pub(crate) mod read;
pub(crate) mod tag_text;

/// Longest header value read, in bytes; longer values are
/// `malformed_header`. Bounds the parsing work on hostile input.
pub const MAX_HEADER_LEN: usize = 4096;

/// Most signatures considered per delivery (across all values of the
/// signature header, all versions counted); more is `malformed_header`.
/// Bounds the work per key to this many constant-time comparisons.
pub const MAX_SIGNATURES: usize = 16;
