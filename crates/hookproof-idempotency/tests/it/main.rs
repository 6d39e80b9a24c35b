//! Integration tests: one generic suite run against every store.

mod memory;
mod suite;
