//! Process each webhook delivery once although senders deliver at least once.
//!
//! Senders retry on timeouts and 5xx, and the same delivery can reach two
//! replicas at the same moment. An [`IdempotencyStore`] keeps, per delivery
//! id, a small state machine — *absent → in progress (lease, fencing token)
//! → completed (record)* — so that exactly one attempt runs the handler,
//! concurrent retries are told to come back later, later retries get the
//! stored response replayed, and a crashed handler blocks the delivery for
//! at most its lease.
//!
//! Two stores implement it: [`MemoryStore`] (one process, dashmap) and
//! `RedisStore` (feature `redis`, several replicas sharing one Redis).
//!
//! ```
//! use std::time::Duration;
//! use hookproof_idempotency::{Begin, IdempotencyStore, MemoryStore, Record, StoreError};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), StoreError> {
//! let store = MemoryStore::new();
//! let lease = Duration::from_secs(30);
//! let ttl = Duration::from_secs(24 * 3600);
//!
//! // First attempt: we hold the key and run the handler.
//! let Begin::Acquired(claim) = store.begin("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", lease).await? else {
//!     panic!("a fresh key is acquired");
//! };
//! // A long handler keeps the key by renewing its lease while it runs.
//! store.renew(&claim, lease).await?;
//! store.complete(claim, Record::new(200).with_body("text/plain", "ok"), ttl).await?;
//!
//! // The sender's retry: replay the outcome, don't run the handler again.
//! match store.begin("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", lease).await? {
//!     Begin::Completed(record) => assert_eq!(record.body.as_deref(), Some(&b"ok"[..])),
//!     other => panic!("expected the stored record, got {other:?}"),
//! }
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `redis` | no | `RedisStore`: the same semantics in Redis (Lua scripts, `ConnectionManager`) |
//!
//! # Security and failure notes
//!
//! - Keys are delivery ids taken from a request whose signature was already
//!   verified; they are limited to [`MAX_KEY_LEN`] bytes without control
//!   characters.
//! - A store that cannot answer returns an error with
//!   [`StoreError::is_unavailable`] = true: answer 503 so the sender retries.
//!   Never treat an error as "already processed".
//! - Leases and renewal: a claim holds its key for the lease given to
//!   `begin`; [`IdempotencyStore::renew`] moves the end of a live lease to
//!   now + lease. A handler that may run longer than one lease must be
//!   renewed while it runs (every third of the lease leaves two chances
//!   before it ends; the `hookproof-axum` layer does this for you), or a
//!   retry arriving after the lease runs the handler a second time. A
//!   crashed or hung holder stops renewing and frees the key one lease
//!   after its last renewal.
//! - Fencing: every acquisition gets a larger token than the ones before.
//!   A claim whose lease expired or was taken over cannot complete, release
//!   or renew the key ([`StoreError::LeaseLost`]; the newer holder's state is
//!   untouched). If `renew` or `complete` answers `LeaseLost`, another
//!   attempt may be running the same delivery: stop, and do not report
//!   success for it. `RedisStore` derives tokens from the Redis server's
//!   clock as well as its counter, so they keep growing even when Redis
//!   restarts without persistence and loses the counter.
//! - The memory store hashes keys with foldhash (randomly seeded, minimally
//!   DoS-resistant), not SipHash: keys come from signed deliveries, so only a
//!   holder of the signing secret chooses them.
//! - The memory store never evicts an in-flight lease. At capacity, after
//!   dropping expired entries, it forgets its oldest completed records
//!   (logged, counted) or, with [`WhenFull::Refuse`], answers
//!   [`StoreError::Full`]; see [`WhenFull`] for the trade-off.
#![forbid(unsafe_code)]

mod begin;
mod claim;
mod error;
mod memory;
mod record;
#[cfg(feature = "redis")]
mod redis;
mod store;
mod validate;

pub use begin::Begin;
pub use claim::Claim;
pub use error::StoreError;
pub use memory::{MemoryStore, MemoryStoreBuilder, WhenFull};
pub use record::Record;
#[cfg(feature = "redis")]
pub use redis::{RedisStore, RedisStoreBuilder};
pub use store::{BoxFuture, IdempotencyStore};
pub use validate::{MAX_DURATION, MAX_KEY_LEN};
