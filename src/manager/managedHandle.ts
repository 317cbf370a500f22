import type { SessionState } from '../../machines/gstrSession.types.js';
import { onDemandStart } from '../../machines/sessionRules.js';
import type { GstrError } from '../errors/GstrError.js';
import { isGstrError } from '../errors/isGstrError.js';
import { ReauthenticationRequiredError } from '../errors/ReauthenticationRequiredError.js';
import type { SessionRead } from '../reads/NicRead.js';
import type { SessionConfig } from '../schemas/sessionConfig.js';
import { onceOf } from '../session/onceOf.js';
import type {
  CallOptions,
  GstrSession,
  SessionClock,
  SessionCredentials,
} from '../session/types.js';
import type { Entry } from './entry.js';
import type { ManagedSession } from './types.js';

/** How many times one call follows its session being replaced by a newer shared record. */
const MAX_REPLACEMENTS = 8;

/** What a handle needs of its manager. */
export interface HandleOps {
  /** The live session of the entry, woken (restored) if dormant; throws when refused. */
  wake(entry: Entry): GstrSession;
  /** Puts an authenticated live session to sleep. */
  sleep(entry: Entry): void;
  /** Why the entry cannot be used now (manager closed, session removed, record unreadable). */
  refusalOf(entry: Entry, operation: string): GstrError | undefined;
  /** A dormant authenticated session's credentials, from its snapshot. */
  fastCredentials(entry: Entry): SessionCredentials | undefined;
  /** The clock of waits (referenced timers: an awaited promise always settles). */
  readonly waitClock: SessionClock;
  /** The manager's resolved config (for the on-demand start rule). */
  readonly config: SessionConfig;
  /** Reads the entry's record from the store once, if nobody has (read-through). */
  load(entry: Entry): Promise<void>;
  /** Where a failure of a call that returns nothing goes (the logger). */
  report(operation: string, error: unknown): void;
  /**
   * On a shared store: waits out another worker's provider call of this session and re-reads;
   * true when a newer record replaced the session. Elsewhere: false.
   */
  settle(entry: Entry, signal: AbortSignal | undefined): Promise<boolean>;
  /** Settles once the events the entry's session announced are out (a fleet's commit). */
  announced(entry: Entry): Promise<void> | undefined;
}

/**
 * The handle of a managed session: the `GstrSession` calls, each waking the session when it
 * needs the machine, with listeners kept on the entry so that they survive dormancy.
 * Promise-returning calls reject (never throw) when the session cannot be used.
 */
export function createManagedHandle(entry: Entry, ops: HandleOps): ManagedSession {
  const live = () => ops.wake(entry);
  const guarded = async <T>(
    operation: string,
    run: (replaced: boolean) => Promise<T> | T,
    signal?: AbortSignal,
  ): Promise<T> => {
    const before = ops.refusalOf(entry, operation);
    if (before) throw before;
    // A key no one loaded is read from the store first: a saved token is never lost, and no
    // OTP is sent for a session that another process (or an earlier run) authenticated.
    await ops.load(entry);
    for (let replaced = 0; ; replaced += 1) {
      const refused = ops.refusalOf(entry, operation);
      if (refused) throw refused;
      const generation = entry.generation;
      try {
        return await run(replaced > 0);
      } catch (error) {
        // Another worker's newer record replaced the session while this call waited on it
        // (its round completed, its refresh landed): the call is asked of the new one. A call
        // refused for the session's state may have raced another worker's round: that round
        // is waited out first.
        if (
          entry.generation === generation &&
          !(isGstrError(error, 'SessionStateError') && (await ops.settle(entry, signal)))
        )
          throw error;
        if (replaced >= MAX_REPLACEMENTS) throw error;
      } finally {
        // On a fleet, the events of the transition this call caused are announced when its
        // commit wins: the call resolves after them, as it does in one process.
        await ops.announced(entry);
      }
    }
  };
  const handle: ManagedSession = {
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
    start: () => {
      if (entry.loaded) {
        live().start();
        return;
      }
      guarded('start', () => live().start()).catch((error: unknown) => ops.report('start', error));
    },
    submitOtp: (otp, options) =>
      guarded(
        'submitOtp',
        (replaced) => {
          const session = live();
          // The round was completed on another worker while this OTP was on its way.
          if (replaced && session.state === 'authenticated') return session.credentials(options);
          return session.submitOtp(otp, options);
        },
        options?.signal,
      ),
    resendOtp: (options) => guarded('resendOtp', () => live().resendOtp(options), options?.signal),
    reauthenticate: () => live().reauthenticate(),
    reportTokenRejected: (authToken) => live().reportTokenRejected(authToken),
    checkClock: () => live().checkClock(),
    logout: (options) => guarded('logout', () => live().logout(options)),
    credentials: (waitOptions) =>
      guarded('credentials', () => {
        const fast = ops.fastCredentials(entry);
        if (fast) return fast;
        const session = live();
        const onDemand = onDemandStart(session.state, ops.config);
        if (onDemand === 'needed')
          throw new ReauthenticationRequiredError(entry.key.gstin, 'notAuthenticated');
        if (onDemand === 'start') session.start();
        return session.credentials(waitOptions);
      }),
    call: <R extends SessionRead>(request: R, options?: CallOptions) =>
      guarded('call', () => {
        const session = live();
        const onDemand = onDemandStart(session.state, ops.config);
        if (onDemand === 'needed')
          throw new ReauthenticationRequiredError(entry.key.gstin, 'notAuthenticated');
        if (onDemand === 'start') session.start();
        return session.call(request, options);
      }),
    on: (type, handler) => {
      entry.listeners ??= new Map();
      const set = entry.listeners.get(type) ?? new Set();
      set.add(handler as (event: never) => void);
      entry.listeners.set(type, set);
      return () => set.delete(handler as (event: never) => void);
    },
    // On the entry's listeners, so that it hears the event even across dormancy.
    once: (type, options) => onceOf(handle, type, ops.waitClock, options),
    subscribe: (listener) => {
      entry.subscribers ??= new Set();
      entry.subscribers.add(listener);
      return () => entry.subscribers?.delete(listener);
    },
    persist: () => entry.live?.persist() ?? entry.saved ?? live().persist(),
    stop: () => {
      if (entry.live?.state === 'authenticated') ops.sleep(entry);
      else entry.live?.stop();
      entry.live = undefined;
    },
    async [Symbol.asyncDispose]() {
      handle.stop();
    },
  };
  return handle;
}
