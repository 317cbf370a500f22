import { fromPromise } from 'xstate';

/** What a fenced-out commit needs to find out who holds the session now. */
export interface RecoverInput {
  /**
   * Reads the shared record: a vanished one is written back (true: this worker's transition
   * is the fleet's after all), a newer one is taken in (false).
   */
  readonly recover: () => Promise<boolean>;
}

/** After a fenced-out commit (its lock already given back): reads what the fleet holds. */
export const recoverRecordActor = fromPromise<boolean, RecoverInput>(({ input }) =>
  input.recover(),
);
