/**
 * The store's Lua scripts. Each runs atomically in Redis: no other command interleaves, so a
 * check and the write it guards are one step.
 */

/** Extends a lock only if `ARGV[1]` still owns it (never someone else's). */
export const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** Releases a lock only if `ARGV[1]` still owns it: a plain DEL could free another's lock. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * The fenced commit. KEYS: record, lock. ARGV: owner ('' for none), the version read, the
 * sealed record, the key's sealed name, the channel, the session id.
 * Writes only over the version the worker read, and only when the lock is free or its own:
 * a late writer (paused past its lock, or behind a newer commit) is refused (-1 version moved,
 * -2 someone else holds the lock). Releases the owner's lock and announces the new version.
 */
export const COMMIT = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[2]) then return -1 end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return -2 end
v = v + 1
redis.call('HSET', KEYS[1], 'v', tostring(v), 'r', ARGV[3], 'k', ARGV[4])
if holder then redis.call('DEL', KEYS[2]) end
redis.call('PUBLISH', ARGV[5], ARGV[6] .. ' ' .. v)
return v`;

/**
 * A write over whatever version is there (\`save\`: a migration, a single-process manager),
 * sealed for the next version, so it is still checked: KEYS: record. ARGV: the version read,
 * sealed record, sealed name, channel, session id. -1 when the version moved meanwhile (the
 * caller seals again for the new one).
 */
export const SAVE = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return -1 end
v = v + 1
redis.call('HSET', KEYS[1], 'v', tostring(v), 'r', ARGV[2], 'k', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. v)
return v`;

/**
 * Writes a live session's record back where it vanished (a flush, a restart without
 * persistence, a failover to an empty replica), at the version after the one the worker held,
 * so versions never go back. Only where nothing is stored: not even a removal's tombstone.
 * KEYS: record. ARGV: the version, sealed record, sealed name, channel, session id. -1 when a
 * record is there (another worker wrote first).
 */
export const WRITE_BACK = `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'r', ARGV[2], 'k', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. ARGV[1])
return tonumber(ARGV[1])`;

/**
 * Seals a record written by an earlier release (bound to its key only) again, bound to its
 * version, if it is still the same value: a migration on read, with no new version and no
 * change message (nothing changed). KEYS: record. ARGV: version, old sealed value, new one.
 */
export const REBIND = `
if redis.call('HGET', KEYS[1], 'v') == ARGV[1] and redis.call('HGET', KEYS[1], 'r') == ARGV[2] then
  redis.call('HSET', KEYS[1], 'r', ARGV[3])
  return 1
end
return 0`;

/**
 * A removal keeps the version (a tombstone), so that versions never go back and a worker
 * that read the removed record cannot commit over the removal. KEYS: record. ARGV: channel,
 * session id.
 */
export const REMOVE = `
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HDEL', KEYS[1], 'r', 'k')
redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. v)
return v`;

/**
 * Stores an account's access token until it expires and releases the login lock. KEYS:
 * access, login lock. ARGV: owner, sealed token, token digest, lifetime in ms.
 */
export const COMMIT_ACCESS = `
redis.call('HSET', KEYS[1], 't', ARGV[2], 'h', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

/** Forgets an account's access token if it is still the refused one. KEYS: access. ARGV: digest. */
export const DROP_ACCESS = `
if redis.call('HGET', KEYS[1], 'h') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
