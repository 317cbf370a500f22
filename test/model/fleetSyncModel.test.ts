import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createActor } from 'xstate';
import type { GstrSessionEmitted } from '../../machines/gstrSession.types.js';
import { fleetSyncMachine } from '../../src/fleet/fleetSync.machine.js';
import { Lease, type LockPort } from '../../src/fleet/lease.js';
import type { PersistedGstrSession } from '../../src/session/persistence.js';
import { GSTIN } from '../helpers/fixtures.js';
import {
  allTransitions,
  createTransitionRecorder,
  describeTransition,
} from './transitionCoverage.js';

/** One thing that can happen to a session's fleet protocol on one worker. */
type Step =
  | { readonly kind: (typeof plainSteps)[number] }
  | { readonly kind: 'known'; readonly version: number }
  | { readonly kind: 'commitAnswer'; readonly outcome: 'won' | 'fenced' | 'down' }
  | { readonly kind: 'recoverAnswer'; readonly outcome: 'wroteBack' | 'adopted' | 'down' };

const plainSteps = [
  'hold',
  'want',
  'move',
  'take',
  'drop',
  'lapse',
  'callStart',
  'callEnd',
  'replace',
  'change',
  'resync',
] as const;

/** Steps, with the store's answers as likely as anything else (so that deep paths are walked). */
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constantFrom(...plainSteps.map((kind) => ({ kind }) as Step)), weight: 4 },
  {
    arbitrary: fc
      .integer({ min: 0, max: 6 })
      .map((version) => ({ kind: 'known', version }) as Step),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom('won', 'fenced', 'down')
      .map((outcome) => ({ kind: 'commitAnswer', outcome }) as Step),
    weight: 2,
  },
  {
    arbitrary: fc
      .constantFrom('wroteBack', 'adopted', 'down')
      .map((outcome) => ({ kind: 'recoverAnswer', outcome }) as Step),
    weight: 2,
  },
);

/** A promise whose answer the test gives. */
interface Answer<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}
function answerable<T>(): { promise: Promise<T>; answer: Answer<T> } {
  let answer!: Answer<T>;
  const promise = new Promise<T>((resolve, reject) => {
    answer = { resolve, reject };
  });
  return { promise, answer };
}

/**
 * The protocol's rules written plainly, as a reference the machine must agree with: which
 * events are announced, and when a commit round is sent.
 */
interface Reference {
  record: 'inSync' | 'committing' | 'recovering' | 'dirty';
  again: boolean;
  pending: number[];
  answered: number[];
  announced: number[];
  rounds: number;
}

const RECORD = { version: 2, gstin: GSTIN } as unknown as PersistedGstrSession;
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const recorder = createTransitionRecorder();

describe('fleetSyncMachine', () => {
  test.prop([fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' })], { numRuns: 400 })(
    'announces each event once, only when its commit won, was written back or found no store',
    async (steps) => {
      // Arrange
      let commitAnswer: Answer<number | undefined> | undefined;
      let recoverAnswer: Answer<boolean> | undefined;
      let moving = false;
      let version = 0;
      const announced: number[] = [];
      const leases: Lease[] = [];
      let keeps = true;
      const port: LockPort = {
        take: async () => 'owner',
        extend: async () => keeps,
        release: async () => {},
      };
      const actor = createActor(fleetSyncMachine, {
        input: {
          deps: {
            recordToCommit: () => (moving ? undefined : RECORD),
            commit: () => {
              const { promise, answer } = answerable<number | undefined>();
              commitAnswer = answer;
              return promise;
            },
            recover: () => {
              const { promise, answer } = answerable<boolean>();
              recoverAnswer = answer;
              return promise;
            },
            announce: (events) =>
              announced.push(...events.map((event) => (event as unknown as { n: number }).n)),
            planned: () => {},
            report: () => {},
          },
        },
        inspect: recorder.observe,
      }).start();
      let changes = 0;
      actor.on('fleet.changed', () => {
        changes += 1;
      });
      const ref: Reference = {
        record: 'inSync',
        again: false,
        pending: [],
        answered: [],
        announced: [],
        rounds: 0,
      };
      let rounds = 0;
      let held = 0;
      const startRound = () => {
        ref.again = false;
        if (moving) ref.record = 'inSync';
        else {
          ref.record = 'committing';
          ref.rounds += 1;
        }
      };
      const endRound = () => {
        if (ref.again) startRound();
        else ref.record = 'inSync';
      };
      const storeDown = () => {
        ref.announced.push(...ref.answered, ...ref.pending);
        ref.answered = [];
        ref.pending = [];
        ref.record = 'dirty';
        ref.again = false;
      };
      const replace = () => {
        version += 1;
        actor.send({ type: 'record.replaced', version });
        ref.pending = [];
        if (ref.record === 'dirty') ref.record = 'inSync';
      };

      // Act
      for (const step of steps) {
        switch (step.kind) {
          case 'hold':
            held += 1;
            actor.send({
              type: 'event.held',
              event: {
                type: 'otp.expired',
                gstin: GSTIN,
                n: held,
              } as unknown as GstrSessionEmitted,
            });
            ref.pending.push(held);
            break;
          case 'want':
          case 'resync':
            actor.send({ type: step.kind === 'want' ? 'commit.wanted' : 'store.resync' });
            if (ref.record === 'committing' || ref.record === 'recovering')
              ref.again ||= step.kind === 'want';
            else if (step.kind === 'want' || ref.record === 'dirty') startRound();
            break;
          case 'move':
            moving = !moving;
            break;
          case 'take':
            if (!actor.getSnapshot().context.lease) {
              const lease = new Lease(`owner-${leases.length}`, port, 60_000, () => {});
              leases.push(lease);
              actor.send({ type: 'lease.taken', lease });
            }
            break;
          case 'drop':
            actor.send({ type: 'lease.drop' });
            break;
          case 'lapse': {
            // The store let the lock go (its lifetime ran out): renewing it finds that.
            const lease = actor.getSnapshot().context.lease;
            keeps = false;
            if (lease && !(await lease.renew())) actor.send({ type: 'lease.lapsed' });
            keeps = true;
            break;
          }
          case 'callStart':
            actor.send({ type: 'call.started' });
            break;
          case 'callEnd':
            actor.send({ type: 'call.ended' });
            break;
          case 'replace':
            replace();
            break;
          case 'change':
            actor.send({ type: 'record.changed' });
            expect(changes).toBeGreaterThan(0);
            break;
          case 'known':
            actor.send({ type: 'record.known', version: step.version });
            version = Math.max(version, step.version);
            break;
          case 'commitAnswer': {
            if (ref.record !== 'committing' || !commitAnswer) break;
            const answer = commitAnswer;
            commitAnswer = undefined;
            if (step.outcome === 'down') {
              answer.reject(new Error('store down'));
              storeDown();
            } else if (step.outcome === 'won') {
              version += 1;
              answer.resolve(version);
              ref.announced.push(...ref.pending);
              ref.pending = [];
              endRound();
            } else {
              answer.resolve(undefined);
              ref.answered = ref.pending;
              ref.pending = [];
              ref.record = 'recovering';
            }
            break;
          }
          case 'recoverAnswer': {
            if (ref.record !== 'recovering' || !recoverAnswer) break;
            const answer = recoverAnswer;
            recoverAnswer = undefined;
            if (step.outcome === 'down') {
              answer.reject(new Error('store down'));
              storeDown();
            } else {
              // A record that was not written back is another worker's, taken in.
              if (step.outcome === 'adopted') replace();
              answer.resolve(step.outcome === 'wroteBack');
              if (step.outcome === 'wroteBack') ref.announced.push(...ref.answered);
              ref.answered = [];
              endRound();
            }
            break;
          }
        }
        await settle();
        rounds = ref.rounds;

        // Assert, after every step
        const snapshot = actor.getSnapshot();
        expect(announced).toEqual(ref.announced);
        expect(new Set(announced).size).toBe(announced.length);
        expect((snapshot.value as { record: string }).record).toBe(ref.record);
        expect(snapshot.context.version).toBe(version);
        const leaseHeld = snapshot.context.lease !== undefined;
        expect((snapshot.value as { lock: unknown }).lock !== 'free').toBe(leaseHeld);
      }

      // Assert: one commit sent per round the reference started; no lease left held
      expect(rounds).toBe(ref.rounds);
      actor.send({ type: 'lease.drop' });
      expect(leases.filter((lease) => lease.held).map((lease) => lease.owner)).toEqual([]);
      actor.stop();
    },
  );

  test('takes every transition it defines in the runs above', () => {
    // Arrange
    const all = allTransitions(fleetSyncMachine);

    // Act
    const missed = all.filter((transition) => !recorder.taken.has(transition));

    // Assert
    expect(missed.map((transition) => describeTransition(transition, all))).toEqual([]);
  });
});
