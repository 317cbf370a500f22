import type { StoreError } from '../errors/StoreError.js';
import type { GstrSessionSnapshot, PersistedGstrSession } from '../session/persistence.js';
import type { GstrSession } from '../session/types.js';
import type { SessionKey } from '../stores/SessionStore.js';
import type { FleetState } from './fleetState.js';
import type { ManagedSession } from './types.js';

/**
 * What the manager keeps for one (GSTIN, username): live or dormant, with its listeners.
 *
 * Only the first six fields exist on every entry. The optional ones are added when first
 * set: a dormant session of the hundred thousand a manager may hold never needs them, and
 * each slot costs every one of them memory (see bench/README.md, heap per dormant session).
 */
export interface Entry {
  readonly key: SessionKey;
  readonly id: string;
  /** The live session, when one runs. */
  live: GstrSession | undefined;
  /** The last saved form: the whole session while dormant or not yet woken. */
  saved: PersistedGstrSession | undefined;
  /** Whether the store was asked for this key's record (by `start()` or a read-through). */
  loaded: boolean;
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
  /** On a shared store: the version this worker holds, its lock, its held events. */
  fleet?: FleetState | undefined;
  /** Grows each time the live session is replaced by another worker's record (absent: 0). */
  generation?: number | undefined;
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
