/**
 * The account gate's scripts: `src/fleet/gateRules.ts` in Lua, step for step (the contract
 * suite runs both). Time is the Redis server's (`TIME`), so that workers whose clocks
 * disagree share one bucket. KEYS: the gate's hash (tokens, at, hold, open, probe, faults) and
 * the sorted set of slots in flight (slot id, scored by when it lapses); one hash tag.
 */

/** Server time in ms. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Asks to start a call. ARGV: slot id, slot ttl ms, max in flight, rate per second, burst,
 * keep ms (how long an idle gate's keys live). Returns {1, probe (0/1)} when admitted, or
 * {0, why, wait ms}.
 */
export const GATE_ENTER = `${NOW}
local g = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'hold', 'open', 'probe')
local hold = tonumber(g[3] or '0')
if hold > now then return {0, 'held', hold - now} end
local open = tonumber(g[4] or '0')
local probe = 0
if open > 0 then
  if open > now then return {0, 'open', open - now} end
  local probing = tonumber(g[5] or '0')
  if probing > now then return {0, 'probing', probing - now} end
  probe = 1
end
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, 'busy', math.max(1, math.min(tonumber(first[2]) - now, 250))}
end
local rate = tonumber(ARGV[4])
local burst = tonumber(ARGV[5])
local tokens = tonumber(g[1] or ARGV[5])
local at = tonumber(g[2] or tostring(now))
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
if tokens < 1 then return {0, 'rate', math.max(1, math.ceil((1 - tokens) * 1000 / rate))} end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(now))
if probe == 1 then redis.call('HSET', KEYS[1], 'probe', tostring(now + ttl)) end
redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return {1, probe}`;

/**
 * Ends a call. ARGV: slot id, outcome (ok, fault, limited, none), hold ms, breaker faults,
 * breaker open ms, keep ms.
 */
export const GATE_LEAVE = `${NOW}
redis.call('ZREM', KEYS[2], ARGV[1])
local outcome = ARGV[2]
if outcome == 'ok' then
  redis.call('HSET', KEYS[1], 'faults', '0', 'open', '0', 'probe', '0')
elseif outcome == 'fault' then
  local faults = redis.call('HINCRBY', KEYS[1], 'faults', 1)
  local probing = tonumber(redis.call('HGET', KEYS[1], 'open') or '0') > 0
  local limit = tonumber(ARGV[4])
  if limit > 0 and (probing or faults >= limit) then
    redis.call('HSET', KEYS[1], 'open', tostring(now + tonumber(ARGV[5])), 'probe', '0')
  end
elseif outcome == 'limited' then
  local hold = math.max(tonumber(redis.call('HGET', KEYS[1], 'hold') or '0'), now + tonumber(ARGV[3]))
  redis.call('HSET', KEYS[1], 'hold', tostring(hold), 'faults', '0', 'open', '0', 'probe', '0')
elseif tonumber(redis.call('HGET', KEYS[1], 'open') or '0') > 0 then
  redis.call('HSET', KEYS[1], 'probe', '0')
end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1`;
