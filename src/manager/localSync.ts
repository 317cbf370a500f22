import type { GstrSessionEmitted } from '../../machines/gstrSession.types.js';
import { readRecord } from '../fleet/readRecord.js';
import type { SessionSync } from '../fleet/sessionSync.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import type { SessionStore } from '../stores/SessionStore.js';
import type { Entry } from './entry.js';
import type { WriteQueue } from './writeQueue.js';

/** What a manager alone with its store gives its sync. */
export interface LocalSyncHost {
  readonly store: SessionStore;
  readonly provider: GstrProvider;
  readonly writes: WriteQueue;
  /** Announces an event to the manager's listeners. */
  emit(entry: Entry, event: GstrSessionEmitted): void;
}

/**
 * The sync of a manager that is alone with its store: every change of state is written (a
 * state with a request in flight as the state it would be restored to, so that a crash during
 * an OTP request never leads to a second SMS), events are announced as they come, and there is
 * nobody to wait for.
 */
export function localSync(host: LocalSyncHost): SessionSync<Entry> {
  const { store, provider, writes } = host;
  return {
    scheduled: false,
    providerFor: () => provider,
    announce: (entry, event) => host.emit(entry, event),
    follow(entry, session) {
      let last = session.state;
      return (state) => {
        if (state === last) return false;
        last = state;
        const persisted = session.persist();
        entry.saved = persisted;
        writes.write(entry, persisted);
        return true;
      };
    },
    // What changed without a state change (an `expiring` already announced) is kept too.
    slept: (entry, saved) => writes.write(entry, saved),
    hasPending: () => false,
    announced: () => undefined,
    settle: async () => false,
    read: (entry) => readRecord(store, entry.key, provider),
    readStored: (key) => readRecord(store, key, provider),
    start: async () => {},
    serveSchedule: () => {},
    forget: () => {},
    closing: (entry, live) => writes.write(entry, live.persist()),
    close: async () => {},
  };
}
