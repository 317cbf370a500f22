import { redactDeep } from '../secrets/redactDeep.js';
import type { PersistedGstrSession } from '../session/persistence.js';
import type { SessionLogger } from '../session/types.js';
import { keyName, type SessionStore } from '../stores/SessionStore.js';
import type { Entry } from './entry.js';

/** Store writes: one in flight per session, the latest record wins. */
export interface WriteQueue {
  /** Queues a record; a record queued while one is being written replaces any queued before. */
  write(entry: Entry, record: PersistedGstrSession): void;
  /** Waits until the writes of these entries are done. */
  flush(entries: Iterable<Entry>): Promise<void>;
}

/**
 * Creates the write queue of a manager. A failed write is logged (never thrown into a state
 * change), and the next record of that session is still written.
 */
export function createWriteQueue(
  store: SessionStore,
  logger: SessionLogger | undefined,
): WriteQueue {
  return {
    write(entry, record) {
      entry.pendingWrite = record;
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
    },
    async flush(entries) {
      await Promise.all([...entries].map((e) => e.writing));
    },
  };
}
