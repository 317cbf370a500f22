import * as v from 'valibot';
import {
  EMITTED_EVENT_TYPES,
  type GstrSessionEmitted,
  type SessionState,
} from '../../machines/gstrSession.types.js';
import {
  isAutoReauthDue,
  nextTokenDeadline,
  sessionConfigFor,
} from '../../machines/sessionRules.js';
import type { GstrError } from '../errors/GstrError.js';
import { SessionStateError } from '../errors/SessionStateError.js';
import { createFleet, SCHEDULE_TICK_MS } from '../fleet/fleet.js';
import { gateProvider } from '../fleet/gateProvider.js';
import { type RecordRead, recordOf, reportSkipped } from '../fleet/readRecord.js';
import type { SessionSync } from '../fleet/sessionSync.js';
import { shareLogins } from '../fleet/sharedLogin.js';
import { AccountLimitsSchema, resolveLimits } from '../gate/accountLimits.js';
import { memoryGateStore } from '../gate/memoryGateStore.js';
import { GstrProviderSchema } from '../providers/contractSchemas.js';
import { GstinSchema } from '../schemas/gstin.js';
import { countSchema, methodsSchema } from '../schemas/options.js';
import { parseInput, parseOptions } from '../schemas/parse.js';
import { UsernameSchema } from '../schemas/requests.js';
import type { ReauthMode } from '../schemas/sessionConfig.js';
import { redactDeep } from '../secrets/redactDeep.js';
import { callHandler } from '../session/callHandler.js';
import { createGstrSession } from '../session/createGstrSession.js';
import { usableCredentials } from '../session/credentialsOf.js';
import { loggerOf } from '../session/loggerOf.js';
import type { PersistedGstrSession } from '../session/persistence.js';
import { ClockSchema, InspectorSchema, LoggerSchema } from '../session/runtimeOptions.js';
import type { GstrSession, SessionCredentials } from '../session/types.js';
import { memoryStore } from '../stores/memoryStore.js';
import { coordinatorOf } from '../stores/SessionCoordinator.js';
import { keyName, type SessionKey, type SessionStore } from '../stores/SessionStore.js';
import { systemClock, systemWaitClock } from '../time/systemClock.js';
import { type Entry, idOf, newEntry } from './entry.js';
import { limitLogins } from './limitLogins.js';
import { localSync } from './localSync.js';
import { createManagedHandle } from './managedHandle.js';
import { querySessions } from './querySessions.js';
import { requestOtps } from './requestOtps.js';
import { createScheduler, WAKE_BATCH } from './scheduler.js';
import type {
  ManagedEvent,
  RestoreReport,
  SessionManager,
  SessionManagerOptions,
  SessionSummary,
  SkippedRecord,
} from './types.js';
import { createWriteQueue } from './writeQueue.js';

const RESTORE_BATCH = 64;

/**
 * The manager's re-authentication default: `manual`. Background services hold sessions for
 * taxpayers who are not at the screen; an unasked SMS every six hours would reach someone who
 * cannot type it. Their jobs get `ReauthenticationRequiredError` and the app asks a person.
 */
export const MANAGER_DEFAULT_REAUTH: ReauthMode = 'manual';

/**
 * How long a call's slot in this process's gate lives if its end is never told (it always is:
 * the bound only keeps a bug from closing the gate for good).
 */
const LOCAL_SLOT_TTL_MS = 5 * 60_000;

/**
 * How long after its deadline the worker holding a session wakes it itself on a shared
 * schedule: the schedule's claimer comes within a tick; this is for a plan that was lost.
 */
const SCHEDULE_FALLBACK_MS = 5 * SCHEDULE_TICK_MS;

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
    account: v.optional(
      v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(200)),
    ),
    limits: v.optional(AccountLimitsSchema),
    dormant: v.optional(v.boolean('must be true or false')),
    clock: v.optional(ClockSchema),
    logger: v.optional(LoggerSchema),
    inspect: v.optional(InspectorSchema),
    onAudit: v.optional(v.function('must be a function')),
  },
  'must be an object',
);

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
    account,
    limits,
    dormant = true,
    clock = systemClock,
    logger: appLogger,
    inspect,
    onAudit,
    ...config
  } = options;
  const logger = loggerOf(appLogger);
  // The clock of waits: referenced timers, so that an awaited promise always settles.
  const waitClock = options.clock ?? systemWaitClock;
  const coordinator = coordinatorOf(store);
  // The same resolved config as every session's: one set of defaults, except that a manager
  // runs in the background, where nobody may be there to type an OTP: it re-authenticates
  // only when asked, unless `reauth: 'auto'` says otherwise.
  const resolved = sessionConfigFor(
    { ...config, reauth: config.reauth ?? MANAGER_DEFAULT_REAUTH },
    'createSessionManager',
    rawProvider,
  );
  // Sessions of one API account share its access token: one login, not one per GSTIN (and,
  // on a shared store, not one per worker either).
  const accountName = account ?? rawProvider.name;
  // Every auth request keeps the account's limits, on a shared store across the fleet.
  const accountLimits = resolveLimits(limits);
  const gated = gateProvider(rawProvider, {
    store: coordinator?.gates ?? memoryGateStore(() => clock.now()),
    account: accountName,
    limits: accountLimits,
    slotTtlMs: coordinator?.lockTtlMs ?? LOCAL_SLOT_TTL_MS,
    waitClock,
    report: (error) =>
      logger?.warn?.('gstr-session manager: cannot tell the account gate a call ended', {
        error: redactDeep(error),
      }),
  });
  const provider = shareLogins(
    limitLogins(gated, loginConcurrency),
    accountName,
    coordinator,
    () => clock.now(),
    resolved.accessTokenSkewMs,
  );
  const entries = new Map<string, Entry>();
  const listeners = new Map<string, Set<(event: never) => void>>();
  const writes = createWriteQueue(store, logger);
  const scheduler = createScheduler<Entry>({
    clock,
    clockCheckMs: resolved.clockCheckMs,
    logger,
    onDue: (entry) => {
      try {
        wake(entry);
      } catch (error) {
        logger?.error?.(`gstr-session manager: cannot wake ${keyName(entry.key)}`, {
          error: redactDeep(error),
        });
      }
    },
  });
  let closed = false;
  /**
   * How long a claim of the shared schedule lasts: two lock lifetimes, by when a claimer that
   * died mid-refresh has lost its lock too. A lease that lapses while its claimer still works
   * costs the next claimer a lock wait, never a second refresh (the lock, then a re-read).
   */
  const fleetClaimLeaseMs = 2 * (coordinator?.lockTtlMs ?? 0);
  /** Claimed sessions in this worker's hands, and whether each has started its request. */
  const claims = new Map<Entry, boolean>();
  const sync: SessionSync<Entry> = coordinator
    ? createFleet({
        coordinator,
        provider,
        logger,
        clock: waitClock,
        parse: (entry, record) => recordOf(record, entry.key, provider),
        replace,
        emit,
        entries: () => entries.values(),
        dueAt,
        claimed: serveClaim,
        // No more claims in hand than the gate lets through soon: a claim waiting in a long
        // queue would lapse and be claimed again by another worker.
        claimCapacity: () =>
          Math.max(0, Math.min(WAKE_BATCH, 2 * accountLimits.maxInFlight - claims.size)),
        claimLeaseMs: fleetClaimLeaseMs,
        trackClaim,
        entryFor: (key) => entryFor(key.gstin, key.username),
        inspect,
      })
    : localSync({ store, provider, writes, emit });

  /**
   * Takes another worker's newer record in: the live session stops (its waits start again on
   * the new one, see the handle) and the entry holds the record, dormant, with its deadline.
   */
  function replace(entry: Entry, saved: PersistedGstrSession | undefined): void {
    const live = entry.live;
    entry.live = undefined;
    entry.saved = saved;
    entry.generation = (entry.generation ?? 0) + 1;
    scheduler.remove(entry);
    live?.stop();
    if (saved) schedule(entry, saved);
  }

  /**
   * When a resting record is due to be looked at: an authenticated one at its next deadline;
   * in auto mode, one whose token is gone at once (it re-authenticates by itself); others
   * never. The local scheduler and the fleet's shared schedule both ask this.
   */
  function dueAt(saved: PersistedGstrSession): number | undefined {
    if (saved.state === 'authenticated') return nextDeadline(saved);
    return isAutoReauthDue(saved.state, resolved) ? clock.now() : undefined;
  }

  /**
   * Arms a dormant entry's wake-up at {@link dueAt}. On a shared schedule the worker that
   * claims it does the work; the one holding it wakes it too, a little later, in case the
   * schedule could not be written.
   */
  function schedule(entry: Entry, saved: PersistedGstrSession): void {
    const at = dueAt(saved);
    if (at === undefined) return;
    // On a shared schedule, never so late that a short-lived token runs out first: at most a
    // quarter of its time left (the rest is for a lock that lapses, a takeover and the call).
    const left = saved.token ? saved.token.expiresAt - at : SCHEDULE_FALLBACK_MS;
    const grace = sync.scheduled ? Math.max(0, Math.min(SCHEDULE_FALLBACK_MS, left / 4)) : 0;
    scheduler.add(entry, at + grace);
  }

  /**
   * Serves a session claimed from the shared schedule: read through, woken if due (its commit
   * plans the next deadline), planned anew if not (another worker served it meanwhile).
   */
  async function serveClaim(key: SessionKey): Promise<void> {
    if (closed) return;
    const entry = entryFor(key.gstin, key.username);
    // In hand until its work is done: counted against what this worker claims next.
    claims.set(entry, false);
    setTimeout(() => claims.delete(entry), fleetClaimLeaseMs).unref?.();
    try {
      await load(entry);
    } catch (error) {
      claims.delete(entry);
      throw error;
    }
    const live = entry.live;
    const record = live ? live.persist() : entry.saved;
    const at = record ? dueAt(record) : undefined;
    if (live || at === undefined || at > clock.now() || refusalOf(entry, 'wake')) {
      // A live session keeps its own timers; a record not due is planned where it is.
      claims.delete(entry);
      await coordinator?.schedule?.plan(key, at);
      return;
    }
    wake(entry);
  }

  /**
   * A claimed session's work is done once it rests again after a request (its commit plans
   * the next deadline); `moving`: it is in a request now.
   */
  function trackClaim(entry: Entry, moving: boolean): void {
    if (!claims.has(entry)) return;
    if (moving) claims.set(entry, true);
    else if (claims.get(entry)) claims.delete(entry);
  }

  /** When a dormant session must be looked at again: its lead time, then its expiry. */
  function nextDeadline(saved: PersistedGstrSession): number {
    return nextTokenDeadline(saved, resolved) ?? clock.now();
  }

  function sleep(entry: Entry): void {
    const live = entry.live;
    if (live?.state !== 'authenticated') return;
    entry.saved = live.persist();
    entry.live = undefined;
    live.stop();
    sync.slept(entry, entry.saved);
    schedule(entry, entry.saved);
  }

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
    scheduler.remove(entry);
    const session = createGstrSession({
      // The manager's resolved config: its defaults (manual re-authentication) included.
      ...resolved,
      provider: sync.providerFor(entry),
      gstin: entry.key.gstin,
      username: entry.key.username,
      clock,
      ...(entry.saved ? { snapshot: entry.saved } : {}),
      ...(logger ? { logger } : {}),
      ...(inspect ? { inspect } : {}),
      ...(onAudit ? { onAudit } : {}),
    });
    entry.live = session;
    for (const type of EMITTED_EVENT_TYPES)
      session.on(type, (event) => sync.announce(entry, event));
    const follow = sync.follow(entry, session);
    session.subscribe((snapshot) => {
      for (const listener of entry.subscribers ?? []) {
        callHandler(listener, snapshot, (error) =>
          logger?.error?.('gstr-session manager: a snapshot listener threw', {
            error: redactDeep(error),
          }),
        );
      }
      const state = snapshot.value as SessionState;
      if (entry.live !== session || !follow(state)) return;
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

  /**
   * The credentials of an authenticated session with no wait (the hot path: no promise chain,
   * no actor woken, no request): a dormant one's from its snapshot, a live one's from its
   * machine (while it refreshes, the current token is still good). A dormant token whose
   * refresh time has passed unseen (a timer late after a pause, a record another worker took
   * in) is handed out while valid, and its refresh set off now. Nothing to hand out without a
   * wait, or events of this session still waiting for their commit: undefined.
   */
  function fastCredentials(entry: Entry): SessionCredentials | undefined {
    const now = clock.now();
    const live = entry.live;
    if (live) {
      const snapshot = live.snapshot;
      const state = snapshot.value as SessionState;
      if ((state !== 'authenticated' && state !== 'refreshing') || sync.hasPending(entry))
        return undefined;
      return usableCredentials(snapshot.context, provider, now);
    }
    const saved = entry.saved;
    if (saved?.state !== 'authenticated') return undefined;
    const credentials = usableCredentials(saved, provider, now);
    if (credentials && nextDeadline(saved) <= now) scheduler.add(entry, now);
    return credentials;
  }

  const handleOps = {
    wake,
    sleep,
    refusalOf,
    fastCredentials,
    waitClock,
    config: resolved,
    load,
    announced: (entry: Entry) => sync.announced(entry),
    settle: (entry: Entry, signal: AbortSignal | undefined) => sync.settle(entry, signal),
    report: (operation: string, error: unknown) =>
      logger?.error?.(`gstr-session manager: ${operation} failed`, { error: redactDeep(error) }),
  };

  function entryFor(gstin: string, username: string): Entry {
    const exact = entries.get(idOf(gstin, username));
    if (exact) return exact;
    const key = {
      gstin: parseInput(GstinSchema, gstin, 'session', 'gstin'),
      username: parseInput(UsernameSchema, username, 'session', 'username'),
    };
    const found = entries.get(idOf(key.gstin, key.username));
    if (found) return found;
    const entry = newEntry(key);
    entries.set(entry.id, entry);
    return entry;
  }

  /** Reads an entry's record from the store once (read-through); every caller shares the read. */
  function load(entry: Entry): Promise<void> {
    if (entry.loaded) return Promise.resolve();
    entry.loading ??= sync
      .read(entry)
      .then((read) => {
        // The store could not be reached: this call fails, typed; the next one reads again.
        if (read.kind === 'skipped' && read.transient) throw read.skipped.error;
        if (!entry.loaded) restore(read, entry.key);
        entry.loaded = true;
      })
      .finally(() => {
        entry.loading = undefined;
      });
    return entry.loading;
  }

  /** Takes one stored record in: a dormant session, or a key marked unreadable. */
  function restore(read: RecordRead, key: SessionKey): boolean {
    if (read.kind === 'skipped') {
      // A store that could not be reached marks nothing: a read-through tries again later.
      if (read.transient) return false;
      try {
        const marked = entryFor(key.gstin, key.username);
        marked.unreadable = read.skipped.error;
        marked.loaded = true;
      } catch {
        // A key that is not a valid GSTIN/username can never be asked for: nothing to mark.
      }
      return false;
    }
    if (read.kind === 'absent') return false;
    const { saved } = read;
    const entry = entryFor(saved.gstin, saved.username);
    entry.loaded = true;
    if (entry.live) return false; // already in use in this process
    entry.saved = saved;
    // Cleared only where set: a property added to every entry costs each of them memory.
    if (entry.unreadable) entry.unreadable = undefined;
    schedule(entry, saved);
    return true;
  }

  const manager: SessionManager = {
    async start(): Promise<RestoreReport> {
      await sync.start();
      // On a shared schedule nothing is read up front: due sessions are claimed as they fall
      // due, and the others are read when first asked for.
      if (sync.scheduled) {
        sync.serveSchedule();
        return { restored: 0, skipped: 0, skippedRecords: [] };
      }
      const keys = await store.list();
      let restored = 0;
      const skippedRecords: SkippedRecord[] = [];
      for (let i = 0; i < keys.length; i += RESTORE_BATCH) {
        const batch = keys.slice(i, i + RESTORE_BATCH);
        const reads = await Promise.all(batch.map((key) => sync.readStored(key)));
        reads.forEach((read, j) => {
          const key = batch[j];
          if (key && restore(read, key)) restored += 1;
          if (read.kind === 'skipped') skippedRecords.push(read.skipped);
        });
      }
      reportSkipped(skippedRecords, logger);
      return { restored, skipped: skippedRecords.length, skippedRecords };
    },

    get(gstin, username) {
      const entry = entryFor(gstin, username);
      entry.handle ??= createManagedHandle(entry, handleOps);
      return entry.handle;
    },

    credentials(gstin, username, waitOptions) {
      const entry = entries.get(idOf(gstin, username));
      const refused = refusalOf(entry, 'credentials');
      if (refused) return Promise.reject(refused);
      const fast = entry && fastCredentials(entry);
      if (fast) return Promise.resolve(fast);
      try {
        return manager.get(gstin, username).credentials(waitOptions);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    call(gstin, username, request, options) {
      try {
        return manager.get(gstin, username).call(request, options);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    submitOtp(gstin, username, otp, waitOptions) {
      try {
        return manager.get(gstin, username).submitOtp(otp, waitOptions);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    resendOtp(gstin, username, waitOptions) {
      try {
        return manager.get(gstin, username).resendOtp(waitOptions);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    sessions(query) {
      return querySessions(
        {
          store,
          provider,
          config: resolved,
          now: () => clock.now(),
          held: (key) => {
            const entry = entries.get(idOf(key.gstin, key.username));
            if (entry?.live) return { record: entry.live.persist(), live: entry.live.state };
            return entry?.saved ? { record: entry.saved } : undefined;
          },
        },
        query,
      );
    },

    requestOtps(keys, requestOptions) {
      return requestOtps(
        {
          check: (key) => entryFor(key.gstin, key.username).key,
          ready: async (key) => {
            const entry = entryFor(key.gstin, key.username);
            await load(entry);
            return manager.get(key.gstin, key.username);
          },
        },
        keys,
        requestOptions,
      );
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
      scheduler.remove(entry);
      entries.delete(entry.id);
      sync.forget(entry);
      await entry.writing;
      await store.delete(entry.key);
    },

    on(type, handler) {
      const set = listeners.get(type) ?? new Set();
      set.add(handler as (event: never) => void);
      listeners.set(type, set);
      return () => set.delete(handler as (event: never) => void);
    },

    flush: () => writes.flush(entries.values()),

    async close() {
      for (const entry of entries.values()) {
        const live = entry.live;
        if (!live) continue;
        sync.closing(entry, live);
        entry.live = undefined;
        live.stop();
      }
      closed = true;
      scheduler.stop();
      await Promise.all([writes.flush(entries.values()), sync.close()]);
    },

    [Symbol.asyncDispose]: () => manager.close(),
  };
  return manager;
}
