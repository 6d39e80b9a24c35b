//! Integration tests of hookproof-events.
#![allow(clippy::unwrap_used)] // test helpers may panic on broken fixtures

mod agree;
mod compat;
mod fixtures;
mod order;
#[cfg(feature = "schema")]
mod schema;
