import type { StoreError } from '../errors/StoreError.js';
import type { SyncEntry } from '../fleet/syncEntry.js';
import type { GstrSessionSnapshot, PersistedGstrSession } from '../session/persistence.js';
import type { SessionKey } from '../stores/SessionStore.js';
import type { ManagedSession } from './types.js';

/**
 * What the manager keeps for one (GSTIN, username): live or dormant, with its listeners.
 *
 * Only the first six fields exist on every entry. The optional ones are added when first
 * set: a dormant session of the hundred thousand a manager may hold never needs them, and
 * each slot costs every one of them memory (see bench/README.md, heap per dormant session).
 */
export interface Entry extends SyncEntry {
  readonly id: string;
  /** The scheduler's ticket of this entry's deadline (0: none); see `DeadlineQueue`. */
  queueTicket: number;
  /** Handlers registered on this session's handle; they survive dormancy. */
  listeners?: Map<string, Set<(event: never) => void>> | undefined;
  /** Snapshot listeners of the handle; like `listeners`, they survive dormancy. */
  subscribers?: Set<(snapshot: GstrSessionSnapshot) => void> | undefined;
  handle?: ManagedSession | undefined;
  /** The newest record waiting to be written, and the write loop running, if any. */
  pendingWrite?: PersistedGstrSession | undefined;
  writing?: Promise<void> | undefined;
  /** Set once `remove()` took the session away: its handle is inert from then on. */
  removed?: boolean | undefined;
  /** Why the store's record of this key could not be read, if it could not. */
  unreadable?: StoreError | undefined;
  /** The read-through under way, shared by every caller. */
  loading?: Promise<void> | undefined;
}

/** The map key of a (GSTIN, username). */
export function idOf(gstin: string, username: string): string {
  // join() makes one flat string; a template literal makes a rope that the map key then
  // flattens into a second copy (about 60 bytes a session, kept as long as the entry).
  return [gstin, username].join('\u0000');
}

/** A new entry, dormant or not yet created: only the fields every entry needs. */
export function newEntry(key: SessionKey, saved?: PersistedGstrSession): Entry {
  return {
    key,
    id: idOf(key.gstin, key.username),
    live: undefined,
    saved,
    loaded: saved !== undefined,
    queueTicket: 0,
  };
}
