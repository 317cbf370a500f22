import { type ActorRefFrom, assign, emit, enqueueActions, setup } from 'xstate';
import type { GstrSessionEmitted } from '../../machines/gstrSession.types.js';
import type { PersistedGstrSession } from '../session/persistence.js';
import { type CommitOutput, commitRecordActor } from './actors/commitRecordActor.js';
import { keepLeaseAliveActor } from './actors/keepLeaseAliveActor.js';
import { recoverRecordActor } from './actors/recoverRecordActor.js';
import type { Lease } from './lease.js';

/** What the fleet's protocol of one session needs of the worker around it. */
export interface FleetSyncDeps {
  /** The live session's resting record to commit; none (replaced, moving, closing): nothing. */
  recordToCommit(): PersistedGstrSession | undefined;
  /** Commits `record` over `version`, fenced by `owner`: the new version, none when fenced out. */
  commit(
    record: PersistedGstrSession,
    version: number,
    owner: string | undefined,
  ): Promise<number | undefined>;
  /** After a fenced-out commit: true when the vanished record was written back, else false. */
  recover(): Promise<boolean>;
  /** Announces events to the manager's listeners. */
  announce(events: readonly GstrSessionEmitted[]): void;
  /** Puts a committed record's next deadline on the shared schedule. */
  planned(record: PersistedGstrSession): void;
  /** Logs a failure (redacted by the caller). */
  report(what: string, error: unknown): void;
}

/** What a worker knows of one session's shared record. */
export interface FleetSyncContext {
  /** The version of the shared record this worker's session comes from. */
  readonly version: number;
  /** The session's lock, while this worker holds it (from a provider call to its commit). */
  readonly lease: Lease | undefined;
  /** Events of this worker's transitions, announced only once their commit wins. */
  readonly pending: readonly GstrSessionEmitted[];
  /** Events of the commit whose answer is being judged (fenced out: who holds it now?). */
  readonly answered: readonly GstrSessionEmitted[];
  /** How many commits were asked for, and how many of those the round in flight covers. */
  readonly asked: number;
  readonly covered: number;
  readonly deps: FleetSyncDeps;
}

/** The events of one session's fleet protocol. */
export type FleetSyncEvent =
  | { readonly type: 'event.held'; readonly event: GstrSessionEmitted }
  | { readonly type: 'commit.wanted' }
  | { readonly type: 'lease.taken'; readonly lease: Lease }
  | { readonly type: 'lease.drop' }
  | { readonly type: 'lease.lapsed' }
  | { readonly type: 'lease.settled' }
  | { readonly type: 'call.started' }
  | { readonly type: 'call.ended' }
  | { readonly type: 'record.known'; readonly version: number }
  | { readonly type: 'record.replaced'; readonly version: number }
  | { readonly type: 'record.changed' }
  | { readonly type: 'store.resync' };

/** What the protocol emits: a change message of the session came (lock waiters wake). */
export type FleetSyncEmitted = { readonly type: 'fleet.changed' };

const answerOf = (event: unknown): CommitOutput => (event as { output: CommitOutput }).output;
const committedLease = (event: unknown): Lease | undefined => {
  const output = answerOf(event);
  return output.kind === 'answered' ? output.lease : undefined;
};

/**
 * The fleet's protocol of one session on one worker, as a machine instead of flags: the lock
 * (free, held, kept alive while its provider call runs) and the record (in sync, committing a
 * resting state over the version it came from, judging a fenced-out commit, or dirty while
 * the store cannot be reached). The inspector shows it; the fleet's property and model tests
 * walk it.
 */
export const fleetSyncMachine = setup({
  types: {
    context: {} as FleetSyncContext,
    events: {} as FleetSyncEvent,
    emitted: {} as FleetSyncEmitted,
    input: {} as { readonly deps: FleetSyncDeps },
    tags: {} as 'committing' | 'dirty',
  },
  actors: {
    commitRecord: commitRecordActor,
    recoverRecord: recoverRecordActor,
    keepLeaseAlive: keepLeaseAliveActor,
  },
  actions: {
    assignLease: assign({
      lease: ({ event }) => (event.type === 'lease.taken' ? event.lease : undefined),
    }),
    releaseLease: enqueueActions(({ context, enqueue }) => {
      void context.lease?.release();
      enqueue.assign({ lease: undefined });
    }),
    forgetLease: assign({ lease: undefined }),
    /** Spends a won commit's lease: the store released it with the write. */
    spendCommitLease: ({ event }) => committedLease(event)?.spent(),
    /** Gives a fenced-out commit's lease back: the commit wrote nothing, so it may be held. */
    releaseCommitLease: ({ event }) => {
      void committedLease(event)?.release();
    },
    /** The commit's lease is no longer this worker's; the lock region hears of it. */
    settleCommitLease: enqueueActions(({ context, event, enqueue }) => {
      const lease = committedLease(event);
      if (!lease || lease !== context.lease) return;
      enqueue.assign({ lease: undefined });
      enqueue.raise({ type: 'lease.settled' });
    }),
    assignVersion: assign({
      version: ({ context, event }) =>
        event.type === 'record.known' || event.type === 'record.replaced'
          ? Math.max(context.version, event.version)
          : context.version,
    }),
    assignCommitted: assign({
      version: ({ context, event }) => {
        const output = answerOf(event);
        return output.kind === 'answered' && output.version !== undefined
          ? Math.max(context.version, output.version)
          : context.version;
      },
    }),
    holdEvent: assign({
      pending: ({ context, event }) =>
        event.type === 'event.held' ? [...context.pending, event.event] : context.pending,
    }),
    dropPending: assign({ pending: [] }),
    countAsk: assign({ asked: ({ context }) => context.asked + 1 }),
    coverAsks: assign({ covered: ({ context }) => context.asked }),
    /** What was announced up to the answer belongs to the state committed. */
    takeAnswered: assign({
      answered: ({ context }) => context.pending,
      pending: [],
    }),
    announceAnswered: enqueueActions(({ context, enqueue }) => {
      context.deps.announce(context.answered);
      enqueue.assign({ answered: [] });
    }),
    dropAnswered: assign({ answered: [] }),
    /** The store is down: this worker's own transitions are all anyone can know now. */
    announceAll: enqueueActions(({ context, enqueue }) => {
      context.deps.announce([...context.answered, ...context.pending]);
      enqueue.assign({ answered: [], pending: [] });
    }),
    planCommitted: ({ context, event }) => {
      const output = answerOf(event);
      if (output.kind === 'answered') context.deps.planned(output.record);
    },
    reportCommitFailure: ({ context, event }) =>
      context.deps.report('cannot commit', (event as { error?: unknown }).error),
    emitChanged: emit({ type: 'fleet.changed' } as const),
  },
  guards: {
    isSkipped: ({ event }) => answerOf(event).kind === 'skipped',
    isWon: ({ event }) => {
      const output = answerOf(event);
      return output.kind === 'answered' && output.version !== undefined;
    },
    isWrittenBack: ({ event }) => (event as { output?: unknown }).output === true,
    isAskedAgain: ({ context }) => context.asked > context.covered,
  },
}).createMachine({
  id: 'fleetSync',
  description: "One session's fleet protocol on one worker: its lock and its shared record.",
  type: 'parallel',
  context: ({ input }) => ({
    version: 0,
    lease: undefined,
    pending: [],
    answered: [],
    asked: 0,
    covered: 0,
    deps: input.deps,
  }),
  states: {
    lock: {
      description: "The session's lock on the shared store, as far as this worker knows.",
      initial: 'free',
      states: {
        free: {
          description: 'This worker holds no lock of the session.',
          on: {
            'lease.taken': {
              target: 'held',
              actions: 'assignLease',
              description: 'A provider call took the lock.',
            },
          },
        },
        held: {
          description: 'This worker holds the lock, from a provider call to its commit.',
          initial: 'idle',
          on: {
            'lease.drop': {
              target: 'free',
              actions: 'releaseLease',
              description: 'Given back: no commit follows (a refresh that failed, a removal).',
            },
            'record.replaced': {
              target: 'free',
              actions: 'releaseLease',
              description: "Another worker's newer record came in: the lock is of no use.",
            },
            'lease.lapsed': {
              target: 'free',
              actions: 'forgetLease',
              description: 'It lapsed meanwhile (renewing it failed).',
            },
            'lease.settled': {
              target: 'free',
              description: 'The commit it was held for was answered: the store let it go.',
            },
          },
          states: {
            idle: {
              description: 'Held, between its provider call and the commit.',
              on: {
                'call.started': { target: 'calling', description: 'The provider call starts.' },
              },
            },
            calling: {
              description: 'The provider call runs: the lock is kept alive until it ends.',
              invoke: {
                src: 'keepLeaseAlive',
                input: ({ context }) => ({ lease: context.lease as Lease }),
              },
              on: {
                'call.ended': { target: 'idle', description: 'The provider call ended.' },
              },
            },
          },
        },
      },
    },
    record: {
      description: "This worker's copy against the shared record.",
      initial: 'inSync',
      on: {
        'event.held': {
          actions: 'holdEvent',
          description: 'An event of a transition here waits for its commit.',
        },
        'record.known': {
          actions: 'assignVersion',
          description: "A version is known to be this worker's (read on a load, or written back).",
        },
        'record.replaced': {
          actions: ['assignVersion', 'dropPending'],
          description: "Another worker's newer record replaced the session: it announced those.",
        },
        'record.changed': {
          actions: 'emitChanged',
          description: 'A change message came: waiters for the lock look again.',
        },
      },
      states: {
        inSync: {
          description: 'Nothing to commit: the store holds what this worker knows.',
          on: {
            'commit.wanted': {
              target: 'committing',
              actions: 'countAsk',
              description: 'The session came to rest in a new state (or has events to announce).',
            },
          },
        },
        committing: {
          description: 'A commit round writes the resting state over the version it came from.',
          tags: 'committing',
          entry: 'coverAsks',
          on: {
            'commit.wanted': {
              actions: 'countAsk',
              description: 'A newer resting state: another round follows this one.',
            },
          },
          invoke: {
            src: 'commitRecord',
            input: ({ context }) => ({
              record: context.deps.recordToCommit(),
              version: context.version,
              lease: context.lease,
              commit: context.deps.commit,
            }),
            onDone: [
              {
                guard: 'isSkipped',
                target: 'answered',
                description: 'Nothing to commit (replaced, moving or closing).',
              },
              {
                guard: 'isWon',
                target: 'answered',
                actions: [
                  'takeAnswered',
                  'assignCommitted',
                  'spendCommitLease',
                  'settleCommitLease',
                  'planCommitted',
                  'announceAnswered',
                ],
                description: "Won: the state is the fleet's and its events are announced.",
              },
              {
                target: 'recovering',
                actions: ['takeAnswered', 'releaseCommitLease', 'settleCommitLease'],
                description: 'Fenced out: another worker committed first, or the record vanished.',
              },
            ],
            onError: {
              target: 'dirty',
              actions: ['announceAll', 'reportCommitFailure'],
              description: 'The store cannot be reached: tried again at the next resync.',
            },
          },
        },
        recovering: {
          description: 'A fenced-out commit: the record is read to learn who holds the session.',
          tags: 'committing',
          on: {
            'commit.wanted': { actions: 'countAsk', description: 'A newer resting state.' },
          },
          invoke: {
            src: 'recoverRecord',
            input: ({ context }) => ({ recover: context.deps.recover }),
            onDone: [
              {
                guard: 'isWrittenBack',
                target: 'answered',
                actions: 'announceAnswered',
                description: 'The record had vanished and was written back: the events are ours.',
              },
              {
                target: 'answered',
                actions: 'dropAnswered',
                description: "Another worker's record was taken in: it announced the events.",
              },
            ],
            onError: {
              target: 'dirty',
              actions: ['announceAll', 'reportCommitFailure'],
              description: 'The store cannot be reached: tried again at the next resync.',
            },
          },
        },
        answered: {
          description: 'A round is over: another follows if one was asked for meanwhile.',
          always: [
            {
              guard: 'isAskedAgain',
              target: 'committing',
              description: 'A newer resting state waits.',
            },
            { target: 'inSync', description: 'Nothing more to commit.' },
          ],
        },
        dirty: {
          description: "A commit found no store: this worker's copy is ahead of it.",
          tags: 'dirty',
          on: {
            'commit.wanted': {
              target: 'committing',
              actions: 'countAsk',
              description: 'A new resting state: committed at once.',
            },
            'store.resync': {
              target: 'committing',
              description: 'The store is back (a resync): the copy is committed.',
            },
            'record.replaced': {
              target: 'inSync',
              actions: ['assignVersion', 'dropPending'],
              description: "Another worker's newer record came in: nothing of ours to write.",
            },
          },
        },
      },
    },
  },
});

/** A running fleet protocol of one session. */
export type FleetSyncActor = ActorRefFrom<typeof fleetSyncMachine>;

/** Whether a commit round (or the judging of its answer) is in flight. */
export function isCommitting(actor: FleetSyncActor): boolean {
  return actor.getSnapshot().hasTag('committing');
}
