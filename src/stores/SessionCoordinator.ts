import type { GateStore } from '../gate/GateStore.js';
import type { SessionKey, SessionStore } from './SessionStore.js';

/** A session's shared record and its version (0 and no record: never written). */
export interface SharedRecord {
  /** The record (opened), or `undefined` when there is none (never written, or removed). */
  readonly record: unknown;
  /** Grows by one at every commit and removal; never goes back. */
  readonly version: number;
}

/** A change a worker published: the session (by its opaque id) and its new version. */
export interface SharedChange {
  readonly sid: string;
  readonly version: number;
}

/**
 * What a store shared by many processes adds to a {@link SessionStore} so that a manager on
 * each of them keeps the fleet's rules: one OTP round, one refresh, one login per account, no
 * stale write. `redisStore` implements it; a manager uses it whenever its store has one.
 *
 * Locks are efficiency locks (they save a second SMS or refresh); correctness comes from
 * {@link SessionCoordinator.commit}, which writes only over the version the worker read.
 * Every method fails with `StoreUnavailableError` when the store cannot be reached in time.
 */
export interface SessionCoordinator {
  /** How long a lock lives unless extended, in ms. */
  readonly lockTtlMs: number;
  /** How often a worker re-reads the versions of what it holds (the pub/sub fallback), in ms. */
  readonly pollIntervalMs: number;
  /** The opaque, PII-free id of a session in key names and change messages. */
  sidOf(key: SessionKey): string;
  /** Reads a session's record with its version. */
  read(key: SessionKey): Promise<SharedRecord>;
  /**
   * Reads only a session's version (0: nothing stored), so that a worker checking everything
   * it holds opens only what changed. Optional: without it, the check reads whole records.
   */
  readVersion?(key: SessionKey): Promise<number>;
  /** Takes the session's lock for `ttlMs`; the owner token, or `undefined` if someone holds it. */
  lock(key: SessionKey, ttlMs: number): Promise<string | undefined>;
  /** Extends a lock this owner still holds; false when it was lost. */
  extend(key: SessionKey, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases a lock if this owner still holds it (never someone else's). */
  release(key: SessionKey, owner: string): Promise<void>;
  /** Whether someone holds the session's lock now (a provider call in flight there). */
  isLocked(key: SessionKey): Promise<boolean>;
  /**
   * Writes `record` if the version is still `expected` and the lock is free or `owner`'s;
   * releases `owner`'s lock and announces the change. The new version, or `undefined` when
   * fenced out (someone committed since, or holds the lock).
   */
  commit(
    key: SessionKey,
    record: unknown,
    expected: number,
    owner: string | undefined,
  ): Promise<number | undefined>;
  /**
   * Writes a live session's record back where it vanished without a trace (a flush, a restart
   * without persistence, a failover to an empty replica: no record and no removal's
   * tombstone), at `version` (one past the version the worker held, so versions never go
   * back), and announces it. The version, or `undefined` when something is stored there
   * (another worker wrote first). Optional: without it, a lost record stays lost.
   */
  writeBack?(key: SessionKey, record: unknown, version: number): Promise<number | undefined>;
  /**
   * The gates of the API accounts, shared by every worker: in-flight cap, rate, the circuit
   * breaker, a provider's `Retry-After` held for all. Optional: without it, each worker keeps
   * the limits on its own.
   */
  readonly gates?: GateStore;
  /**
   * The fleet's shared schedule of due work: each session's next deadline, claimed by one
   * worker at a time in bounded batches, so that a worker need not hold every session to
   * refresh it. Optional: without it, every worker reads every record at `start()` and
   * schedules it itself.
   */
  readonly schedule?: SharedSchedule;
  /** Announces `change` to every worker (after a commit or a removal). */
  watch(
    onChange: (change: SharedChange) => void,
    onResync: () => void,
  ): Promise<() => Promise<void>>;
  /** The shared access token of an API account, if one is held (opened). */
  readAccess(account: string): Promise<unknown>;
  /** Takes the account's login lock for `ttlMs`. */
  lockAccess(account: string, ttlMs: number): Promise<string | undefined>;
  /** Gives up the account's login lock if it is still `owner`'s (the login failed). */
  releaseAccess(account: string, owner: string): Promise<void>;
  /** Stores the account's access token until `expiresAt` and releases the login lock. */
  commitAccess(account: string, owner: string, access: unknown, expiresAt: number): Promise<void>;
  /** Forgets the account's access token if it is still the one with this value (refused). */
  dropAccess(account: string, accessToken: string): Promise<void>;
}

/** The fleet's schedule of due work (see {@link SessionCoordinator.schedule}). */
export interface SharedSchedule {
  /** Sets a session's next deadline (epoch ms), or with `undefined` takes it off. */
  plan(key: SessionKey, at: number | undefined): Promise<void>;
  /**
   * Claims up to `limit` sessions due by `now`, each for `leaseMs` (due again after it unless
   * planned anew). The keys of the claimed sessions that still have a record.
   */
  claim(now: number, limit: number, leaseMs: number): Promise<SessionKey[]>;
  /**
   * Puts every record written before the schedule existed (by 0.4 or earlier) on it, due at
   * once (the claiming worker plans its real deadline). Once per store; a worker that finds
   * it done or under way elsewhere returns at once.
   */
  join(): Promise<void>;
}

/** A store that many processes share, with its coordination. */
export interface CoordinatedStore extends SessionStore {
  readonly coordinator: SessionCoordinator;
}

/** The coordination of a store, if it has one. */
export function coordinatorOf(store: SessionStore): SessionCoordinator | undefined {
  const coordinator = (store as Partial<CoordinatedStore>).coordinator;
  return coordinator && typeof coordinator.commit === 'function' ? coordinator : undefined;
}
