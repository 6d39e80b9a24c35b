//! Integration tests of hookproof-testkit: re-signing against the real
//! verifier, idempotency checks against the real axum layer, and a replay of
//! the repository's whole `fixtures/` catalogue into the example receiver.

mod idempotency;
mod resign;
