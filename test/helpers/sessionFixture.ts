import { afterEach } from 'vitest';
import { waitFor } from 'xstate';
import {
  EMITTED_EVENT_TYPES,
  type GstrSessionEmitted,
  type SessionState,
} from '../../machines/gstrSession.types.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import type { GstrSession, GstrSessionOptions } from '../../src/session/types.js';
import { createTestClock, type TestClock } from '../../src/testing/drive/createTestClock.js';
import type { MockProvider, MockProviderOptions } from '../../src/testing/mock/types.js';
import { createTestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, USERNAME } from './fixtures.js';

/** A fixed start of simulated time: 2027-01-15T10:00:00Z. */
export const T0 = Date.UTC(2027, 0, 15, 10, 0, 0);

/** A running session against a mock provider, on simulated time shared by all three. */
export interface SessionFixture {
  readonly mock: MockProvider;
  readonly clock: TestClock;
  readonly provider: GstrProvider;
  readonly session: GstrSession;
  /** Every emitted event, in order. */
  readonly events: GstrSessionEmitted[];
  /** Every log line, message and data as JSON. */
  readonly logs: string[];
  /** Every inspection event the session's inspector received, as JSON. */
  readonly inspected: string[];
  /** Waits (real time, bounded) until the session is in a state. */
  until(state: SessionState): Promise<void>;
  /** Moves simulated time on, firing due timers. */
  advance(ms: number): void;
  /** The OTP the mock sent, as the SMS shows it. */
  otp(): string;
  /** A six-digit OTP that is not the one the mock sent. */
  wrongOtp(): string;
  /** Starts and completes the first authentication. */
  authenticate(): Promise<void>;
  close(): Promise<void>;
}

export interface SessionFixtureOptions {
  readonly mock?: MockProviderOptions;
  readonly session?: Partial<GstrSessionOptions>;
  readonly refreshTask?: string;
  /** Wraps the provider (to observe or alter calls). */
  readonly wrap?: (provider: GstrProvider) => GstrProvider;
  /** The clock to share, e.g. to restore a snapshot on the same time line. */
  readonly clock?: TestClock;
}

/** Creates a session against a mock provider, on the test rig's one clock; nothing is started. */
export async function startSessionFixture(
  options: SessionFixtureOptions = {},
): Promise<SessionFixture> {
  const rig = await createTestRig({
    clock: options.clock ?? createTestClock(T0),
    mock: { ...(options.refreshTask ? { refreshTask: options.refreshTask } : {}), ...options.mock },
    providerOptions: { retry: { limit: 1, backoffLimitMs: 5 }, timeoutMs: 2_000 },
  });
  const { clock, mock } = rig;
  const provider = options.wrap ? options.wrap(rig.provider) : rig.provider;
  const logs: string[] = [];
  const inspected: string[] = [];
  const log = (level: string) => (message: string, data?: Record<string, unknown>) => {
    logs.push(`${level} ${message} ${JSON.stringify(data)}`);
  };
  const session = rig.session({
    provider,
    gstin: GSTIN,
    username: USERNAME,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    inspect: (event) =>
      inspected.push(
        JSON.stringify(event, (key, value) =>
          key === 'actorRef' || key === 'sourceRef' ? undefined : value,
        ),
      ),
    ...options.session,
  });
  const events: GstrSessionEmitted[] = [];
  for (const type of EMITTED_EVENT_TYPES) {
    session.actor.on(type, (event) => events.push(event));
  }

  const fixture: SessionFixture = {
    mock,
    clock,
    provider,
    session,
    events,
    logs,
    inspected,
    until: async (state) => {
      await waitFor(session.actor, (s) => s.value === state, { timeout: 5_000 });
    },
    advance: (ms) => clock.advance(ms),
    otp: () => rig.otp(GSTIN),
    wrongOtp: () => rig.wrongOtp(GSTIN),
    authenticate: async () => {
      session.start();
      await fixture.until('otpRequested');
      await session.submitOtp(fixture.otp());
    },
    close: () => rig.close(),
  };
  return fixture;
}

/**
 * Registers an `afterEach` that closes the fixture of each test, and returns the function a
 * test calls to start one.
 */
export function useSessionFixture(): (options?: SessionFixtureOptions) => Promise<SessionFixture> {
  let current: SessionFixture | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => {
    current = await startSessionFixture(options);
    return current;
  };
}
