import * as v from 'valibot';
import {
  EMITTED_EVENT_TYPES,
  type GstrSessionEmitted,
  type SessionState,
} from '../../machines/gstrSession.types.js';
import { isAutoReauthDue, nextTokenDeadline } from '../../machines/sessionRules.js';
import { type GstrError, isGstrError } from '../errors/GstrError.js';
import { SessionStateError } from '../errors/SessionStateError.js';
import { StoreError } from '../errors/StoreError.js';
import { GstrProviderSchema } from '../providers/contractSchemas.js';
import { GstinSchema } from '../schemas/gstin.js';
import { countSchema, methodsSchema } from '../schemas/options.js';
import { parseInput, parseOptions } from '../schemas/parse.js';
import { UsernameSchema } from '../schemas/requests.js';
import { ClockSchema, InspectorSchema, LoggerSchema } from '../schemas/runtimeOptions.js';
import { resolveSessionConfig } from '../schemas/sessionConfig.js';
import { redactDeep } from '../secrets/redactDeep.js';
import { callHandler } from '../session/callHandler.js';
import { createGstrSession } from '../session/createGstrSession.js';
import { usableCredentials } from '../session/credentialsOf.js';
import {
  type GstrSessionSnapshot,
  type PersistedGstrSession,
  parsePersisted,
} from '../session/persistence.js';
import { systemClock } from '../session/systemClock.js';
import type { GstrSession, SessionCredentials } from '../session/types.js';
import { memoryStore } from '../stores/memoryStore.js';
import { keyName, type SessionKey, type SessionStore } from '../stores/SessionStore.js';
import { clampDelay } from '../time.js';
import { DeadlineQueue } from './DeadlineQueue.js';
import { limitLogins } from './limitLogins.js';
import type {
  ManagedEvent,
  RestoreReport,
  SessionManager,
  SessionManagerOptions,
  SessionSummary,
  SkippedRecord,
} from './types.js';

const RESTORE_BATCH = 64;

/** The manager's own options (the config numbers are checked by the session config's schema). */
const ManagerOptionsSchema = v.object(
  {
    provider: GstrProviderSchema,
    store: v.optional(
      methodsSchema<SessionStore>(
        ['save', 'load', 'delete', 'list'],
        'must be a SessionStore (save, load, delete, list)',
      ),
    ),
    loginConcurrency: v.optional(countSchema(1, 1000)),
    dormant: v.optional(v.boolean('must be true or false')),
    clock: v.optional(ClockSchema),
    logger: v.optional(LoggerSchema),
    inspect: v.optional(InspectorSchema),
  },
  'must be an object',
);

interface Entry {
  readonly key: SessionKey;
  readonly id: string;
  /** The live session, when one runs. */
  live: GstrSession | undefined;
  /** The last saved form: the whole session while dormant or not yet woken. */
  saved: PersistedGstrSession | undefined;
  /** Handlers registered on this session's handle; they survive dormancy. */
  /** Created on the first handler: most of thousands of sessions never get one. */
  listeners: Map<string, Set<(event: never) => void>> | undefined;
  /** Snapshot listeners of the handle; like `listeners`, they survive dormancy. */
  subscribers: Set<(snapshot: GstrSessionSnapshot) => void> | undefined;
  handle: GstrSession | undefined;
  pendingWrite: PersistedGstrSession | undefined;
  writing: Promise<void> | undefined;
  /** Set once `remove()` took the session away: its handle is inert from then on. */
  removed: boolean;
  /** Why the store's record of this key could not be read at `start()`, if it could not. */
  unreadable: StoreError | undefined;
}

function newEntry(key: SessionKey, id: string, saved?: PersistedGstrSession): Entry {
  return {
    key,
    id,
    live: undefined,
    saved,
    listeners: undefined,
    subscribers: undefined,
    handle: undefined,
    pendingWrite: undefined,
    writing: undefined,
    removed: false,
    unreadable: undefined,
  };
}

function idOf(gstin: string, username: string): string {
  return `${gstin}\u0000${username}`;
}

/**
 * Creates a manager of many taxpayers' sessions: one per (GSTIN, portal username), every
 * state change written to the store, logins bounded across sessions, and idle authenticated
 * sessions kept dormant (a snapshot under one scheduler) until used or due.
 *
 * @example
 * ```ts
 * const manager = createSessionManager({ provider, store: encryptedStore(fileStore(dir), key) });
 * await manager.start();                       // restores every saved session, sends no OTP by itself in manual mode
 * manager.on('otp.required', ({ gstin, username }) => notifyThePerson(gstin, username));
 * const { authToken } = await manager.credentials('27AAPFU0939F1ZV', 'portal-user');
 * ```
 */
export function createSessionManager(options: SessionManagerOptions): SessionManager {
  // Checked now, not at the first wake-up inside a timer.
  parseOptions(ManagerOptionsSchema, options, 'createSessionManager');
  const {
    provider: rawProvider,
    store = memoryStore(),
    loginConcurrency = 8,
    dormant = true,
    clock = systemClock,
    logger,
    inspect,
    ...config
  } = options;
  const provider = limitLogins(rawProvider, loginConcurrency);
  // The same resolved config as every session's: one set of defaults.
  const resolved = resolveSessionConfig(config, 'createSessionManager');
  const { clockCheckMs } = resolved;
  const entries = new Map<string, Entry>();
  const listeners = new Map<string, Set<(event: never) => void>>();
  const queue = new DeadlineQueue<Entry>();
  let timer: unknown;
  let timerDue = Number.POSITIVE_INFINITY;
  let closed = false;

  // --- store writes: one in flight per session, the latest snapshot wins -----------------
  function write(entry: Entry, snapshot: PersistedGstrSession): void {
    entry.pendingWrite = snapshot;
    if (entry.writing) return;
    entry.writing = (async () => {
      for (let next = entry.pendingWrite; next; next = entry.pendingWrite) {
        entry.pendingWrite = undefined;
        try {
          await store.save(entry.key, next);
        } catch (error) {
          logger?.error?.(`gstr-session manager: cannot save ${keyName(entry.key)}`, {
            error: redactDeep(error),
          });
        }
      }
    })().finally(() => {
      entry.writing = undefined;
    });
  }

  // --- the scheduler: one timer for every dormant session --------------------------------
  function arm(): void {
    const due = queue.peek();
    if (due === undefined || closed) return;
    // Re-checked at least every clockCheckMs, so that a sleep cannot hide a deadline.
    const at = Math.min(due, clock.now() + clockCheckMs);
    if (timer !== undefined && timerDue <= at) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timerDue = at;
    timer = clock.setTimeout(fire, clampDelay(at - clock.now()));
  }

  function fire(): void {
    timer = undefined;
    timerDue = Number.POSITIVE_INFINITY;
    for (const entry of queue.takeDue(clock.now())) {
      try {
        wake(entry);
      } catch (error) {
        // A timer callback must never throw: that would end the process.
        logger?.error?.(`gstr-session manager: cannot wake ${keyName(entry.key)}`, {
          error: redactDeep(error),
        });
      }
    }
    arm();
  }

  function nextDeadline(saved: PersistedGstrSession): number {
    return nextTokenDeadline(saved, resolved, clock.now()) ?? clock.now();
  }

  function sleep(entry: Entry): void {
    const live = entry.live;
    if (live?.state !== 'authenticated') return;
    entry.saved = live.persist();
    entry.live = undefined;
    live.stop();
    // What changed without a state change (an `expiring` already announced) is kept too.
    write(entry, entry.saved);
    queue.add(entry, nextDeadline(entry.saved));
    arm();
  }

  // --- live sessions ---------------------------------------------------------------------
  function emit(entry: Entry, event: GstrSessionEmitted): void {
    const managed = { ...event, username: entry.key.username } as ManagedEvent;
    for (const set of [listeners.get(event.type), entry.listeners?.get(event.type)]) {
      for (const handler of set ?? []) {
        callHandler(handler as (e: ManagedEvent) => unknown, managed, (error) =>
          logger?.error?.(`gstr-session manager: ${event.type} handler threw`, {
            error: redactDeep(error),
          }),
        );
      }
    }
  }

  /** Why a session cannot be used now (manager closed, session removed, record unreadable). */
  function refusalOf(entry: Entry | undefined, operation: string): GstrError | undefined {
    if (closed) return new SessionStateError(operation, 'closed', 'the session manager is closed');
    if (entry?.removed)
      return new SessionStateError(
        operation,
        'removed',
        'the session was removed from the manager',
      );
    return entry?.unreadable;
  }

  function wake(entry: Entry): GstrSession {
    const refused = refusalOf(entry, 'wake');
    if (refused) throw refused;
    if (entry.live) return entry.live;
    queue.remove(entry);
    const session = createGstrSession({
      ...config,
      provider,
      gstin: entry.key.gstin,
      username: entry.key.username,
      clock,
      ...(entry.saved ? { snapshot: entry.saved } : {}),
      ...(logger ? { logger } : {}),
      ...(inspect ? { inspect } : {}),
    });
    entry.live = session;
    for (const type of EMITTED_EVENT_TYPES) session.on(type, (event) => emit(entry, event));
    let last: SessionState = session.state;
    session.subscribe((snapshot) => {
      for (const listener of entry.subscribers ?? []) {
        callHandler(listener, snapshot, (error) =>
          logger?.error?.('gstr-session manager: a snapshot listener threw', {
            error: redactDeep(error),
          }),
        );
      }
      const state = snapshot.value as SessionState;
      if (state === last || entry.live !== session) return;
      last = state;
      const persisted = session.persist();
      entry.saved = persisted;
      write(entry, persisted);
      // Let the waits that this state settles resolve first, then go dormant.
      if (dormant && state === 'authenticated')
        queueMicrotask(() => entry.live === session && sleep(entry));
    });
    if (entry.saved) {
      session.start(); // resume where it was saved (no login, no SMS by itself)
      // Woken by its deadline, or for a look: if it is still authenticated, back to sleep.
      if (dormant && session.state === 'authenticated')
        queueMicrotask(() => entry.live === session && sleep(entry));
    }
    return session;
  }

  function handleFor(entry: Entry): GstrSession {
    const live = () => wake(entry);
    /** Rejects (never throws) when the session cannot be used; otherwise runs `run`. */
    const guarded = async <T>(operation: string, run: () => Promise<T> | T): Promise<T> => {
      const refused = refusalOf(entry, operation);
      if (refused) throw refused;
      return run();
    };
    const handle: GstrSession = {
      gstin: entry.key.gstin,
      username: entry.key.username,
      get state() {
        return entry.live?.state ?? (entry.saved?.state as SessionState | undefined) ?? 'loggedOut';
      },
      get snapshot() {
        return live().snapshot;
      },
      get actor() {
        return live().actor;
      },
      start: () => live().start(),
      // Promise-returning members reject, never throw, also when the manager is closed.
      submitOtp: (otp) => guarded('submitOtp', () => live().submitOtp(otp)),
      resendOtp: () => guarded('resendOtp', () => live().resendOtp()),
      reauthenticate: () => live().reauthenticate(),
      reportTokenRejected: () => live().reportTokenRejected(),
      checkClock: () => live().checkClock(),
      logout: () => guarded('logout', () => live().logout()),
      credentials: (waitOptions) =>
        guarded('credentials', () => fastCredentials(entry) ?? live().credentials(waitOptions)),
      on: (type, handler) => {
        entry.listeners ??= new Map();
        const set = entry.listeners.get(type) ?? new Set();
        set.add(handler as (event: never) => void);
        entry.listeners.set(type, set);
        return () => set.delete(handler as (event: never) => void);
      },
      // Kept on the entry, so that a listener goes on hearing the session after it wakes.
      subscribe: (listener) => {
        entry.subscribers ??= new Set();
        entry.subscribers.add(listener);
        return () => entry.subscribers?.delete(listener);
      },
      persist: () => entry.live?.persist() ?? entry.saved ?? live().persist(),
      stop: () => {
        if (entry.live?.state === 'authenticated') sleep(entry);
        else entry.live?.stop();
        entry.live = undefined;
      },
    };
    return handle;
  }

  /** A dormant authenticated session answers from its snapshot: no actor, no request. */
  function fastCredentials(entry: Entry): SessionCredentials | undefined {
    const saved = entry.live ? undefined : entry.saved;
    if (saved?.state !== 'authenticated') return undefined;
    return usableCredentials(saved, clock.now());
  }

  /**
   * Says which records could not be read, to the logger, or (without one) once on the
   * console: a wrong store key must never pass silently.
   */
  function reportSkipped(skipped: readonly SkippedRecord[]): void {
    for (const record of skipped) {
      logger?.warn?.(`gstr-session manager: skipped ${keyName(record)}: ${record.reason}`, {
        error: record.error.toJSON(),
      });
    }
    if (!logger && skipped.length > 0) {
      const first = skipped[0];
      console.warn(
        `gstr-session manager: ${skipped.length} stored session(s) could not be read (first: ${first ? keyName(first) : ''}: ${first?.reason ?? ''}). Pass a logger to see each.`,
      );
    }
  }

  function entryFor(gstin: string, username: string): Entry {
    const exact = entries.get(idOf(gstin, username));
    if (exact) return exact;
    const key = {
      gstin: parseInput(GstinSchema, gstin, 'session', 'gstin'),
      username: parseInput(UsernameSchema, username, 'session', 'username'),
    };
    const id = idOf(key.gstin, key.username);
    const found = entries.get(id);
    if (found) return found;
    const entry = newEntry(key, id);
    entries.set(id, entry);
    return entry;
  }

  /** Loads one record; a record that cannot be read marks its key, so that using it says why. */
  async function restoreOne(key: SessionKey): Promise<'restored' | 'absent' | SkippedRecord> {
    try {
      const record = await store.load(key);
      if (record === undefined) return 'absent';
      const saved = parsePersisted(record, key);
      const entry = entryFor(saved.gstin, saved.username);
      if (entry.live) return 'absent'; // already in use in this process
      entry.saved = saved;
      entry.unreadable = undefined;
      if (saved.state === 'authenticated') queue.add(entry, nextDeadline(saved));
      // Only auto mode re-authenticates by itself, and only once its token is gone.
      else if (isAutoReauthDue(saved.state, resolved)) queue.add(entry, clock.now());
      return 'restored';
    } catch (error) {
      const reason =
        error instanceof StoreError
          ? error.problem
          : isGstrError(error)
            ? error.message
            : 'the record could not be read';
      const unreadable = new StoreError(keyName(key), `its record could not be read (${reason})`);
      try {
        entryFor(key.gstin, key.username).unreadable = unreadable;
      } catch {
        // A key that is not a valid GSTIN/username can never be asked for: nothing to mark.
      }
      return { gstin: key.gstin, username: key.username, reason, error: unreadable };
    }
  }

  return {
    async start(): Promise<RestoreReport> {
      const keys = await store.list();
      let restored = 0;
      const skippedRecords: SkippedRecord[] = [];
      for (let i = 0; i < keys.length; i += RESTORE_BATCH) {
        const results = await Promise.all(keys.slice(i, i + RESTORE_BATCH).map(restoreOne));
        for (const result of results) {
          if (result === 'restored') restored += 1;
          else if (result !== 'absent') skippedRecords.push(result);
        }
      }
      arm();
      reportSkipped(skippedRecords);
      return { restored, skipped: skippedRecords.length, skippedRecords };
    },

    get(gstin, username) {
      const entry = entryFor(gstin, username);
      entry.handle ??= handleFor(entry);
      return entry.handle;
    },

    credentials(gstin, username, waitOptions) {
      const entry = entries.get(idOf(gstin, username));
      const refused = refusalOf(entry, 'credentials');
      if (refused) return Promise.reject(refused);
      const fast = entry && fastCredentials(entry);
      if (fast) return Promise.resolve(fast);
      try {
        return this.get(gstin, username).credentials(waitOptions);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    list(): SessionSummary[] {
      return [...entries.values()].map((entry) => {
        const state =
          entry.live?.state ?? (entry.saved?.state as SessionState | undefined) ?? 'loggedOut';
        const expiresAt = entry.live
          ? entry.live.snapshot.context.token?.expiresAt
          : entry.saved?.token?.expiresAt;
        return {
          gstin: entry.key.gstin,
          username: entry.key.username,
          state,
          expiresAt,
          live: entry.live !== undefined,
        };
      });
    },

    async remove(gstin, username) {
      const entry = entries.get(idOf(gstin, username)) ?? entryFor(gstin, username);
      entry.removed = true;
      entry.live?.stop();
      entry.live = undefined;
      queue.remove(entry);
      entries.delete(entry.id);
      await entry.writing;
      await store.delete(entry.key);
    },

    on(type, handler) {
      const set = listeners.get(type) ?? new Set();
      set.add(handler as (event: never) => void);
      listeners.set(type, set);
      return () => set.delete(handler as (event: never) => void);
    },

    async flush() {
      await Promise.all([...entries.values()].map((e) => e.writing));
    },

    async close() {
      for (const entry of entries.values()) {
        const live = entry.live;
        if (!live) continue;
        write(entry, live.persist());
        entry.live = undefined;
        live.stop();
      }
      closed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await Promise.all([...entries.values()].map((e) => e.writing));
    },
  };
}
