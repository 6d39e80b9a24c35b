//! The in-process store: [`MemoryStore`] and its [`MemoryStoreBuilder`].
//!
//! - `entry`: the per-key state and its expiry rules.
//! - `key`: map keys that carry their hash.
//! - `store`: the store and the state transitions.
//! - `builder`: capacity, body limit, sweep interval.
//! - `sweep`: the background task removing expired entries.

mod builder;
mod entry;
mod key;
mod store;
mod sweep;

pub use builder::{MemoryStoreBuilder, WhenFull};
pub use store::MemoryStore;
