//! [`RedisStore`]: the state machine made atomic in Redis.

use std::sync::Arc;
use std::time::Duration;

use redis::Value;
use redis::aio::ConnectionManager;

use super::scripts::{self, COMPLETED_TAG};
use super::{RedisStoreBuilder, codec};
use crate::store::BoxFuture;
use crate::{Begin, Claim, IdempotencyStore, Record, StoreError, validate};

/// Idempotency store in Redis, shared by several receiver replicas.
///
/// Each operation is one Lua script (one round trip once the scripts are
/// cached by the server): `begin` checks the key, takes a fencing token and
/// sets the lease with `PX` atomically; `complete`, `release` and `renew`
/// (`PEXPIRE`) act only if the key still holds the claim's token. Leases and
/// TTLs are Redis key expiries, so they hold across replicas and restarts
/// of the receiver. Records are stored binary-safe.
///
/// # Fencing tokens survive a Redis restart
///
/// A token is `max(last token + 1, the Redis server's clock in µs)`. While
/// Redis keeps the last token, tokens grow by at least one whatever its
/// clock does. When Redis loses it (no persistence and a restart, a flush,
/// a failover) the clock has moved on, so the next token is still larger
/// than any handed out before, and a holder from before the loss gets
/// [`StoreError::LeaseLost`] instead of overwriting the new holder. The one
/// assumption: after such a loss, the Redis server's clock is not behind the
/// old one's by more than the time that passed (keep clocks synchronized
/// with NTP). Tokens are about 1.8 × 10^15 (microseconds since 1970).
/// Needs Redis 5 or newer.
///
/// Cheap to clone (the connection manager multiplexes one connection and
/// reconnects by itself). Every operation is bounded by the
/// [`operation_timeout`](RedisStoreBuilder::operation_timeout): an unreachable
/// or dead Redis gives [`StoreError::Unavailable`], never a hang, a panic or
/// an "already processed".
///
/// Keys: `{prefix}d:{key}` per delivery (expiring with the lease or TTL) and
/// one counter `{prefix}fence` (the last token) without expiry. Redis Cluster: the counter and
/// the state key must live on one node; give the prefix a hash tag (e.g.
/// `{hookproof}:`) there.
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use hookproof_idempotency::{Begin, IdempotencyStore, RedisStore};
///
/// # async fn run() -> Result<(), hookproof_idempotency::StoreError> {
/// let store = RedisStore::connect("redis://127.0.0.1:6379/").await?.with_prefix("myapp:idem:");
/// match store.begin("evt_1", Duration::from_secs(30)).await {
///     Ok(Begin::Acquired(claim)) => { /* run the handler, then complete or release */ }
///     Ok(other) => println!("not ours to run: {}", other.kind()),
///     Err(e) if e.is_unavailable() => { /* answer 503 so the sender retries */ }
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: Arc<str>,
    operation_timeout: Duration,
    max_record_bytes: usize,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connection manager's Debug includes connection info; keep the
        // URL (and any password) out of logs.
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_record_bytes", &self.max_record_bytes)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connect with the defaults of [`RedisStoreBuilder`].
    ///
    /// # Errors
    ///
    /// See [`RedisStoreBuilder::connect`].
    pub async fn connect(url: &str) -> Result<RedisStore, StoreError> {
        RedisStore::builder(url).connect().await
    }

    /// Configure prefix and timeouts before connecting.
    pub fn builder(url: impl Into<String>) -> RedisStoreBuilder {
        RedisStoreBuilder::new(url)
    }

    /// The same store (same connection) writing under another key prefix.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> RedisStore {
        self.prefix = prefix.into().into();
        self
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub(super) fn from_parts(conn: ConnectionManager, b: &RedisStoreBuilder) -> RedisStore {
        RedisStore {
            conn,
            prefix: b.prefix.as_str().into(),
            operation_timeout: b.operation_timeout,
            max_record_bytes: b.max_record_bytes,
        }
    }

    fn state_key(&self, key: &str) -> Vec<u8> {
        let mut k = Vec::with_capacity(self.prefix.len() + 2 + key.len());
        k.extend_from_slice(self.prefix.as_bytes());
        k.extend_from_slice(b"d:");
        k.extend_from_slice(key.as_bytes());
        k
    }

    fn fence_key(&self) -> Vec<u8> {
        let mut k = Vec::with_capacity(self.prefix.len() + 5);
        k.extend_from_slice(self.prefix.as_bytes());
        k.extend_from_slice(b"fence");
        k
    }

    /// Run a prepared script within the operation timeout.
    async fn run(
        &self,
        op: &'static str,
        inv: redis::ScriptInvocation<'_>,
    ) -> Result<Value, StoreError> {
        let mut conn = self.conn.clone();
        match tokio::time::timeout(self.operation_timeout, inv.invoke_async::<Value>(&mut conn))
            .await
        {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(StoreError::unavailable(
                format!("Redis {op} failed"),
                Some(Box::new(e) as _),
            )),
            Err(_) => Err(StoreError::unavailable(
                format!(
                    "Redis {op} got no answer within {:?}",
                    self.operation_timeout
                ),
                None,
            )),
        }
    }

    async fn begin_impl(&self, key: &str, lease: Duration) -> Result<Begin, StoreError> {
        validate::key(key)?;
        validate::duration("lease", lease)?;
        let mut inv = scripts::BEGIN.prepare_invoke();
        inv.key(self.state_key(key))
            .key(self.fence_key())
            .arg(millis(lease));
        let reply = self.run("begin", inv).await?;
        parse_begin(key, reply)
    }

    async fn complete_impl(
        &self,
        claim: Claim,
        record: Record,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        validate::duration("ttl", ttl)?;
        if record.body_len() > self.max_record_bytes {
            return Err(StoreError::RecordTooLarge {
                len: record.body_len(),
                max: self.max_record_bytes,
            });
        }
        let mut inv = scripts::COMPLETE.prepare_invoke();
        inv.key(self.state_key(claim.key()))
            .arg(claim.token())
            .arg(codec::encode(&record))
            .arg(millis(ttl));
        fenced("complete", &claim, self.run("complete", inv).await?)
    }

    async fn renew_impl(&self, claim: &Claim, lease: Duration) -> Result<(), StoreError> {
        validate::duration("lease", lease)?;
        let mut inv = scripts::RENEW.prepare_invoke();
        inv.key(self.state_key(claim.key()))
            .arg(claim.token())
            .arg(millis(lease));
        fenced("renew", claim, self.run("renew", inv).await?)
    }

    async fn release_impl(&self, claim: Claim) -> Result<(), StoreError> {
        let mut inv = scripts::RELEASE.prepare_invoke();
        inv.key(self.state_key(claim.key())).arg(claim.token());
        fenced("release", &claim, self.run("release", inv).await?)
    }
}

/// A duration as whole milliseconds for `PX`, rounded up, at least 1.
fn millis(d: Duration) -> u64 {
    let ms = d.as_nanos().div_ceil(1_000_000).max(1);
    u64::try_from(ms).unwrap_or(u64::MAX)
}

/// The reply of a fenced script (complete, renew, release): 1 when the
/// claim still held its lease and the script acted, 0 when it did not.
fn fenced(op: &str, claim: &Claim, reply: Value) -> Result<(), StoreError> {
    match reply {
        Value::Int(1) => Ok(()),
        Value::Int(0) => Err(StoreError::lease_lost(claim)),
        other => Err(unexpected(op, &other)),
    }
}

fn unexpected(op: &str, value: &Value) -> StoreError {
    StoreError::Corrupt {
        message: format!("unexpected reply to {op}: {value:?}"),
    }
}

fn parse_begin(key: &str, reply: Value) -> Result<Begin, StoreError> {
    let Value::Array(items) = &reply else {
        return Err(unexpected("begin", &reply));
    };
    match items.as_slice() {
        [Value::Int(0), Value::Int(token)] => {
            let token = u64::try_from(*token).map_err(|_| unexpected("begin", &reply))?;
            Ok(Begin::Acquired(Claim::new(key, token)))
        }
        [Value::Int(1), Value::Int(pttl)] => {
            // PTTL is -1 (no expiry) or -2 (just expired) only if something
            // else touched the key; report a minimal wait then.
            let ms = u64::try_from(*pttl).ok().filter(|ms| *ms > 0).unwrap_or(1);
            Ok(Begin::InProgress {
                retry_after: Duration::from_millis(ms),
            })
        }
        [Value::Int(2), Value::BulkString(value)] if value.first() == Some(&COMPLETED_TAG) => {
            codec::decode(value).map(Begin::Completed)
        }
        [Value::Int(3), Value::Int(0)] => Err(StoreError::Corrupt {
            message: "the fencing counter is not a number".to_owned(),
        }),
        _ => Err(unexpected("begin", &reply)),
    }
}

impl IdempotencyStore for RedisStore {
    fn begin<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Begin, StoreError>> {
        Box::pin(self.begin_impl(key, lease))
    }

    fn complete<'a>(
        &'a self,
        claim: Claim,
        record: Record,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.complete_impl(claim, record, ttl))
    }

    fn release<'a>(&'a self, claim: Claim) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.release_impl(claim))
    }

    fn renew<'a>(
        &'a self,
        claim: &'a Claim,
        lease: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.renew_impl(claim, lease))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_round_up_and_never_zero() {
        assert_eq!(millis(Duration::from_nanos(1)), 1);
        assert_eq!(millis(Duration::from_millis(400)), 400);
        assert_eq!(millis(Duration::from_micros(400_001)), 401);
    }

    #[test]
    fn begin_replies_are_parsed_strictly() {
        let acquired = Value::Array(vec![Value::Int(0), Value::Int(42)]);
        assert!(
            matches!(parse_begin("k", acquired), Ok(Begin::Acquired(c)) if c.token() == 42 && c.key() == "k")
        );
        let busy = Value::Array(vec![Value::Int(1), Value::Int(250)]);
        assert!(
            matches!(parse_begin("k", busy), Ok(Begin::InProgress { retry_after }) if retry_after == Duration::from_millis(250))
        );
        let no_ttl = Value::Array(vec![Value::Int(1), Value::Int(-1)]);
        assert!(
            matches!(parse_begin("k", no_ttl), Ok(Begin::InProgress { retry_after }) if retry_after == Duration::from_millis(1))
        );
        let done = Value::Array(vec![
            Value::Int(2),
            Value::BulkString(codec::encode(&Record::new(200))),
        ]);
        assert!(matches!(parse_begin("k", done), Ok(Begin::Completed(r)) if r == Record::new(200)));
        for bad in [
            Value::Nil,
            Value::Int(0),
            Value::Array(vec![Value::Int(0), Value::Int(-3)]),
            Value::Array(vec![Value::Int(2), Value::BulkString(b"garbage".to_vec())]),
            Value::Array(vec![Value::Int(7), Value::Int(1)]),
        ] {
            assert_eq!(
                parse_begin("k", bad).expect_err("bad").code(),
                "corrupt_record"
            );
        }
        // The script's own answer for a garbled counter says so.
        let garbled = Value::Array(vec![Value::Int(3), Value::Int(0)]);
        assert!(matches!(
            parse_begin("k", garbled),
            Err(StoreError::Corrupt { message }) if message.contains("fencing counter")
        ));
    }
}
