//! Lua scripts: each state transition is one atomic script, one round trip.
//!
//! Layout under the store's prefix `P`:
//! - `P d:<key>`: the key's state. `p<token>` while in progress (expiring
//!   with the lease, `PX`), or `c<encoded record>` once completed (expiring
//!   with the TTL). Absent = free.
//! - `P fence`: the last fencing token handed out, shared by all keys of the
//!   prefix so tokens keep growing across expiries.
//!
//! # Fencing tokens
//!
//! `begin` takes `token = max(fence + 1, now_us)`, where `now_us` is the
//! Redis server's clock (`TIME`) in microseconds since the Unix epoch, and
//! stores it back as the new `fence`. So tokens:
//!
//! - strictly increase while Redis keeps `fence` (the `+ 1`), even if the
//!   server's clock stops or steps backwards;
//! - keep increasing when Redis loses `fence` — a restart without
//!   persistence, a flush, a failover to a replica that had not received it
//!   — because the new tokens start from the clock, which has moved on
//!   since the lost tokens were handed out.
//!
//! The assumption, for the second point: the clock of the Redis that hands
//! out tokens after the loss is ahead of the last token handed out before
//! it. A token runs ahead of the clock only by the number of acquisitions
//! made within the same microseconds (far fewer than one per microsecond
//! are possible), so this holds unless that server's clock is *behind* the
//! old one's (stepped back, or a skewed failover replica) by more than the
//! time between the last acquisition and the loss. Keep the Redis hosts'
//! clocks synchronized (NTP, slewing rather than stepping). Within one
//! Redis that keeps `fence`, no clock assumption is needed.
//!
//! Tokens are about 1.8 × 10^15 today; Lua numbers are doubles, exact up to
//! 2^53 ≈ 9 × 10^15 (the year 2255), and are formatted with `%d`. Needs
//! Redis 5 or newer (scripts may call `TIME` before writing: effects
//! replication).

use std::sync::LazyLock;

use redis::Script;

/// KEYS[1] = state key, KEYS[2] = fence counter, ARGV[1] = lease in ms.
/// Returns `{0, token}` (acquired), `{1, pttl_ms}` (in progress),
/// `{2, value}` (completed; value = `c` + encoded record) or `{3, 0}` (the
/// fence counter holds something that is not a number; nothing written).
const BEGIN_LUA: &str = r"
local v = redis.call('GET', KEYS[1])
if not v then
  local now = redis.call('TIME')
  local t = tonumber(now[1]) * 1000000 + tonumber(now[2])
  local last = tonumber(redis.call('GET', KEYS[2]) or '0')
  if not last then
    return {3, 0}
  end
  if last >= t then
    t = last + 1
  end
  local token = string.format('%d', t)
  redis.call('SET', KEYS[2], token)
  redis.call('SET', KEYS[1], 'p' .. token, 'PX', ARGV[1])
  return {0, t}
end
if string.byte(v, 1) == 112 then
  return {1, redis.call('PTTL', KEYS[1])}
end
return {2, v}
";

/// KEYS[1] = state key, ARGV[1] = token, ARGV[2] = `c` + record, ARGV[3] = ttl ms.
/// Returns 1 if the token held the key (now completed), else 0.
const COMPLETE_LUA: &str = r"
if redis.call('GET', KEYS[1]) == 'p' .. ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
";

/// KEYS[1] = state key, ARGV[1] = token, ARGV[2] = lease in ms. Returns 1 if
/// the token held the key (its expiry is now the lease from now), else 0.
/// `GET` never returns an expired value, so only a live lease is renewed.
const RENEW_LUA: &str = r"
if redis.call('GET', KEYS[1]) == 'p' .. ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
";

/// KEYS[1] = state key, ARGV[1] = token. Returns 1 if the token held the key
/// (now deleted), else 0.
const RELEASE_LUA: &str = r"
if redis.call('GET', KEYS[1]) == 'p' .. ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
";

pub(super) static BEGIN: LazyLock<Script> = LazyLock::new(|| Script::new(BEGIN_LUA));
pub(super) static COMPLETE: LazyLock<Script> = LazyLock::new(|| Script::new(COMPLETE_LUA));
pub(super) static RELEASE: LazyLock<Script> = LazyLock::new(|| Script::new(RELEASE_LUA));
pub(super) static RENEW: LazyLock<Script> = LazyLock::new(|| Script::new(RENEW_LUA));

/// First byte of a completed value.
pub(super) const COMPLETED_TAG: u8 = b'c';
