//! Integration tests of hookproof-testkit: re-signing against the real
//! verifier, idempotency checks against the real axum layer, and a replay of
//! the repository's whole `fixtures/` catalogue into the example receiver.

mod catalogue;
mod http_client;
mod idempotency;
mod resign;

/// The example receiver (`examples/axum_receiver.rs`), compiled into this
/// test so the catalogue is replayed into exactly what users copy.
#[path = "../../../../examples/axum_receiver.rs"]
#[allow(dead_code, unreachable_pub)]
mod receiver;
