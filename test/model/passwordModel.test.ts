import { describe, expect, it } from 'vitest';
import { assign, createActor, setup } from 'xstate';
import { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import { TRANSIENT_STATES } from '../../machines/gstrSession.types.js';
import type { NicService } from '../../src/providers/nic/options.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { MOCK_NIC_ACCOUNT } from '../../src/testing/mock/nicFace.js';
import { MOCK_NIC_FACES } from '../../src/testing/mock/types.js';
import { createTestRig } from '../../src/testing/rig/createTestRig.js';
import { eventually } from '../fleet/workers.js';
import { T0 } from '../helpers/sessionFixture.js';
import { edgeCoveringPaths } from './edgeCoveringPaths.js';
import {
  allTransitions,
  createTransitionRecorder,
  describeTransition,
  isPasswordTransition,
} from './transitionCoverage.js';

/** One thing a test does to a password session: a user action, time, a fault of NIC. */
type PasswordEvent =
  | { type: 'START' }
  | { type: 'RENEWAL' }
  | { type: 'TOKEN_REJECTED' }
  | { type: 'DOWN' }
  | { type: 'UP' }
  | { type: 'WAIT_RETRY' }
  | { type: 'DOZE_RETRY' }
  | { type: 'LOGOUT_MIDWAY' }
  | { type: 'RESTART' }
  | { type: 'REAUTH' }
  | { type: 'WRONG_PASSWORD' }
  | { type: 'RIGHT_PASSWORD' }
  | { type: 'LOGOUT' };

/**
 * A pure model of a password session as an app sees it: where it rests after each event, and
 * how many logins NIC saw. `waiting` is the chart's `expired` with a login retry pending.
 */
const passwordModelSetup = setup({
  types: {
    context: {} as { down: boolean; wrong: boolean; logins: number; restarts: number },
    events: {} as PasswordEvent,
  },
  guards: {
    isDown: ({ context }) => context.down,
    isWrong: ({ context }) => context.wrong,
  },
  actions: {
    countLogin: assign({ logins: ({ context }) => context.logins + 1 }),
    // Counted (not part of a state's identity) so that the graph walks a restart at all.
    countRestart: assign({ restarts: ({ context }) => context.restarts + 1 }),
    goDown: assign({ down: true }),
    comeUp: assign({ down: false }),
    breakPassword: assign({ wrong: true }),
    fixPassword: assign({ wrong: false }),
  },
});

/**
 * A login, as the model sees its outcome: NIC down, a retry later; the password wrong, a
 * failed session; else a token. (A failed session cannot be down: only a logged-out one
 * takes DOWN, and a waiting one comes up before it fails.)
 */
const LOG_IN = [
  { guard: 'isDown', target: 'waiting', actions: 'countLogin' },
  { guard: 'isWrong', target: 'failed', actions: 'countLogin' },
  { target: 'authenticated', actions: 'countLogin' },
] as const;

const passwordModel = passwordModelSetup.createMachine({
  id: 'passwordModel',
  context: { down: false, wrong: false, logins: 0, restarts: 0 },
  initial: 'loggedOut',
  states: {
    loggedOut: {
      on: {
        START: LOG_IN,
        REAUTH: LOG_IN,
        DOWN: { actions: 'goDown' },
        UP: { actions: 'comeUp' },
        WRONG_PASSWORD: { actions: 'breakPassword' },
        RIGHT_PASSWORD: { actions: 'fixPassword' },
        // Started, then logged out while its login hangs at NIC.
        LOGOUT_MIDWAY: { target: 'loggedOut', actions: 'countLogin' },
        // The process restarts: the session comes back from its record as it was.
        RESTART: { actions: 'countRestart' },
      },
    },
    authenticated: {
      on: {
        RENEWAL: { target: 'authenticated', actions: 'countLogin' },
        TOKEN_REJECTED: { target: 'authenticated', actions: 'countLogin' },
        RESTART: { actions: 'countRestart' },
        LOGOUT: 'loggedOut',
      },
    },
    waiting: {
      on: {
        UP: { actions: 'comeUp' },
        // Restored while it waits: its retry timer is armed again, and nothing is sent.
        RESTART: { actions: 'countRestart' },
        WAIT_RETRY: LOG_IN,
        // The wall clock passed the retry while no timer ran (a suspended machine).
        DOZE_RETRY: LOG_IN,
        REAUTH: LOG_IN,
        LOGOUT: 'loggedOut',
      },
    },
    failed: {
      on: {
        RIGHT_PASSWORD: { actions: 'fixPassword' },
        START: LOG_IN,
        REAUTH: LOG_IN,
        LOGOUT: 'loggedOut',
      },
    },
  },
});

const EVENTS: PasswordEvent[] = (
  [
    'START',
    'RENEWAL',
    'TOKEN_REJECTED',
    'DOWN',
    'UP',
    'WAIT_RETRY',
    'DOZE_RETRY',
    'LOGOUT_MIDWAY',
    'RESTART',
    'REAUTH',
    'WRONG_PASSWORD',
    'RIGHT_PASSWORD',
    'LOGOUT',
  ] as const
).map((type) => ({ type }));

const serialize = (s: { value: unknown; context: unknown }) =>
  JSON.stringify([s.value, { ...(s.context as object), logins: undefined, restarts: undefined }]);

/** The chart's state for each model state. */
const REAL_STATE: Readonly<Record<string, string>> = {
  loggedOut: 'loggedOut',
  authenticated: 'authenticated',
  waiting: 'expired',
  failed: 'failed',
};

const recorder = createTransitionRecorder();

async function runPath(service: NicService, path: readonly PasswordEvent[]): Promise<void> {
  const model = createActor(passwordModel).start();
  let password: string = MOCK_NIC_ACCOUNT.password;
  const rig = await createTestRig({
    clock: createTestClock(T0),
    provider: service,
    providerOptions: { password: () => password, timeoutMs: 2_000 } as never,
  });
  const { clock, mock } = rig;
  const otpAsked: unknown[] = [];
  const sessionFrom = (snapshot?: unknown) => {
    const created = rig.session({
      clockCheckMs: 30_000,
      ...(snapshot === undefined ? {} : { snapshot }),
    });
    created.actor.system.inspect(recorder.observe);
    created.actor.start();
    created.on('otp.required', (event) => otpAsked.push(event));
    return created;
  };
  let session = sessionFrom();
  // A step is over when the session rests and NIC has seen what the model says.
  const settled = (logins: number) =>
    eventually(
      () => !TRANSIENT_STATES.has(session.state) && mock.count('authenticate') >= logins,
      10_000,
      () => `state ${session.state}, ${mock.count('authenticate')} logins, expected ${logins}`,
    );
  try {
    for (const [index, event] of path.entries()) {
      model.send(event);
      const expected = model.getSnapshot();
      const token = session.snapshot.context.token;
      switch (event.type) {
        case 'START':
          session.start();
          break;
        case 'RENEWAL':
          // E-invoice: into the last ten minutes (a forced login); e-way bill: past its end.
          clock.advance(
            Math.max(
              0,
              (token?.expiresAt ?? clock.now()) +
                (service === 'einvoice' ? -5 * 60_000 : 1_000) -
                clock.now(),
            ),
          );
          session.checkClock();
          break;
        case 'TOKEN_REJECTED':
          mock.revokeAuthTokens();
          session.reportTokenRejected(token?.authToken);
          break;
        case 'DOWN':
          mock.setFault('authenticate', { kind: 'status', status: 503 });
          break;
        case 'UP':
          mock.setFault('authenticate', undefined);
          break;
        case 'WAIT_RETRY':
          clock.advance(
            Math.max(0, (session.snapshot.context.refreshRetryAt ?? clock.now()) + 1 - clock.now()),
          );
          session.checkClock();
          break;
        case 'DOZE_RETRY':
          clock.suspend(
            Math.max(0, (session.snapshot.context.refreshRetryAt ?? clock.now()) + 1 - clock.now()),
          );
          session.checkClock();
          break;
        case 'LOGOUT_MIDWAY':
          mock.setFault('authenticate', { kind: 'hang', times: 1 });
          session.start();
          await eventually(() => session.state === 'authenticating' && mock.hanging() === 1);
          await session.logout();
          mock.release();
          // The hang stood in for the route's fault: an outage the model holds goes on.
          if (expected.context.down) mock.setFault('authenticate', { kind: 'status', status: 503 });
          break;
        case 'RESTART': {
          const saved: unknown = JSON.parse(JSON.stringify(session.persist()));
          session.stop();
          session = sessionFrom(saved);
          session.start();
          break;
        }
        case 'REAUTH':
          session.reauthenticate();
          break;
        case 'WRONG_PASSWORD':
          password = 'not-the-password';
          break;
        case 'RIGHT_PASSWORD':
          password = MOCK_NIC_ACCOUNT.password;
          break;
        case 'LOGOUT':
          await session.logout();
          break;
      }
      await settled(expected.context.logins);
      const where = `step ${index + 1} (${event.type})`;
      expect(session.state, `${where}: state`).toBe(REAL_STATE[String(expected.value)]);
      expect(mock.count('authenticate'), `${where}: logins`).toBe(expected.context.logins);
      if (session.state === 'authenticated')
        expect(mock.isAuthTokenValid(session.snapshot.context.token?.authToken ?? ''), where).toBe(
          true,
        );
    }
    expect(otpAsked).toEqual([]);
    expect(mock.count('getOtp')).toBe(0);
  } finally {
    model.stop();
    await rig.close();
  }
}

// Only what each state handles: an event a state ignores is no path worth walking.
const PATHS = edgeCoveringPaths<PasswordEvent>(passwordModel, {
  events: (state: { can(event: PasswordEvent): boolean }) =>
    EVENTS.filter((event) => state.can(event)),
  serializeState: serialize,
});

describe.each(MOCK_NIC_FACES)('password session model (%s)', (service) => {
  it('has paths to walk', () => {
    expect(PATHS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(PATHS.map((path) => [path.map((e) => e.type).join(' → '), path] as const))(
    '%s',
    async (_, path) => {
      await runPath(service, path);
    },
  );
});

describe('password session model coverage', () => {
  it('takes every transition of the password path of the real machine', () => {
    const all = allTransitions(gstrSessionMachine);
    const missing = all
      .filter((t) => isPasswordTransition(t) && !recorder.taken.has(t))
      .map((t) => describeTransition(t, all));
    expect(missing).toEqual([]);
  });
});
