import { fromPromise } from 'xstate';
import type { PersistedGstrSession } from '../../session/persistence.js';
import type { Lease } from '../lease.js';

/** What one commit round writes: the resting record over the version it came from. */
export interface CommitInput {
  /** The live session's resting record; none (replaced, moving, closed): nothing to commit. */
  readonly record: PersistedGstrSession | undefined;
  readonly version: number;
  /** The lease held while the commit was asked for (its owner fences the write). */
  readonly lease: Lease | undefined;
  readonly commit: (
    record: PersistedGstrSession,
    version: number,
    owner: string | undefined,
  ) => Promise<number | undefined>;
}

/** What a commit round came to. */
export type CommitOutput =
  | { readonly kind: 'skipped' }
  | {
      readonly kind: 'answered';
      readonly record: PersistedGstrSession;
      /** The new version when it won; none when fenced out. */
      readonly version: number | undefined;
      readonly lease: Lease | undefined;
    };

/**
 * Commits a session's resting record over the version it came from, fenced by the lock's
 * owner. A store that cannot be reached rejects (the record then waits for the next resync).
 */
export const commitRecordActor = fromPromise<CommitOutput, CommitInput>(async ({ input }) => {
  const { record, lease } = input;
  if (!record) return { kind: 'skipped' };
  const version = await input.commit(record, input.version, lease?.owner);
  return { kind: 'answered', record, version, lease };
});
