//! hookproof-idempotency (under construction; see ARCHITECTURE.md).
#![forbid(unsafe_code)]
