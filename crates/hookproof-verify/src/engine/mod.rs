//! The verification core shared by all schemes, one job per file:
//!
//! - `read`: bounded header reading, timestamp digits;
//! - `parse`: a scheme's headers into a `Parsed` delivery and signature
//!   candidates (the `Spec` says where to look);
//! - `candidates`: candidates decoded into fixed stack buffers, compared
//!   as bytes in constant time;
//! - `freshness`: the timestamp tolerance, a pure function;
//! - `verify`: the body-free checks (`prepare`, the precheck) and the
//!   HMAC comparison;
//! - `sign`: the headers a sender sends.

pub(crate) mod candidates;
pub(crate) mod freshness;
pub(crate) mod parse;
pub(crate) mod read;
pub(crate) mod sign;
pub(crate) mod verify;

/// Longest header value read, in bytes; longer values are
/// `malformed_header`. Bounds the parsing work on hostile input.
pub const MAX_HEADER_LEN: usize = 4096;

/// Most signatures considered per delivery (across all values of the
/// signature header, all versions counted); more is `malformed_header`.
/// Bounds the work per key to this many constant-time comparisons.
pub const MAX_SIGNATURES: usize = 16;
