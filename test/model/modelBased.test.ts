import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import type { DriverStep } from '../../src/testing/drive/createSessionDriver.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { MOCK_FACES, type MockFaceName } from '../../src/testing/mock/types.js';
import { createTestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';
import { withoutRefresh } from '../helpers/overriding.js';
import { T0 } from '../helpers/sessionFixture.js';
import { edgeCoveringPaths } from './edgeCoveringPaths.js';
import {
  CONCURRENT_READS,
  MODEL_LIMITS,
  type ModelContext,
  type ModelEvent,
  type ModelInput,
  modelEvents,
  serializeModelState,
  sessionModel,
} from './sessionModel.js';
import {
  allTransitions,
  createTransitionRecorder,
  describeTransition,
  isPasswordTransition,
  PASSWORD_STATE,
} from './transitionCoverage.js';

const CLOCK_CHECK_MS = 30_000;
const SLEEP_MS = 7 * 3_600_000;
const REFRESH_TASK = 'refreshAuthToken';

/** What a model event does to the real session and its provider. */
function driverStep(event: ModelEvent): DriverStep {
  switch (event.type) {
    case 'START':
      return { type: 'start' };
    case 'REAUTH':
      return { type: 'reauthenticate' };
    case 'SUBMIT_RIGHT':
      return { type: 'submitOtp', otp: 'sms' };
    case 'SUBMIT_WRONG':
      return { type: 'submitOtp', otp: 'wrong' };
    case 'SUBMIT_MALFORMED':
      return { type: 'submitOtp', otp: 'malformed' };
    case 'RESEND':
      return { type: 'resendOtp' };
    case 'LOGOUT':
      return { type: 'logout' };
    case 'TOKEN_REJECTED':
      return { type: 'tokenRejected' };
    case 'WAIT_RETRY':
      return { type: 'advanceTo', deadline: 'refreshRetry' };
    case 'DOZE_RETRY':
      return { type: 'suspendTo', deadline: 'refreshRetry' };
    case 'STALE_REJECTED':
      return { type: 'tokenRejected', authToken: 'a-token-this-session-no-longer-holds' };
    case 'TICK':
      return { type: 'tick' };
    case 'WAIT_CHECK':
      return { type: 'advance', ms: CLOCK_CHECK_MS };
    case 'WAIT_OTP_EXPIRY':
      return { type: 'advanceTo', deadline: 'otpExpiry' };
    case 'WAIT_LEAD':
      return { type: 'advanceTo', deadline: 'refreshLead' };
    case 'WAIT_EXPIRY':
      return { type: 'advanceTo', deadline: 'tokenExpiry' };
    case 'SLEEP':
      return { type: 'suspend', ms: SLEEP_MS };
    case 'DOWN':
      return { type: 'fault', route: '*', fault: { kind: 'status', status: 503 } };
    case 'UP':
      return { type: 'fault', route: '*', fault: undefined };
    case 'HANG':
      return { type: 'fault', route: '*', fault: { kind: 'hang', times: 1 } };
    case 'RELEASE':
      return { type: 'release' };
    case 'DOZE':
      return { type: 'suspendTo', deadline: 'refreshLead' };
    case 'CALL':
      return { type: 'call' };
    case 'CALL_REFUSED':
      return { type: 'call', refuseOnce: true };
    case 'CALLS_REFUSED':
      return { type: 'call', refuseOnce: true, concurrent: CONCURRENT_READS };
    case 'ACCESS_OFF':
      return {
        type: 'fault',
        route: 'getAuthToken',
        fault: { kind: 'status', status: 422, code: 'AUTH4037', times: 1 },
      };
    case 'REFRESH_REJECTED':
      return {
        type: 'fault',
        route: 'refreshToken',
        fault: { kind: 'status', status: 422, code: 'AUTH4038', times: 1 },
      };
    case 'REVOKE':
      return {
        type: 'fault',
        route: 'getAuthToken',
        fault: { kind: 'status', status: 401, times: 2 },
      };
  }
}

/** Paths that together take every edge of the model, for one input. */
function pathsOf(input: ModelInput): ModelEvent[][] {
  return edgeCoveringPaths<ModelEvent>(sessionModel, {
    input,
    events: (s: Parameters<typeof modelEvents>[0]) => modelEvents(s),
    serializeState: (s: Parameters<typeof serializeModelState>[0]) => serializeModelState(s),
  });
}

/**
 * Each mode on each provider. The machine must not know which provider it drives: the same
 * model holds for all three, told only what the provider declares (a login, a refresh).
 */
/** Every provider of the registry: a new one joins these tests by itself. */
const FACES = MOCK_FACES;
const CONFIGS = FACES.flatMap((face) => {
  const login = face !== 'gstn';
  return [
    {
      name: `${face}: auto re-authentication, with refresh`,
      face,
      input: { refresh: true, login, auto: true },
    },
    {
      name: `${face}: manual re-authentication, without refresh`,
      face,
      input: { refresh: false, login, auto: false },
    },
  ];
});

const recorder = createTransitionRecorder();

async function runPath(
  face: MockFaceName,
  input: ModelInput,
  path: readonly ModelEvent[],
): Promise<void> {
  // The model is replayed along the path: its counters belong to this path alone.
  const model = createActor(sessionModel, { input }).start();
  const rig = await createTestRig({
    clock: createTestClock(T0),
    provider: face,
    mock: input.refresh ? { refreshTask: REFRESH_TASK } : {},
    providerOptions: { timeoutMs: 2_000 },
  });
  const { clock, mock } = rig;
  // Signzy without a refresh task has none; GSTN and Sandbox are shown without theirs.
  const provider = input.refresh ? rig.provider : withoutRefresh(rig.provider);
  const session = rig.session({
    provider,
    gstin: GSTIN,
    username: USERNAME,
    reauth: input.auto ? 'auto' : 'manual',
    otpResendCooldownMs: 0,
    clockCheckMs: CLOCK_CHECK_MS,
    ...MODEL_LIMITS,
  });
  session.actor.system.inspect(recorder.observe);
  session.actor.start();
  const driver = rig.driver(session);
  try {
    for (const [index, event] of path.entries()) {
      model.send(event);
      const expected: { value: unknown; context: ModelContext } = model.getSnapshot();
      await driver.step(driverStep(event));
      const real = session.snapshot;
      const where = `step ${index + 1} (${event.type})`;
      expect(real.value, `${where}: state`).toBe(expected.value);
      expect(real.context.token !== undefined, `${where}: token held`).toBe(expected.context.token);
      expect(real.context.otpAttempts, `${where}: wrong OTPs counted`).toBe(
        expected.context.attempts,
      );
      expect(mock.count('getOtp'), `${where}: OTP requests sent`).toBe(
        expected.context.otpRequests,
      );
      expect(mock.count('getAuthToken'), `${where}: token exchanges sent`).toBe(
        expected.context.verifies,
      );
      expect(mock.count('refreshToken'), `${where}: refreshes sent`).toBe(
        expected.context.refreshes,
      );
      expect(mock.count('call'), `${where}: reads sent`).toBe(expected.context.calls);
      if (event.type === 'CALL' || event.type === 'CALL_REFUSED') {
        expect(driver.calls.at(-1), `${where}: the read's outcome`).toBe('data');
      }
      if (event.type === 'CALLS_REFUSED') {
        expect(driver.calls.slice(-CONCURRENT_READS), `${where}: every read's outcome`).toEqual(
          Array.from({ length: CONCURRENT_READS }, () => 'data'),
        );
      }
      if (real.value === 'authenticated') {
        expect(real.context.token?.expiresAt ?? 0, `${where}: token in the future`).toBeGreaterThan(
          expected.context.slept ? 0 : clock.now(),
        );
      }
    }
  } finally {
    model.stop();
    await rig.close();
  }
}

/** Every path with `GSTR_MODEL_PATHS=all` (`npm run test:all`, CI); else a seeded sample. */
const ALL_PATHS = process.env.GSTR_MODEL_PATHS === 'all';
/** The sample's seed: the same paths every run unless `GSTR_MODEL_SEED` asks for others. */
const SEED = Number(process.env.GSTR_MODEL_SEED ?? 20_261_205);
/** The share of paths a sampled run walks. */
const SAMPLE = 0.2;

/** A small seeded generator (mulberry32): the same sample on every machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The paths a run walks: all of them, or the seeded sample (never fewer than 20). */
function pathsToWalk(all: ModelEvent[][], salt: number): ModelEvent[][] {
  if (ALL_PATHS) return all;
  const random = seeded(SEED + salt);
  const sample = all.filter(() => random() < SAMPLE);
  return sample.length >= 20 ? sample : all.slice(0, 20);
}

describe.each(CONFIGS.map((config, salt) => ({ ...config, salt })))(
  'session model ($name)',
  ({ face, input, salt }) => {
    const paths = pathsToWalk(pathsOf(input), salt);

    it('has paths to walk', () => {
      expect(paths.length).toBeGreaterThanOrEqual(ALL_PATHS ? 50 : 20);
    });

    it.each(paths.map((path) => [path.map((e) => e.type).join(' → '), path] as const))(
      '%s',
      async (_, path) => {
        await runPath(face, input, path);
      },
    );
  },
);

describe('session model coverage', () => {
  // Only a walk of every path takes every transition; a sampled run (npm test) leaves it to
  // npm run test:all, which CI runs.
  it.runIf(ALL_PATHS)('reaches every state and takes every transition of the real machine', () => {
    // The password path (NIC) is walked by its own model (passwordModel.test.ts).
    const all = allTransitions(gstrSessionMachine);
    const missing = all
      .filter((t) => !recorder.taken.has(t) && !isPasswordTransition(t))
      .map((t) => describeTransition(t, all));
    expect(missing).toEqual([]);
    const reached = new Set([...recorder.taken].flatMap((t) => (t.target ?? []).map((n) => n.key)));
    expect([...reached].sort()).toEqual(
      Object.keys(gstrSessionMachine.root.states)
        .filter((state) => state !== PASSWORD_STATE)
        .sort(),
    );
  });
});
