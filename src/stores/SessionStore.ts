/** Which session a record belongs to. */
export interface SessionKey {
  readonly gstin: string;
  readonly username: string;
}

/** One page of a store's keys (see `SessionStore.listPage`). */
export interface KeyPage {
  readonly keys: readonly SessionKey[];
  /** Where the next page starts; none after the last. */
  readonly cursor: string | undefined;
}

/**
 * Where a session manager keeps its sessions. A record is a JSON value (a persisted session,
 * or what a wrapping store such as `encryptedStore` makes of one); the manager validates what
 * it loads. Implement it to keep sessions in Redis, SQL or anything else:
 *
 * - `save` replaces the record of a key, atomically: a reader sees the old or the new record,
 *   never a mix (a SQL upsert, a Redis SET, a file rename).
 * - `load` returns the record, or `undefined` when there is none.
 * - `list` returns every key with a record; `listPage` (optional) one page of them.
 * - `delete` removes a record; deleting a missing one is not an error.
 *
 * Records hold secrets (tokens): protect them at rest, e.g. with `encryptedStore`.
 *
 * @example
 * ```ts
 * const redisStore = (redis: Redis): SessionStore => ({
 *   save: async (k, r) => void (await redis.set(`gstr:${k.gstin}:${k.username}`, JSON.stringify(r))),
 *   load: async (k) => { const v = await redis.get(`gstr:${k.gstin}:${k.username}`); return v ? JSON.parse(v) : undefined; },
 *   delete: async (k) => void (await redis.del(`gstr:${k.gstin}:${k.username}`)),
 *   list: async () => (await redis.keys('gstr:*')).map((s) => { const [, gstin, username] = s.split(':'); return { gstin, username }; }),
 * });
 * ```
 */
export interface SessionStore {
  save(key: SessionKey, record: unknown): Promise<void>;
  load(key: SessionKey): Promise<unknown>;
  delete(key: SessionKey): Promise<void>;
  list(): Promise<SessionKey[]>;
  /**
   * Optional: one page of keys from `cursor` (none: the first page), at most about `count`,
   * and the cursor of the next page (none: the last). A store over a big keyspace (Redis'
   * `SCAN`) pages without listing everything; without it, `listPageOf` pages over `list()`.
   */
  listPage?(cursor: string | undefined, count: number): Promise<KeyPage>;
}

/** A printable name for a key, used in errors and logs. */
export function keyName(key: SessionKey): string {
  return `${key.gstin}/${key.username}`;
}
