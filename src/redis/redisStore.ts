import { createHash, createHmac, randomUUID } from 'node:crypto';
import { StoreUnavailableError } from '../errors/StoreUnavailableError.js';
import type { GateStore } from '../gate/GateStore.js';
import type { GateWait } from '../gate/gateRules.js';
import { parseOptions } from '../schemas/parse.js';
import type {
  CoordinatedStore,
  SessionCoordinator,
  SharedChange,
  SharedSchedule,
} from '../stores/SessionCoordinator.js';
import { type KeyPage, keyName, type SessionKey } from '../stores/SessionStore.js';
import { seal, sealKeyBytes, sessionBinding, unseal, versionBinding } from '../stores/seal.js';
import { connectionOf, type RedisConnection } from './connection.js';
import { GATE_ENTER, GATE_LEAVE } from './gateScripts.js';
import { keyCheck } from './keyCheck.js';
import {
  REDIS_STORE_DEFAULTS,
  type RedisStoreOptions,
  RedisStoreOptionsSchema,
} from './options.js';
import { recordKeys, recordNames } from './recordNames.js';
import { CLAIM_DUE } from './scheduleScripts.js';
import {
  COMMIT,
  COMMIT_ACCESS,
  DROP_ACCESS,
  EXTEND,
  REBIND,
  RELEASE,
  REMOVE,
  SAVE,
  WRITE_BACK,
} from './scripts.js';

/** The binding of a record's sealed key name (list() opens it before it knows the key). */
const NAME_BINDING = 'gstr-session/key';
/** How long an idle account's gate is kept (its hold, breaker and bucket matter for less). */
const GATE_KEEP_MS = 24 * 3_600_000;
/** How many sorted sets the schedule is spread over (one Cluster slot each). */
const SCHEDULE_SHARDS = 16;
/** How often a save seals again when other writers keep moving the version under it. */
const SAVE_ATTEMPTS = 16;

/** A session store on Redis, with what a fleet of workers needs to share it. */
export interface RedisSessionStore extends CoordinatedStore {
  /** The Redis key of a session's record (no GSTIN or username in it), for operators. */
  recordKeyOf(key: SessionKey): string;
  /** One `SCAN` step of the records' keys (see `SessionStore.listPage`). */
  listPage(cursor: string | undefined, count: number): Promise<KeyPage>;
}

/**
 * A session store on Redis for many worker processes: records sealed with AES-256-GCM, key
 * names that carry no GSTIN or username (an HMAC of them under the seal key), a hash tag per
 * session so that a Redis Cluster keeps its keys in one slot, `SCAN` (never `KEYS`), and the
 * locks, fenced commits and change messages with which managers on every worker keep one OTP
 * round, one refresh and one login per account across the fleet.
 *
 * Import it from `gstr-session/redis`; `redis` (node-redis) or `ioredis` is the app's own.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { redisStore } from 'gstr-session/redis';
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on('error', (error) => log.warn('redis', error.message));
 * await client.connect();
 * const store = redisStore({ client, sealKey: process.env.GSTR_STORE_KEY! });
 * const manager = createSessionManager({ provider, store, reauth: 'auto' });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisSessionStore {
  parseOptions(RedisStoreOptionsSchema, options, 'redisStore');
  const secret = sealKeyBytes(options.sealKey, 'redisStore', 'sealKey');
  const prefix = options.prefix ?? REDIS_STORE_DEFAULTS.prefix;
  const lockTtlMs = options.lockTtlMs ?? REDIS_STORE_DEFAULTS.lockTtlMs;
  const connection = connectionOf(
    options.client,
    options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs,
  );
  // Every command waits for the key check of the prefix: a worker with another seal key fails
  // with a StoreError before it could take the sessions for new ones and text the taxpayers.
  const keyChecked = keyCheck({
    redis: connection,
    prefix,
    secret,
    opensName: (sealed) => {
      try {
        open(NAME_BINDING, sealed, `${prefix} record name`);
        return true;
      } catch {
        return false;
      }
    },
  });
  const redis: RedisConnection = {
    send: async (args, operation) => {
      await keyChecked();
      return connection.send(args, operation);
    },
    subscribe: async (channel, onMessage, onReady) => {
      await keyChecked();
      return connection.subscribe(channel, onMessage, onReady);
    },
  };
  const channel = `${prefix}:changes`;
  // Names are derived under a key of their own, so that a GSTIN cannot be found by hashing
  // candidates, and the seal key itself is never used for two purposes.
  const nameKey = createHmac('sha256', secret).update('gstr-session/names').digest();
  const idOf = (text: string): string =>
    createHmac('sha256', nameKey).update(text).digest('base64url').slice(0, 22);
  const sidOf = (key: SessionKey): string => idOf(`s\u0000${key.gstin}\u0000${key.username}`);
  const recordKey = (sid: string) => `${prefix}:{${sid}}:record`;
  const lockKey = (sid: string) => `${prefix}:{${sid}}:lock`;
  /** An API account's key names (its access token, its login lock), under one hash tag. */
  const accountKeys = (account: string) => {
    const aid = idOf(`a\u0000${account}`);
    const tag = `${prefix}:{a.${aid}}`;
    return {
      aid,
      access: `${tag}:access`,
      login: `${tag}:login`,
      gate: `${tag}:gate`,
      slots: `${tag}:slots`,
    };
  };
  const accessBinding = (account: string) => `gstr-session/access\u0000${account}`;
  const digestOf = (token: string) => createHash('sha256').update(token).digest('base64url');

  const evalScript = (script: string, keys: string[], args: string[], operation: string) =>
    redis.send(['EVAL', script, String(keys.length), ...keys, ...args], operation);

  // Sealed for the version it is stored at: a value of an older version, written over a
  // newer one, does not open.
  const sealedRecord = (key: SessionKey, record: unknown, version: number) =>
    JSON.stringify(seal(secret, versionBinding(key, version), record));
  const legacyRecords = options.legacyRecords ?? REDIS_STORE_DEFAULTS.legacyRecords;
  const sealedName = (key: SessionKey) =>
    JSON.stringify(seal(secret, NAME_BINDING, { gstin: key.gstin, username: key.username }));

  /** Opens a stored JSON envelope; a string that is not JSON is a tampered record. */
  const open = (binding: string, stored: string, name: string): unknown => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored);
    } catch {
      parsed = undefined;
    }
    return unseal(secret, binding, parsed, name);
  };

  async function readShared(key: SessionKey) {
    const sid = sidOf(key);
    const reply = (await redis.send(['HMGET', recordKey(sid), 'v', 'r'], 'load')) as
      | (string | null)[]
      | null;
    const [stored, record] = reply ?? [];
    const version = Number(stored ?? 0) || 0;
    return {
      version,
      record: typeof record === 'string' ? openRecord(key, sid, version, record) : undefined,
    };
  }

  /**
   * Opens a record stored at `version`. One written before 0.5.0 is bound to its key only: it
   * opens (an upgrade never costs an OTP) unless `legacyRecords` is `refuse`, and is sealed
   * again bound to its version, if nobody wrote it meanwhile.
   */
  function openRecord(key: SessionKey, sid: string, version: number, stored: string): unknown {
    const name = keyName(key);
    try {
      return open(versionBinding(key, version), stored, name);
    } catch (error) {
      if (legacyRecords === 'refuse') throw error;
      let record: unknown;
      try {
        record = open(sessionBinding(key), stored, name);
      } catch {
        throw error;
      }
      evalScript(
        REBIND,
        [recordKey(sid)],
        [String(version), stored, sealedRecord(key, record, version)],
        'migrate',
      ).catch(() => {
        // The next read tries again: the record still opens meanwhile.
      });
      return record;
    }
  }

  const gates: GateStore = {
    async enter(account, slot, slotTtlMs, limits) {
      const keys = accountKeys(account);
      const reply = (await evalScript(
        GATE_ENTER,
        [keys.gate, keys.slots],
        [
          slot,
          String(slotTtlMs),
          String(limits.maxInFlight),
          String(limits.ratePerSecond),
          String(limits.burst),
          String(GATE_KEEP_MS),
        ],
        'gate',
      )) as unknown[];
      if (Number(reply[0]) === 1) return { admitted: true, probe: Number(reply[1]) === 1 };
      return {
        admitted: false,
        why: String(reply[1]) as GateWait,
        waitMs: Math.max(1, Number(reply[2]) || 1),
      };
    },
    async leave(account, slot, outcome, holdMs, limits) {
      const keys = accountKeys(account);
      await evalScript(
        GATE_LEAVE,
        [keys.gate, keys.slots],
        [
          slot,
          outcome,
          String(Math.ceil(holdMs)),
          String(limits.breakerFaults),
          String(limits.breakerOpenMs),
          String(GATE_KEEP_MS),
        ],
        'gate',
      );
    },
  };

  const shardOf = (sid: string): number => {
    let hash = 0;
    for (let i = 0; i < sid.length; i += 1) hash = (hash * 31 + sid.charCodeAt(i)) >>> 0;
    return hash % SCHEDULE_SHARDS;
  };
  const dueKey = (shard: number) => `${prefix}:{due.${shard}}`;
  let nextShard = 0;

  /** The key of a claimed session, from its record's sealed name; none: off the schedule. */
  async function claimedKey(shard: number, sid: string): Promise<SessionKey | undefined> {
    const sealed = await redis.send(['HGET', recordKey(sid), 'k'], 'schedule');
    if (typeof sealed === 'string') {
      try {
        return open(NAME_BINDING, sealed, `${prefix} record name`) as SessionKey;
      } catch {
        // Sealed under another key: not this deployment's to refresh.
      }
    }
    await redis.send(['ZREM', dueKey(shard), sid], 'schedule');
    return undefined;
  }

  const schedule: SharedSchedule = {
    async plan(key, at) {
      const sid = sidOf(key);
      const due = dueKey(shardOf(sid));
      await redis.send(
        at === undefined ? ['ZREM', due, sid] : ['ZADD', due, String(Math.floor(at)), sid],
        'schedule',
      );
    },
    async claim(now, limit, leaseMs) {
      // Every shard is asked for its share, starting at a shard that turns, so that a small
      // limit does not always drain the same ones.
      const share = Math.max(1, Math.ceil(limit / SCHEDULE_SHARDS));
      const start = nextShard;
      nextShard = (nextShard + 1) % SCHEDULE_SHARDS;
      const shards = Array.from(
        { length: SCHEDULE_SHARDS },
        (_, i) => (start + i) % SCHEDULE_SHARDS,
      );
      const claimed = await Promise.all(
        shards.map(async (shard) => {
          const sids = (await evalScript(
            CLAIM_DUE,
            [dueKey(shard)],
            [String(Math.floor(now)), String(share), String(Math.floor(leaseMs))],
            'schedule',
          )) as string[];
          return Promise.all(sids.map((sid) => claimedKey(shard, String(sid))));
        }),
      );
      return claimed.flat().filter((key): key is SessionKey => key !== undefined);
    },
    async join() {
      const done = `${prefix}:scheduled`;
      if ((await redis.send(['GET', done], 'schedule')) !== null) return;
      const lock = `${prefix}:joining`;
      const owner = randomUUID();
      const ttl = String(Math.max(lockTtlMs, 60_000));
      if ((await redis.send(['SET', lock, owner, 'NX', 'PX', ttl], 'schedule')) == null) return;
      for await (const found of recordKeys(redis, prefix, 'schedule')) {
        await Promise.all(
          found.map((record) => {
            const sid = record.slice(record.indexOf('{') + 1, record.indexOf('}'));
            // NX: a session a worker planned meanwhile keeps its deadline.
            return redis.send(['ZADD', dueKey(shardOf(sid)), 'NX', '0', sid], 'schedule');
          }),
        );
        await evalScript(EXTEND, [lock], [owner, ttl], 'schedule');
      }
      await redis.send(['SET', done, new Date().toISOString()], 'schedule');
      await evalScript(RELEASE, [lock], [owner], 'schedule');
    },
  };

  const coordinator: SessionCoordinator = {
    lockTtlMs,
    gates,
    schedule,
    pollIntervalMs: options.pollIntervalMs ?? REDIS_STORE_DEFAULTS.pollIntervalMs,
    sidOf,
    read: readShared,
    async readVersion(key) {
      return Number(await redis.send(['HGET', recordKey(sidOf(key)), 'v'], 'load')) || 0;
    },
    async lock(key, ttlMs) {
      const owner = randomUUID();
      const reply = await redis.send(
        ['SET', lockKey(sidOf(key)), owner, 'NX', 'PX', String(ttlMs)],
        'lock',
      );
      return reply === null || reply === undefined ? undefined : owner;
    },
    async extend(key, owner, ttlMs) {
      const reply = await evalScript(EXTEND, [lockKey(sidOf(key))], [owner, String(ttlMs)], 'lock');
      return Number(reply) === 1;
    },
    async isLocked(key) {
      return Number(await redis.send(['EXISTS', lockKey(sidOf(key))], 'lock')) === 1;
    },
    async release(key, owner) {
      await evalScript(RELEASE, [lockKey(sidOf(key))], [owner], 'unlock');
    },
    async commit(key, record, expected, owner) {
      const sid = sidOf(key);
      const reply = Number(
        await evalScript(
          COMMIT,
          [recordKey(sid), lockKey(sid)],
          [
            owner ?? '',
            String(expected),
            sealedRecord(key, record, expected + 1),
            sealedName(key),
            channel,
            sid,
          ],
          'commit',
        ),
      );
      return reply > 0 ? reply : undefined;
    },
    async writeBack(key, record, version) {
      const sid = sidOf(key);
      const reply = Number(
        await evalScript(
          WRITE_BACK,
          [recordKey(sid)],
          [String(version), sealedRecord(key, record, version), sealedName(key), channel, sid],
          'commit',
        ),
      );
      return reply > 0 ? reply : undefined;
    },
    async watch(onChange, onResync) {
      return redis.subscribe(
        channel,
        (message) => {
          const [sid, version] = message.split(' ');
          const parsed = Number(version);
          if (sid && Number.isSafeInteger(parsed))
            onChange({ sid, version: parsed } as SharedChange);
        },
        onResync,
      );
    },
    async readAccess(account) {
      const { aid, access } = accountKeys(account);
      const sealed = await redis.send(['HGET', access, 't'], 'login');
      return typeof sealed === 'string'
        ? open(accessBinding(account), sealed, `account ${aid}`)
        : undefined;
    },
    async lockAccess(account, ttlMs) {
      const owner = randomUUID();
      const reply = await redis.send(
        ['SET', accountKeys(account).login, owner, 'NX', 'PX', String(ttlMs)],
        'login',
      );
      return reply === null || reply === undefined ? undefined : owner;
    },
    async releaseAccess(account, owner) {
      await evalScript(RELEASE, [accountKeys(account).login], [owner], 'login');
    },
    async commitAccess(account, owner, access, expiresAt) {
      const keys = accountKeys(account);
      const token = (access as { accessToken?: unknown }).accessToken;
      const lifetime = Math.max(1, Math.floor(expiresAt - Date.now()));
      await evalScript(
        COMMIT_ACCESS,
        [keys.access, keys.login],
        [
          owner,
          JSON.stringify(seal(secret, accessBinding(account), access)),
          digestOf(String(token)),
          String(lifetime),
        ],
        'login',
      );
    },
    async dropAccess(account, accessToken) {
      await evalScript(
        DROP_ACCESS,
        [accountKeys(account).access],
        [digestOf(accessToken)],
        'login',
      );
    },
  };

  return {
    coordinator,
    recordKeyOf: (key) => recordKey(sidOf(key)),
    async save(key, record) {
      const sid = sidOf(key);
      for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt += 1) {
        const version = Number(await redis.send(['HGET', recordKey(sid), 'v'], 'save')) || 0;
        const reply = await evalScript(
          SAVE,
          [recordKey(sid)],
          [String(version), sealedRecord(key, record, version + 1), sealedName(key), channel, sid],
          'save',
        );
        // On the schedule, due at once: the worker that claims it plans its real deadline.
        if (Number(reply) > 0) return schedule.plan(key, 0);
      }
      throw new StoreUnavailableError(keyName(key), 'save', 'other writers kept changing it');
    },
    async load(key) {
      return (await readShared(key)).record;
    },
    async delete(key) {
      const sid = sidOf(key);
      await evalScript(REMOVE, [recordKey(sid)], [channel, sid], 'delete');
      await schedule.plan(key, undefined);
    },
    // One SCAN step from the cursor (its COUNT a hint: a step may find fewer or more), the
    // names of its records opened together.
    async listPage(cursor, count) {
      const [next, found] = (await redis.send(
        ['SCAN', cursor ?? '0', 'MATCH', `${prefix}:{*}:record`, 'COUNT', String(count)],
        'list',
      )) as [string, string[]];
      const names = await Promise.all(
        found.map((record) => redis.send(['HGET', record, 'k'], 'list')),
      );
      const keys: SessionKey[] = [];
      names.forEach((sealedName, i) => {
        const record = found[i];
        if (typeof sealedName !== 'string' || !record) return;
        try {
          keys.push(open(NAME_BINDING, sealedName, record) as SessionKey);
        } catch {
          // Sealed under another key: not this deployment's record.
        }
      });
      return { keys, cursor: String(next) === '0' ? undefined : String(next) };
    },

    async list() {
      const keys: SessionKey[] = [];
      for await (const { record, sealedName } of recordNames(redis, prefix, 'list')) {
        try {
          keys.push(open(NAME_BINDING, sealedName, record) as SessionKey);
        } catch {
          // Sealed under another key: not this deployment's record.
        }
      }
      return keys;
    },
  };
}
