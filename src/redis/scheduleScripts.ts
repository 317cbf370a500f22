/**
 * The fleet's schedule: each session's next deadline in one of `SCHEDULE_SHARDS` sorted sets
 * (`<prefix>:{due.<n>}`, member the session id, score the deadline in ms), so that no one key
 * carries the fleet and each script touches one Redis Cluster slot.
 */

/**
 * Claims what is due. KEYS: one shard. ARGV: now, how many at most, lease ms. Each claimed
 * session is due again after the lease unless its worker plans it anew (a worker that dies
 * with a claim leaves it to another). Returns the session ids.
 */
export const CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local lease = tonumber(ARGV[1]) + tonumber(ARGV[3])
for _, sid in ipairs(due) do redis.call('ZADD', KEYS[1], lease, sid) end
return due`;
