import type { PersistedGstrSession } from '../session/persistence.js';
import type { GstrSession } from '../session/types.js';
import type { SessionKey } from '../stores/SessionStore.js';
import type { FleetSyncActor } from './fleetSync.machine.js';

/**
 * What a sync needs of a manager's entry for one (GSTIN, username): the manager's own entry
 * holds more (listeners, its handle, its write queue), and extends this.
 */
export interface SyncEntry {
  readonly key: SessionKey;
  /** The live session, when one runs. */
  live: GstrSession | undefined;
  /** The last saved form: the whole session while dormant or not yet woken. */
  saved: PersistedGstrSession | undefined;
  /** Whether the store was asked for this key's record (by `start()` or a read-through). */
  loaded: boolean;
  /** On a shared store: the session's fleet protocol (its version, lock and held events). */
  fleet?: FleetSyncActor | undefined;
  /** Grows each time the live session is replaced by another worker's record (absent: 0). */
  generation?: number | undefined;
}
