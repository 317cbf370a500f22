import type { RedisConnection } from './connection.js';

/** How many keys one SCAN step looks at. */
const SCAN_COUNT = '500';

/**
 * The key of every session record under `prefix` (a removed session's tombstone included),
 * one SCAN step's worth at a time, walked with `SCAN` (never `KEYS`).
 */
export async function* recordKeys(
  redis: RedisConnection,
  prefix: string,
  operation: string,
): AsyncGenerator<readonly string[]> {
  let cursor = '0';
  do {
    const [next, found] = (await redis.send(
      ['SCAN', cursor, 'MATCH', `${prefix}:{*}:record`, 'COUNT', SCAN_COUNT],
      operation,
    )) as [string, string[]];
    cursor = String(next);
    yield found;
  } while (cursor !== '0');
}

/**
 * Every session record under `prefix` that has a name (a tombstone of a removed session has
 * none), with its sealed name. The store's `list()` and the key check of a prefix both walk
 * the records this way; joining the schedule walks {@link recordKeys}.
 */
export async function* recordNames(
  redis: RedisConnection,
  prefix: string,
  operation: string,
): AsyncGenerator<{ readonly record: string; readonly sealedName: string }> {
  for await (const found of recordKeys(redis, prefix, operation)) {
    for (const record of found) {
      const sealedName = await redis.send(['HGET', record, 'k'], operation);
      if (typeof sealedName === 'string') yield { record, sealedName };
    }
  }
}
