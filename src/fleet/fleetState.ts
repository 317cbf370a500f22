import type { GstrSessionEmitted } from '../../machines/gstrSession.types.js';
import type { Lease } from './lease.js';

/** What a worker knows of a session's shared record. */
export interface FleetState {
  /** The version of the shared record this worker's session comes from. */
  version: number;
  /** The session's lock, while this worker holds it (from a provider call to its commit). */
  lease: Lease | undefined;
  /** Events of this worker's transitions, announced only once their commit wins. */
  pending: GstrSessionEmitted[];
  /** Whether a commit is wanted (a newer resting state, or pending events). */
  wanted: boolean;
  committing: Promise<void> | undefined;
  /** A commit failed for want of the store: tried again at the next resync. */
  dirty: boolean;
  /** Lock waiters of this worker, woken by a change message (created by the first). */
  waiters: Set<() => void> | undefined;
}
