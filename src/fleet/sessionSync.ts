import type { GstrSessionEmitted, SessionState } from '../../machines/gstrSession.types.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import type { PersistedGstrSession } from '../session/persistence.js';
import type { GstrSession } from '../session/types.js';
import type { SessionKey } from '../stores/SessionStore.js';
import type { RecordRead } from './readRecord.js';
import type { SyncEntry } from './syncEntry.js';

/**
 * How a manager keeps its sessions in step with its store: written locally (one process), or
 * with the fleet on a shared store (locks, fenced commits, change messages, the shared
 * schedule). The manager talks to either through this one interface and has no branch of its
 * own for the fleet.
 */
export interface SessionSync<E extends SyncEntry = SyncEntry> {
  /** Whether due work comes from the store's shared schedule (then `start()` reads nothing). */
  readonly scheduled: boolean;
  /** The provider a session of `entry` calls (on a fleet: its SMS, exchange, refresh, logout fenced). */
  providerFor(entry: E): GstrProvider;
  /** Takes an event the entry's live session emitted: announced now, or once its commit wins. */
  announce(entry: E, event: GstrSessionEmitted): void;
  /**
   * Follows one live session: the returned observer takes each state it moves to, writes or
   * commits what must be kept, and answers whether the session came to rest in a new state.
   */
  follow(entry: E, session: GstrSession): (state: SessionState) => boolean;
  /** A session goes dormant with this record (what changed without a state change included). */
  slept(entry: E, saved: PersistedGstrSession): void;
  /** Whether events of this session still wait for their commit (no answer without a wait then). */
  hasPending(entry: E): boolean;
  /** Settles once the events this session announced so far are out; nothing to wait for: undefined. */
  announced(entry: E): Promise<void> | undefined;
  /**
   * Waits out another worker's request of this session and re-reads: true when a newer record
   * replaced the session. Alone: false.
   */
  settle(entry: E, signal: AbortSignal | undefined): Promise<boolean>;
  /** Reads an entry's record (on a shared store: subscribed to its changes first, with its version). */
  read(entry: E): Promise<RecordRead>;
  /** Reads a stored key for `start()`, which restores every record of a store without a schedule. */
  readStored(key: SessionKey): Promise<RecordRead>;
  /** Gets ready to read (on a shared store: subscribes to change messages and polls). */
  start(): Promise<void>;
  /** Takes a share of the fleet's due work (`manager.start()` on a shared schedule). */
  serveSchedule(): void;
  /** The entry is removed: nothing of it is held any more. */
  forget(entry: E): void;
  /** The manager closes while this session is live. */
  closing(entry: E, live: GstrSession): void;
  /** Stops: waits for what is in flight. */
  close(): Promise<void>;
}
