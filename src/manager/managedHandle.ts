import type { SessionState } from '../../machines/gstrSession.types.js';
import type { GstrError } from '../errors/GstrError.js';
import type { GstrSession, SessionCredentials } from '../session/types.js';
import type { Entry } from './entry.js';
import type { ManagedSession } from './types.js';

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
}

/**
 * The handle of a managed session: the `GstrSession` calls, each waking the session when it
 * needs the machine, with listeners kept on the entry so that they survive dormancy.
 * Promise-returning calls reject (never throw) when the session cannot be used.
 */
export function createManagedHandle(entry: Entry, ops: HandleOps): ManagedSession {
  const live = () => ops.wake(entry);
  const guarded = async <T>(operation: string, run: () => Promise<T> | T): Promise<T> => {
    const refused = ops.refusalOf(entry, operation);
    if (refused) throw refused;
    return run();
  };
  return {
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
    submitOtp: (otp) => guarded('submitOtp', () => live().submitOtp(otp)),
    resendOtp: () => guarded('resendOtp', () => live().resendOtp()),
    reauthenticate: () => live().reauthenticate(),
    reportTokenRejected: () => live().reportTokenRejected(),
    checkClock: () => live().checkClock(),
    logout: () => guarded('logout', () => live().logout()),
    credentials: (waitOptions) =>
      guarded('credentials', () => ops.fastCredentials(entry) ?? live().credentials(waitOptions)),
    on: (type, handler) => {
      entry.listeners ??= new Map();
      const set = entry.listeners.get(type) ?? new Set();
      set.add(handler as (event: never) => void);
      entry.listeners.set(type, set);
      return () => set.delete(handler as (event: never) => void);
    },
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
  };
}
