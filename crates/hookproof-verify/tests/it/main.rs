//! Integration tests for hookproof-verify: known-answer vectors from the
//! senders' docs, negative cases per scheme, property tests, and
//! cross-implementation tests against the `svix` and `standardwebhooks` crates.

#![allow(clippy::unwrap_used)] // test helpers panic on broken fixtures

mod cross;
#[cfg(feature = "ed25519")]
mod ed25519;
mod ids;
mod kat;
mod negative;
mod precheck;
mod prop;
mod replay;
