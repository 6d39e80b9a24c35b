//! Lua scripts: each state transition is one atomic script, one round trip.
//!
//! Layout under the store's prefix `P`:
//! - `P d:<key>`: the key's state. `p<token>` while in progress (expiring
//!   with the lease, `PX`), or `c<encoded record>` once completed (expiring
//!   with the TTL). Absent = free.
//! - `P fence`: the counter (`INCR`) that hands out fencing tokens, shared by
//!   all keys of the prefix so tokens keep growing across expiries.
//!
//! Tokens are formatted with `%d` in Lua, exact up to 2^53.

use std::sync::LazyLock;

use redis::Script;

/// KEYS[1] = state key, KEYS[2] = fence counter, ARGV[1] = lease in ms.
/// Returns `{0, token}` (acquired), `{1, pttl_ms}` (in progress) or
/// `{2, value}` (completed; value = `c` + encoded record).
const BEGIN_LUA: &str = r"
local v = redis.call('GET', KEYS[1])
if not v then
  local t = redis.call('INCR', KEYS[2])
  redis.call('SET', KEYS[1], 'p' .. string.format('%d', t), 'PX', ARGV[1])
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

/// First byte of a completed value.
pub(super) const COMPLETED_TAG: u8 = b'c';
