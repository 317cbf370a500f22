import type { RedisConnection } from './connection.js';

/** How many keys one SCAN step looks at. */
const SCAN_COUNT = '500';

/**
 * Every session record under `prefix` that has a name (a tombstone of a removed session has
 * none), with its sealed name, walked with `SCAN` (never `KEYS`). The store's `list()` and the
 * key check of a prefix both walk the records this way.
 */
export async function* recordNames(
  redis: RedisConnection,
  prefix: string,
  operation: string,
): AsyncGenerator<{ readonly record: string; readonly sealedName: string }> {
  let cursor = '0';
  do {
    const [next, found] = (await redis.send(
      ['SCAN', cursor, 'MATCH', `${prefix}:{*}:record`, 'COUNT', SCAN_COUNT],
      operation,
    )) as [string, string[]];
    cursor = String(next);
    for (const record of found) {
      const sealedName = await redis.send(['HGET', record, 'k'], operation);
      if (typeof sealedName === 'string') yield { record, sealedName };
    }
  } while (cursor !== '0');
}
