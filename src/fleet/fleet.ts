import { createActor, waitFor } from 'xstate';
import {
  type GstrSessionEmitted,
  type SessionState,
  TRANSIENT_STATES,
} from '../../machines/gstrSession.types.js';
import { isGstrError } from '../errors/isGstrError.js';
import { isProviderOutage } from '../errors/isProviderOutage.js';
import { StoreUnavailableError } from '../errors/StoreUnavailableError.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import { overrideProvider } from '../providers/overrideProvider.js';
import { redactDeep } from '../secrets/redactDeep.js';
import { createRedactingInspector, type Inspector } from '../session/createRedactingInspector.js';
import type { PersistedGstrSession } from '../session/persistence.js';
import type { GstrSession, SessionClock, SessionLogger } from '../session/types.js';
import type { SessionCoordinator, SharedRecord } from '../stores/SessionCoordinator.js';
import { keyName, type SessionKey } from '../stores/SessionStore.js';
import { traceScheduleClaim } from '../telemetry/traceChannels.js';
import { onAbort } from '../time/abortable.js';
import { backoffDelay } from '../time/backoff.js';
import { sleep } from '../time/sleep.js';
import { systemWaitClock } from '../time/systemClock.js';
import { type FleetSyncActor, fleetSyncMachine, isCommitting } from './fleetSync.machine.js';
import { acquireLease, type LockPort } from './lease.js';
import { type RecordRead, unreadable } from './readRecord.js';
import type { SessionSync } from './sessionSync.js';
import type { SyncEntry } from './syncEntry.js';

/** What the fleet needs of its manager. */
export interface FleetHost<E extends SyncEntry> {
  readonly coordinator: SessionCoordinator;
  readonly provider: GstrProvider;
  readonly logger: SessionLogger | undefined;
  /**
   * The manager's clock of waits: a refresh's retries wait on provider time, as the session's
   * own timers do (a lock's waits stay on real time: Redis keeps that time).
   */
  readonly clock: SessionClock;
  /** Parses a shared record as the manager restores one (none: `absent`). */
  parse(entry: E, record: unknown): RecordRead;
  /** Takes another worker's newer record in: the live session (if any) is replaced. */
  replace(entry: E, saved: PersistedGstrSession | undefined): void;
  /** Announces an event to the manager's listeners. */
  emit(entry: E, event: GstrSessionEmitted): void;
  /** Every entry this worker holds. */
  entries(): Iterable<E>;
  /** When a record is due to be looked at next (on the shared schedule), if ever. */
  dueAt(record: PersistedGstrSession): number | undefined;
  /** Serves a session this worker claimed from the shared schedule. */
  claimed(key: SessionKey): Promise<void>;
  /** How many due sessions this worker may claim now (its gate's queue is short). */
  claimCapacity(): number;
  /** How long a claim lasts before the session is due again for any worker. */
  readonly claimLeaseMs: number;
  /** A claimed session moves (`moving`: into a request) or comes to rest again. */
  trackClaim(entry: E, moving: boolean): void;
  /** The entry of a key (created if new), for the reads of `start()`. */
  entryFor(key: SessionKey): E;
  /** An XState inspector for each session's fleet protocol (given redacted copies). */
  readonly inspect?: Inspector | undefined;
}

/** How often a worker asks the shared schedule for due work when there was none. */
export const SCHEDULE_TICK_MS = 1_000;

/** Thrown into a provider call whose session was replaced by a newer shared record. */
class Superseded extends Error {
  override readonly name = 'Superseded';
}

/**
 * The retried faults of a refresh under the lock: outages of the provider or the store, not
 * refusals, and not a refusal of the account's open circuit breaker (its retry waits for it).
 */
const isTransientFault = (error: unknown): boolean =>
  isProviderOutage(error) || isGstrError(error, 'StoreUnavailableError');
const REFRESH_ATTEMPTS = 4;
/**
 * How many lock lifetimes a worker waits for another worker's provider call before it gives
 * up (the holder's call is bounded by its step timeout, well inside one lifetime).
 */
const LOCK_WAIT_LIFETIMES = 3;

/**
 * Waits `ms` on `timers` (by default real time: a lock's waits), or until `signal` aborts;
 * resolves either way (the caller looks at its signal).
 */
function sleepFor(
  ms: number,
  signal: AbortSignal | undefined,
  timers: SessionClock = systemWaitClock,
): Promise<void> {
  return sleep(ms, { signal, clock: timers }).catch(() => {});
}

/**
 * The fleet side of a manager on a shared store: the per-session provider that makes each
 * SMS, exchange, refresh and logout one call across every worker (lock, re-read, call,
 * fenced commit), the commits of resting states, and the change messages that bring every
 * worker's copy up to date.
 */
export function createFleet<E extends SyncEntry>(host: FleetHost<E>): SessionSync<E> {
  const { coordinator: shared, logger } = host;
  const bySid = new Map<string, E>();
  let stopWatch: (() => Promise<void>) | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let claimTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const { schedule } = shared;

  const inspect = host.inspect ? createRedactingInspector(host.inspect) : undefined;

  /**
   * The record of a live session that rests: a request in flight is not the fleet's record
   * (its lock holder commits what it comes to).
   */
  const restingRecordOf = (live: GstrSession | undefined) =>
    live && !TRANSIENT_STATES.has(live.state as SessionState) ? live.persist() : undefined;

  /** The session's fleet protocol on this worker, started on first need. */
  function protocolOf(entry: E): FleetSyncActor {
    if (!entry.fleet) {
      entry.fleet = createActor(fleetSyncMachine, {
        input: {
          deps: {
            recordToCommit: () => (closed ? undefined : restingRecordOf(entry.live)),
            commit: (record, version, owner) => shared.commit(entry.key, record, version, owner),
            recover: async () => {
              const found = await shared.read(entry.key);
              if (await writeBack(entry, found)) return true;
              adopt(entry, found);
              return false;
            },
            announce: (events) => {
              for (const event of events) host.emit(entry, event);
            },
            planned: (record) => plan(entry, record),
            report: (what, error) => report(what, entry, error),
          },
        },
        ...(inspect ? { inspect } : {}),
      }).start();
      bySid.set(shared.sidOf(entry.key), entry);
    }
    return entry.fleet;
  }

  /** What this worker knows of a session's shared record. */
  const knownOf = (entry: E) => protocolOf(entry).getSnapshot().context;

  /** Until when a worker waits for another worker's lock. */
  const lockWaitDeadline = () => Date.now() + LOCK_WAIT_LIFETIMES * shared.lockTtlMs;

  const report = (what: string, entry: E, error: unknown) =>
    logger?.warn?.(`gstr-session fleet: ${what} ${keyName(entry.key)}`, {
      error: redactDeep(error),
    });

  /**
   * Puts a session's next deadline on the shared schedule. Best effort: the worker holding it
   * wakes it a little after the deadline anyway (see the manager's schedule()).
   */
  function plan(entry: E, record: PersistedGstrSession | undefined): void {
    schedule
      ?.plan(entry.key, record ? host.dueAt(record) : undefined)
      .catch((error: unknown) => report('cannot plan', entry, error));
  }

  /**
   * Claims due sessions in bounded batches while this worker has room, at once again after a
   * full batch (a wave), else after a jittered tick; each claimed session is served by the
   * manager (read through, woken if due, planned anew if not).
   */
  function claimDue(): void {
    if (!schedule || claimTimer || closed) return;
    const tick = async () => {
      let full = false;
      try {
        const limit = host.claimCapacity();
        if (limit > 0) {
          const keys = await schedule.claim(host.clock.now(), limit, host.claimLeaseMs);
          full = keys.length >= limit;
          if (keys.length > 0) traceScheduleClaim({ claimed: keys.length, limit });
          for (const key of keys)
            host.claimed(key).catch((error: unknown) =>
              logger?.warn?.('gstr-session fleet: cannot serve a due session', {
                error: redactDeep(error),
              }),
            );
        }
      } catch (error) {
        logger?.warn?.('gstr-session fleet: cannot claim due sessions', {
          error: redactDeep(error),
        });
      }
      if (closed) return;
      claimTimer = setTimeout(tick, full ? 0 : SCHEDULE_TICK_MS * (0.5 + Math.random()));
      claimTimer.unref?.();
    };
    claimTimer = setTimeout(tick, 0);
    claimTimer.unref?.();
  }

  /** Gives up a held lock (best effort: it expires by itself anyway). */
  function dropLock(entry: E): void {
    entry.fleet?.send({ type: 'lease.drop' });
  }

  /** A session's lock on the shared store. */
  function sessionLock(entry: E): LockPort {
    return {
      take: (ttlMs) => shared.lock(entry.key, ttlMs),
      extend: (owner, ttlMs) => shared.extend(entry.key, owner, ttlMs),
      release: (owner) => shared.release(entry.key, owner),
    };
  }

  /** Takes a newer shared record in; true when it was newer. */
  function adopt(entry: E, found: SharedRecord): boolean {
    if (found.version <= knownOf(entry).version) return false;
    const read = host.parse(entry, found.record);
    if (read.kind === 'skipped') {
      report('cannot read the shared record of', entry, read.skipped.error);
      return false;
    }
    // Its events were announced by the worker that committed it; the lock is of no use.
    protocolOf(entry).send({ type: 'record.replaced', version: found.version });
    host.replace(entry, read.kind === 'saved' ? read.saved : undefined);
    return true;
  }

  /**
   * Writes back what this worker holds of a session whose shared record vanished without a
   * trace (a flush, a restart without persistence, a failover to an empty replica), one
   * version past the one it held: the next worker must find it, not text the taxpayer for a
   * session alive here. A request in flight writes back through its own commit. True when
   * written.
   */
  async function writeBack(entry: E, found: SharedRecord): Promise<boolean> {
    const held = knownOf(entry).version;
    if (found.version !== 0 || held === 0 || !shared.writeBack) return false;
    const record = entry.live ? restingRecordOf(entry.live) : entry.saved;
    if (!record) return false;
    const version = await shared.writeBack(entry.key, record, held + 1);
    if (version === undefined) return false;
    protocolOf(entry).send({ type: 'record.known', version });
    plan(entry, record);
    logger?.warn?.(
      `gstr-session fleet: wrote back the lost shared record of ${keyName(entry.key)}`,
    );
    return true;
  }

  /**
   * Settles once this worker's own commit in flight (if any) has its answer. Judged before
   * that, its own record read back (a store whose answers may overtake each other: a pool of
   * connections) would look like another worker's and drop the events the commit is about to
   * announce.
   */
  async function ownCommit(entry: E): Promise<void> {
    const actor = entry.fleet;
    if (actor && isCommitting(actor))
      await waitFor(actor, (snapshot) => !snapshot.hasTag('committing'));
  }

  /**
   * Reads the shared record: a newer one is taken in (true), a lost one written back, an
   * older or the same one left as it is.
   */
  async function refresh(entry: E): Promise<boolean> {
    await ownCommit(entry);
    const found = await shared.read(entry.key);
    if (await writeBack(entry, found)) return false;
    return adopt(entry, found);
  }

  function wakeWaiters(entry: E): void {
    entry.fleet?.send({ type: 'record.changed' });
  }

  /** Waits for a change message of this session, or a jittered poll interval. */
  function changeOrPoll(entry: E, attempt: number, signal: AbortSignal | undefined) {
    const actor = protocolOf(entry);
    const controller = new AbortController();
    const changed = actor.on('fleet.changed', () => controller.abort());
    const unlink = onAbort(signal, () => controller.abort());
    return sleepFor(50 + backoffDelay(attempt, 50, 1_000), controller.signal).then(() => {
      changed.unsubscribe();
      unlink();
    });
  }

  /**
   * Runs one provider call of `session` as the fleet's only one: takes the lock (waiting
   * while another worker holds it, and giving way when its commit arrives), re-reads the
   * shared record (a newer one replaces this session instead of calling), and keeps the
   * lock alive while the call runs. The lock is released by the commit that follows.
   */
  async function exclusive<T>(
    entry: E,
    session: GstrSession | undefined,
    signal: AbortSignal | undefined,
    call: () => Promise<T>,
  ): Promise<T> {
    const actor = protocolOf(entry);
    const superseded = () => entry.live !== session;
    // A lock this worker still thinks it holds (a retry after a wait) may have lapsed
    // meanwhile: it is renewed, or taken again like any other.
    const kept = knownOf(entry).lease;
    if (kept && !(await kept.renew()) && knownOf(entry).lease === kept)
      actor.send({ type: 'lease.lapsed' });
    if (!knownOf(entry).lease) {
      const got = await acquireLease(sessionLock(entry), {
        kind: 'session',
        ttlMs: shared.lockTtlMs,
        deadline: lockWaitDeadline(),
        signal,
        wait: (attempt) => changeOrPoll(entry, attempt, signal),
        giveWay: async () => superseded() || (await refresh(entry)),
        stillWanted: () => !superseded(),
        report: (what, error) => report(what, entry, error),
      });
      if (got.kind === 'gaveUp')
        throw new StoreUnavailableError(keyName(entry.key), 'lock', 'another worker holds it');
      if (got.kind === 'gaveWay') throw new Superseded();
      actor.send({ type: 'lease.taken', lease: got.lease });
    }
    if (await refresh(entry)) throw new Superseded();
    actor.send({ type: 'call.started' });
    try {
      return await call();
    } finally {
      actor.send({ type: 'call.ended' });
    }
  }

  /**
   * Waits while another worker makes a provider call of this session (its lock is held), then
   * re-reads; true when a newer record came in. A call that found the session in the wrong
   * state (an OTP typed on this worker while the round's SMS was still being committed on
   * another) is then asked again of the newer session instead of failing.
   */
  async function settle(entry: E, signal: AbortSignal | undefined): Promise<boolean> {
    const deadline = lockWaitDeadline();
    // A change message may take the newer record in first: the generation tells either way.
    const before = entry.generation;
    const replaced = async () => (await refresh(entry)) || entry.generation !== before;
    for (let attempt = 0; ; attempt += 1) {
      if (await replaced()) return true;
      if (Date.now() > deadline || !(await shared.isLocked(entry.key))) return replaced();
      await changeOrPoll(entry, attempt, signal);
      signal?.throwIfAborted();
    }
  }

  /** A refresh under the lock, tried again on outages (each try re-checks the shared record). */
  async function refreshWithRetries<T>(
    entry: E,
    session: GstrSession | undefined,
    signal: AbortSignal | undefined,
    call: () => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await exclusive(entry, session, signal, call);
      } catch (error) {
        if (!isTransientFault(error) || attempt >= REFRESH_ATTEMPTS || signal?.aborted) throw error;
        await sleepFor(backoffDelay(attempt, 500, 5_000), signal, host.clock);
      }
    }
  }

  /** The provider a session of `entry` calls: its SMS, exchange, refresh and logout fenced. */
  function providerFor(entry: E): GstrProvider {
    const base = host.provider;
    // The session that is live when a call starts is the one whose call it is.
    const guarded = <A extends { signal?: AbortSignal | undefined }, T>(
      method: (input: never, options: A) => Promise<T>,
      retry: boolean,
    ) =>
      ((input: never, options: A) => {
        const session = entry.live;
        const run = () => method.call(base, input, options);
        return retry
          ? refreshWithRetries(entry, session, options?.signal, run)
          : exclusive(entry, session, options?.signal, run);
      }) as never;
    return overrideProvider(base, {
      requestOtp: guarded(base.requestOtp, false),
      getAuthToken: guarded(base.getAuthToken, false),
      // A password login is the fleet's one login of this credential: NIC gives each login a
      // new token and voids the one before, so two workers logging in would break each other.
      ...(base.authenticate ? { authenticate: guarded(base.authenticate, false) } : {}),
      ...(base.refreshToken ? { refreshToken: guarded(base.refreshToken, true) } : {}),
      ...(base.logout ? { logout: guarded(base.logout, false) } : {}),
    });
  }

  /**
   * Whether a held session's shared record may differ from this worker's copy: its version
   * moved (or the record vanished). Read alone when the store can, so that checking ten
   * thousand held sessions opens only the few that changed.
   */
  async function mayDiffer(entry: E): Promise<boolean> {
    if (!shared.readVersion) return true;
    const version = await shared.readVersion(entry.key);
    return version !== knownOf(entry).version;
  }

  /** Re-reads every held session whose version moved; retries commits the store missed. */
  async function resync(): Promise<void> {
    const held = [...host.entries()].filter((entry) => entry.fleet && entry.loaded);
    for (let i = 0; i < held.length && !closed; i += 64) {
      await Promise.all(
        held.slice(i, i + 64).map(async (entry) => {
          try {
            const isDirty = () => protocolOf(entry).getSnapshot().hasTag('dirty');
            if (!isDirty() && !(await mayDiffer(entry))) return;
            const changed = await refresh(entry);
            if (changed) wakeWaiters(entry);
            // Not replaced meanwhile: the store is back, and this worker's copy is committed.
            else protocolOf(entry).send({ type: 'store.resync' });
          } catch {
            // The store is still away: the next resync tries again.
          }
        }),
      );
    }
  }

  /** Reads a key's shared record as a load does: subscribed first, then read with its version. */
  async function read(entry: E): Promise<RecordRead> {
    try {
      await start();
      const found = await shared.read(entry.key);
      protocolOf(entry).send({ type: 'record.known', version: found.version });
      return host.parse(entry, found.record);
    } catch (error) {
      return unreadable(entry.key, error);
    }
  }

  /** Subscribes to change messages (then re-reads: nothing sent before is lost) and polls. */
  async function start(): Promise<void> {
    if (stopWatch || closed) return;
    stopWatch = await shared.watch(
      ({ sid, version }) => {
        const entry = bySid.get(sid);
        if (!entry?.fleet || version <= knownOf(entry).version) return;
        wakeWaiters(entry);
        // The news may be this worker's own commit, whose answer is on its way.
        ownCommit(entry)
          .then(() => (version > knownOf(entry).version ? refresh(entry) : false))
          .catch((error: unknown) => report('cannot re-read', entry, error));
      },
      () => {
        resync().catch(() => {});
      },
    );
    pollTimer = setInterval(() => {
      resync().catch(() => {});
    }, shared.pollIntervalMs);
    pollTimer.unref?.();
  }

  const hasPending = (entry: E) => (entry.fleet?.getSnapshot().context.pending.length ?? 0) > 0;

  return {
    /** Whether due work comes from the shared schedule (not from reading every record). */
    scheduled: schedule !== undefined,
    providerFor,
    // An event of this worker's transition waits until its commit says it is the fleet's.
    announce: (entry, event) => protocolOf(entry).send({ type: 'event.held', event }),
    follow(entry, session) {
      let last = session.state;
      return (state) => {
        // Only resting states are the fleet's: a request in flight belongs to its lock holder.
        const moving = TRANSIENT_STATES.has(state);
        host.trackClaim(entry, moving);
        if (moving) return false;
        if (state === last && !hasPending(entry)) {
          // Back where it was with nothing to announce (a refresh that failed): no commit
          // follows to release the lock, so it is given back now, not at its lifetime's end.
          dropLock(entry);
          return false;
        }
        last = state;
        entry.saved = session.persist();
        protocolOf(entry).send({ type: 'commit.wanted' });
        return true;
      };
    },
    // The commit of the resting state kept what the record holds.
    slept: () => {},
    hasPending,
    /**
     * Settles once the events this session announced so far are out (its commit won, lost or
     * failed), so that a call resolves after the events of the transition it caused, as in one
     * process. Nothing to wait for (the hot path, or a store that is down): undefined.
     */
    announced: (entry) => (hasPending(entry) ? ownCommit(entry) : undefined),
    // A store that cannot be reached to wait with leaves the call's own refusal standing.
    settle: (entry, signal) => settle(entry, signal).catch(() => false),
    read,
    readStored: (key) => read(host.entryFor(key)),
    start,
    /**
     * Takes a share of the fleet's due work (`manager.start()`): records of earlier releases
     * join the schedule once per store, in the background, and due sessions are claimed.
     */
    serveSchedule(): void {
      if (!schedule || claimTimer || closed) return;
      schedule.join().catch((error: unknown) =>
        logger?.warn?.('gstr-session fleet: cannot put earlier records on the schedule', {
          error: redactDeep(error),
        }),
      );
      claimDue();
    },
    forget(entry) {
      dropLock(entry);
      bySid.delete(shared.sidOf(entry.key));
    },
    // Each resting state was committed as it came; a request in flight is not the fleet's
    // record (its lock expires, another worker takes over).
    closing: () => {},
    async close(): Promise<void> {
      closed = true;
      if (pollTimer) clearInterval(pollTimer);
      if (claimTimer) clearTimeout(claimTimer);
      for (const entry of host.entries()) dropLock(entry);
      await Promise.all([...host.entries()].map((entry) => ownCommit(entry)));
      await stopWatch?.().catch(() => {});
    },
  };
}
