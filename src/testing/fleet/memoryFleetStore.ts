import { memoryGateStore } from '../../gate/memoryGateStore.js';
import type {
  CoordinatedStore,
  SessionCoordinator,
  SharedChange,
  SharedSchedule,
} from '../../stores/SessionCoordinator.js';
import type { SessionKey } from '../../stores/SessionStore.js';

/** Options of {@link memoryFleetStore}. */
export interface MemoryFleetStoreOptions {
  /** How long a lock lives unless extended. Default 30 000 ms. */
  readonly lockTtlMs?: number;
  /** How often a worker re-reads what it holds. Default 30 000 ms. */
  readonly pollIntervalMs?: number;
  /** The store's clock for lock lifetimes and the gates (Redis keeps its own). Default `Date.now`. */
  readonly now?: () => number;
}

/** A shared record as Redis holds one: its version, its value (JSON), its key. */
interface Slot {
  version: number;
  json: string | undefined;
  key: SessionKey;
}

/**
 * A store shared by several managers in one process, as workers share `redisStore`: the same
 * coordinator (versioned fenced commits, locks, change messages, write-back, the account's
 * access token and login lock, its gate, the shared schedule), in memory. It is the executable
 * specification of the Redis store's Lua scripts: each method is one atomic step, and one
 * contract suite (`coordinatorContract`) holds both to the same rules. Use it to test an app's
 * fleet logic without a Redis server, and as the reference when building a store on another
 * engine (Postgres, DynamoDB).
 *
 * @example
 * ```ts
 * const shared = memoryFleetStore();
 * const a = createSessionManager({ provider, store: shared });
 * const b = createSessionManager({ provider, store: shared }); // a second "worker"
 * ```
 */
export function memoryFleetStore(options: MemoryFleetStoreOptions = {}): CoordinatedStore {
  const now = options.now ?? Date.now;
  const records = new Map<string, Slot>();
  const locks = new Map<string, { owner: string; until: number }>();
  const accounts = new Map<string, { value: string; digest: string; until: number }>();
  const due = new Map<string, number>();
  const watchers = new Set<(change: SharedChange) => void>();
  let owners = 0;
  const sidOf = (key: SessionKey) => `${key.gstin}\u0000${key.username}`;
  const copy = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
  const parse = (json: string | undefined): unknown =>
    json === undefined ? undefined : JSON.parse(json);
  const announce = (sid: string, version: number) => {
    // Delivered later, as a message is: never inside the writer's own step.
    for (const watcher of watchers) queueMicrotask(() => watcher({ sid, version }));
  };
  const holder = (name: string): string | undefined => {
    const lock = locks.get(name);
    if (!lock) return undefined;
    if (lock.until <= now()) {
      locks.delete(name);
      return undefined;
    }
    return lock.owner;
  };
  const take = (name: string, ttlMs: number): string | undefined => {
    if (holder(name) !== undefined) return undefined;
    owners += 1;
    const owner = `owner-${owners}`;
    locks.set(name, { owner, until: now() + ttlMs });
    return owner;
  };
  const drop = (name: string, owner: string) => {
    if (holder(name) === owner) locks.delete(name);
  };
  const write = (key: SessionKey, json: string | undefined, version: number) => {
    const sid = sidOf(key);
    records.set(sid, { version, json, key: { gstin: key.gstin, username: key.username } });
    announce(sid, version);
  };

  const schedule: SharedSchedule = {
    async plan(key, at) {
      if (at === undefined) due.delete(sidOf(key));
      else due.set(sidOf(key), Math.floor(at));
    },
    async claim(at, limit, leaseMs) {
      const claimed: SessionKey[] = [];
      for (const [sid, when] of [...due].sort((x, y) => x[1] - y[1])) {
        if (claimed.length >= limit || when > at) break;
        due.set(sid, at + leaseMs);
        const slot = records.get(sid);
        if (slot?.json === undefined) due.delete(sid);
        else claimed.push({ ...slot.key });
      }
      return claimed;
    },
    async join() {
      for (const [sid, slot] of records) if (!due.has(sid) && slot.json) due.set(sid, 0);
    },
  };

  const coordinator: SessionCoordinator = {
    lockTtlMs: options.lockTtlMs ?? 30_000,
    pollIntervalMs: options.pollIntervalMs ?? 30_000,
    gates: memoryGateStore(now),
    schedule,
    sidOf,
    async read(key) {
      const slot = records.get(sidOf(key));
      return { version: slot?.version ?? 0, record: parse(slot?.json) };
    },
    async readVersion(key) {
      return records.get(sidOf(key))?.version ?? 0;
    },
    async lock(key, ttlMs) {
      return take(`lock:${sidOf(key)}`, ttlMs);
    },
    async extend(key, owner, ttlMs) {
      const name = `lock:${sidOf(key)}`;
      if (holder(name) !== owner) return false;
      locks.set(name, { owner, until: now() + ttlMs });
      return true;
    },
    async release(key, owner) {
      drop(`lock:${sidOf(key)}`, owner);
    },
    async isLocked(key) {
      return holder(`lock:${sidOf(key)}`) !== undefined;
    },
    async commit(key, record, expected, owner) {
      const sid = sidOf(key);
      const version = records.get(sid)?.version ?? 0;
      if (version !== expected) return undefined;
      const held = holder(`lock:${sid}`);
      if (held !== undefined && held !== owner) return undefined;
      if (held !== undefined) locks.delete(`lock:${sid}`);
      write(key, copy(record), version + 1);
      return version + 1;
    },
    async writeBack(key, record, version) {
      if (records.has(sidOf(key))) return undefined;
      write(key, copy(record), version);
      return version;
    },
    async watch(onChange, onResync) {
      watchers.add(onChange);
      onResync();
      return async () => {
        watchers.delete(onChange);
      };
    },
    async readAccess(account) {
      const found = accounts.get(account);
      if (!found || found.until <= now()) return undefined;
      return parse(found.value);
    },
    async lockAccess(account, ttlMs) {
      return take(`login:${account}`, ttlMs);
    },
    async releaseAccess(account, owner) {
      drop(`login:${account}`, owner);
    },
    async commitAccess(account, owner, access, expiresAt) {
      const token = String((access as { accessToken?: unknown }).accessToken);
      accounts.set(account, { value: copy(access) ?? '', digest: token, until: expiresAt });
      drop(`login:${account}`, owner);
    },
    async dropAccess(account, accessToken) {
      if (accounts.get(account)?.digest === accessToken) accounts.delete(account);
    },
  };

  return {
    coordinator,
    async save(key, record) {
      const version = records.get(sidOf(key))?.version ?? 0;
      write(key, copy(record), version + 1);
      due.set(sidOf(key), 0);
    },
    async load(key) {
      return parse(records.get(sidOf(key))?.json);
    },
    async delete(key) {
      const sid = sidOf(key);
      const version = records.get(sid)?.version ?? 0;
      // A tombstone keeps the version, as the Redis store's removal does.
      write(key, undefined, version + 1);
      due.delete(sid);
    },
    async list() {
      return [...records.values()]
        .filter((slot) => slot.json !== undefined)
        .map((slot) => ({ ...slot.key }));
    },
  };
}
