//! The shared store for several replicas: [`RedisStore`] (feature `redis`).
//!
//! - `store`: the store and the [`IdempotencyStore`](crate::IdempotencyStore) impl.
//! - `builder`: URL, key prefix, timeouts.
//! - `scripts`: the Lua scripts that make each transition atomic.
//! - `codec`: the binary-safe encoding of a [`Record`](crate::Record).

mod builder;
mod codec;
mod scripts;
mod store;

pub use builder::RedisStoreBuilder;
pub use store::RedisStore;
