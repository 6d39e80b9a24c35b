//! Integration tests: one generic suite run against every store.

mod memory;
#[cfg(feature = "redis")]
mod redis;
mod suite;
