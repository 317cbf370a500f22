import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { OtpRejectedError } from '../../src/errors/OtpRejectedError.js';
import { createSessionManager } from '../../src/manager/createSessionManager.js';
import type { SessionManager } from '../../src/manager/types.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import type { PersistedGstrSession } from '../../src/session/persistence.js';
import type { CoordinatedStore } from '../../src/stores/SessionCoordinator.js';
import { memoryFleetStore } from '../../src/testing/fleet/memoryFleetStore.js';
import { eventually } from '../fleet/workers.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';

const OTP = '575757';
const HOUR = 3_600_000;

/** What the provider was asked, over every worker. */
interface Counts {
  login: number;
  requestOtp: number;
  getAuthToken: number;
  refreshToken: number;
}

/**
 * Wraps every asynchronous method of `target` (and of the objects it holds, such as the
 * coordinator and its schedule) so that its answer reaches the caller when fast-check's
 * scheduler lets it: each worker's store calls and the provider's answers then arrive in an
 * order fast-check chooses, and shrinks.
 */
function scheduled<T extends object>(s: fc.Scheduler, target: T, label: string): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key, object);
      if (typeof value === 'function')
        return (...args: unknown[]) => {
          const result: unknown = value.apply(object, args);
          return result instanceof Promise ? s.schedule(result, `${label}.${String(key)}`) : result;
        };
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return scheduled(s, value, `${label}.${String(key)}`);
      return value;
    },
  });
}

/** A provider in this process that counts what it is asked; its answers are scheduled too. */
function countingProvider(s: fc.Scheduler, counts: Counts): GstrProvider {
  let tokens = 0;
  const token = () => ({
    authToken: `tok-${++tokens}`,
    expiresAt: Date.now() + 6 * HOUR,
    secrets: { sek: 'c2Vr' },
  });
  return {
    name: 'fake',
    capabilities: {
      login: true,
      refresh: true,
      logout: false,
      accessDuration: false,
      reads: false,
    },
    login: () => {
      counts.login += 1;
      return s.schedule(
        Promise.resolve({ accessToken: `acc-${counts.login}`, expiresAt: Date.now() + 24 * HOUR }),
        'provider.login',
      );
    },
    requestOtp: () => {
      counts.requestOtp += 1;
      return s.schedule(Promise.resolve({ secrets: { appKey: 'a2V5' } }), 'provider.requestOtp');
    },
    getAuthToken: ({ otp }) => {
      counts.getAuthToken += 1;
      return s.schedule(
        otp === OTP
          ? Promise.resolve(token())
          : Promise.reject(new OtpRejectedError({ step: 'getAuthToken', status: 200 })),
        'provider.getAuthToken',
      );
    },
    refreshToken: () => {
      counts.refreshToken += 1;
      return s.schedule(Promise.resolve(token()), 'provider.refreshToken');
    },
  };
}

/** `workers` managers on one shared store, each seeing it through the scheduler. */
function fleetOf(
  s: fc.Scheduler,
  shared: CoordinatedStore,
  workers: number,
  provider: GstrProvider,
) {
  return Array.from({ length: workers }, (_, i) =>
    createSessionManager({
      provider,
      store: scheduled(s, shared, `worker${i}`),
      reauth: 'auto',
    }),
  );
}

async function closeAll(s: fc.Scheduler, managers: SessionManager[]): Promise<void> {
  await s.waitFor(Promise.all(managers.map((m) => m.close())));
}

describe('fleet rules under every order of answers (fast-check scheduler, memoryFleetStore)', () => {
  test.prop([fc.scheduler(), fc.integer({ min: 2, max: 3 }), fc.nat()], { numRuns: 40 })(
    'sends one SMS and one login for a session asked for on every worker at once, and every worker gets its token',
    async (s, workers, typedOn) => {
      // Arrange
      const counts: Counts = { login: 0, requestOtp: 0, getAuthToken: 0, refreshToken: 0 };
      const managers = fleetOf(s, memoryFleetStore(), workers, countingProvider(s, counts));
      // The person types the OTP on whichever worker the app routes them to.
      let typed: Promise<unknown> | undefined;
      for (const manager of managers)
        manager.on('otp.required', () => {
          typed ??= managers[typedOn % workers]
            ?.submitOtp(GSTIN, USERNAME, OTP)
            .catch((error: unknown) => error);
        });

      try {
        // Act
        const asked = managers.map((m) => m.credentials(GSTIN, USERNAME, { timeoutMs: 15_000 }));
        const answers = await s.waitFor(Promise.all(asked));
        await s.waitFor(typed ?? Promise.resolve());

        // Assert
        expect(counts.requestOtp).toBe(1);
        expect(counts.login).toBe(1);
        expect(counts.getAuthToken).toBe(1);
        expect(new Set(answers.map((a) => a.authToken)).size).toBe(1);
      } finally {
        await closeAll(s, managers);
      }
    },
    60_000,
  );

  test.prop([fc.scheduler(), fc.nat(), fc.nat()], { numRuns: 40 })(
    'takes a wrong and a right OTP typed at once on two workers as one round: one SMS, one token everywhere',
    async (s, wrongOn, rightOn) => {
      // Arrange: a round is open (its SMS was sent by one of the workers).
      const counts: Counts = { login: 0, requestOtp: 0, getAuthToken: 0, refreshToken: 0 };
      const managers = fleetOf(s, memoryFleetStore(), 2, countingProvider(s, counts));
      const opened = new Promise<void>((resolve) => {
        for (const manager of managers) manager.on('otp.required', () => resolve());
      });
      const asked = managers.map((m) =>
        m.credentials(GSTIN, USERNAME, { timeoutMs: 15_000 }).catch((error: unknown) => error),
      );
      await s.waitFor(opened);

      try {
        // Act: two people (or one, twice) type at once on the two workers.
        const typed = await s.waitFor(
          Promise.allSettled([
            managers[wrongOn % 2]?.submitOtp(GSTIN, USERNAME, '000000'),
            managers[rightOn % 2]?.submitOtp(GSTIN, USERNAME, OTP),
          ]),
        );
        // On one worker the second OTP typed while the first is checked is refused
        // (SessionStateError): the person types the right one again.
        const retyped = managers[rightOn % 2]?.submitOtp(GSTIN, USERNAME, OTP);
        if (typed[1]?.status === 'rejected' && retyped) await s.waitFor(retyped);
        else retyped?.catch(() => {});
        await s.waitFor(Promise.all(asked));
        const answers = await s.waitFor(
          Promise.all(managers.map((m) => m.credentials(GSTIN, USERNAME, { timeoutMs: 15_000 }))),
        );

        // Assert: one SMS and one token everywhere. The wrong OTP was refused, or, when the
        // right one completed the round on the other worker first, its call was answered
        // with that round's token (the session it was typed for is authenticated).
        expect(counts.requestOtp).toBe(1);
        expect(counts.getAuthToken).toBeLessThanOrEqual(3);
        const tokens = new Set(answers.map((a) => a.authToken));
        expect(tokens.size).toBe(1);
        const wrong = typed[0];
        if (wrong?.status === 'fulfilled')
          expect(tokens.has(wrong.value?.authToken ?? '')).toBe(true);
      } finally {
        await closeAll(s, managers);
      }
    },
    60_000,
  );

  test.prop([fc.scheduler(), fc.integer({ min: 2, max: 3 })], { numRuns: 40 })(
    'refreshes a due session once across the fleet, and every worker moves to the new token',
    async (s, workers) => {
      // Arrange: a session in the shared store whose refresh time has passed.
      const counts: Counts = { login: 0, requestOtp: 0, getAuthToken: 0, refreshToken: 0 };
      const shared = memoryFleetStore();
      const now = Date.now();
      const record: PersistedGstrSession = {
        version: 2,
        provider: 'fake',
        state: 'authenticated',
        savedAt: now,
        gstin: GSTIN,
        username: USERNAME,
        access: { accessToken: 'acc-0', expiresAt: now + 24 * HOUR },
        otpReason: 'initial',
        otpAttempts: 0,
        otpResends: 0,
        token: {
          authToken: 'tok-old',
          expiresAt: now + 5 * 60_000,
          refreshAt: now - 1_000,
          secrets: { sek: 'c2Vr' },
        },
        expiringNotified: false,
        refreshFailed: false,
        refreshFailures: 0,
      };
      await shared.save({ gstin: GSTIN, username: USERNAME }, record);
      const managers = fleetOf(s, shared, workers, countingProvider(s, counts));

      try {
        // Act: every worker is asked for the token at once.
        const first = await s.waitFor(
          Promise.all(managers.map((m) => m.credentials(GSTIN, USERNAME))),
        );
        await s.waitFor(
          eventually(async () => {
            const now = await Promise.all(managers.map((m) => m.credentials(GSTIN, USERNAME)));
            return now.every((c) => c.authToken !== 'tok-old');
          }),
        );
        const last = await s.waitFor(
          Promise.all(managers.map((m) => m.credentials(GSTIN, USERNAME))),
        );

        // Assert: the valid old token was handed out meanwhile, and one refresh replaced it.
        expect(first.every((c) => c.authToken === 'tok-old' || c.authToken === 'tok-1')).toBe(true);
        expect(counts.refreshToken).toBe(1);
        expect(counts.requestOtp).toBe(0);
        expect(new Set(last.map((c) => c.authToken))).toEqual(new Set(['tok-1']));
      } finally {
        await closeAll(s, managers);
      }
    },
    60_000,
  );
});
