import { afterEach, describe, expect, it } from 'vitest';
import { MOCK_FACES } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';

const OUTAGE = { kind: 'status', status: 503 } as const;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** An authenticated session on a provider that refreshes, and its driver. */
async function authenticated(face: (typeof MOCK_FACES)[number]) {
  rig = await createTestRig({
    provider: face,
    mock: { otpMode: 'sandbox', refreshTask: 'refreshAuthToken' },
  });
  const session = rig.session({ reauth: 'auto' });
  const events: string[] = [];
  for (const type of ['refresh.failed', 'session.expired', 'session.authenticated'] as const)
    session.on(type, () => events.push(type));
  const driver = rig.driver(session);
  await driver.run([{ type: 'start' }, { type: 'submitOtp', otp: 'sms' }]);
  return { r: rig, session, driver, events };
}

describe('a refresh that fails in an outage', () => {
  it.each(MOCK_FACES)(
    'is tried again and succeeds once %s is back: the token is renewed with no OTP',
    async (face) => {
      // Arrange
      const { r, session, driver } = await authenticated(face);

      // Act: the provider is down at the lead time, then back before the retry.
      await driver.run([
        { type: 'fault', route: 'refreshToken', fault: OUTAGE },
        { type: 'advanceTo', deadline: 'refreshLead' },
      ]);
      const failedAt = r.clock.now();
      const retryAt = session.snapshot.context.refreshRetryAt ?? 0;
      await driver.run([
        { type: 'fault', route: 'refreshToken', fault: undefined },
        { type: 'advanceTo', deadline: 'refreshRetry' },
      ]);

      // Assert
      // The first retry: 60 s, less up to a quarter for this token.
      expect(retryAt - failedAt).toBeGreaterThanOrEqual(45_000);
      expect(retryAt - failedAt).toBeLessThanOrEqual(60_000);
      expect(r.mock.count('refreshToken')).toBe(2);
      expect(r.mock.count('getOtp')).toBe(1);
      expect(session.state).toBe('authenticated');
      expect(session.snapshot.context.refreshFailures).toBe(0);
      expect((await session.credentials()).expiresAt).toBeGreaterThan(
        r.clock.now() + 5 * 3_600_000,
      );
    },
  );

  it('is tried until a last try before expiry, says so once, and only then costs an OTP', async () => {
    // Arrange
    const { r, session, driver, events } = await authenticated('gstn');
    const { expiresAt } = await session.credentials();
    await driver.run([
      { type: 'fault', route: 'refreshToken', fault: OUTAGE },
      { type: 'advanceTo', deadline: 'refreshLead' },
    ]);

    // Act: the outage lasts; every retry comes and fails.
    const tries: number[] = [];
    while (session.snapshot.context.refreshRetryAt !== undefined) {
      tries.push(session.snapshot.context.refreshRetryAt);
      await driver.step({ type: 'advanceTo', deadline: 'refreshRetry' });
    }
    const failedFor = session.snapshot.context.refreshFailed;
    await driver.step({ type: 'advanceTo', deadline: 'tokenExpiry' });

    // Assert: tried for as long as the token lives (no count by default), each try later than
    // the one before, the gaps doubling, and the last one a minute before expiry.
    expect(tries.length).toBeGreaterThanOrEqual(4);
    expect(r.mock.count('refreshToken')).toBe(1 + tries.length);
    expect([...tries].sort((a, b) => a - b)).toEqual(tries);
    expect(tries.at(-1)).toBe(expiresAt - 60_000);
    expect(failedFor).toBe(true);
    expect(events.filter((e) => e === 'refresh.failed')).toHaveLength(1);
    expect(events.indexOf('refresh.failed')).toBeLessThan(events.indexOf('session.expired'));
    expect(r.mock.count('getOtp')).toBe(2);
  });

  it('is tried at most maxRefreshRetries times when the app sets a count', async () => {
    // Arrange
    rig = await createTestRig({ provider: 'gstn', mock: { otpMode: 'sandbox' } });
    const session = rig.session({ maxRefreshRetries: 2 });
    const driver = rig.driver(session);
    await driver.run([{ type: 'start' }, { type: 'submitOtp', otp: 'sms' }]);
    await driver.run([
      { type: 'fault', route: 'refreshToken', fault: OUTAGE },
      { type: 'advanceTo', deadline: 'refreshLead' },
    ]);

    // Act
    while (session.snapshot.context.refreshRetryAt !== undefined)
      await driver.step({ type: 'advanceTo', deadline: 'refreshRetry' });

    // Assert
    expect(rig.mock.count('refreshToken')).toBe(3);
    expect(session.snapshot.context.refreshFailed).toBe(true);
  });

  it('is not tried again when retries are off (refreshRetryMs: 0)', async () => {
    // Arrange
    rig = await createTestRig({ provider: 'gstn', mock: { otpMode: 'sandbox' } });
    const session = rig.session({ refreshRetryMs: 0 });
    const driver = rig.driver(session);
    await driver.run([{ type: 'start' }, { type: 'submitOtp', otp: 'sms' }]);

    // Act
    await driver.run([
      { type: 'fault', route: 'refreshToken', fault: OUTAGE },
      { type: 'advanceTo', deadline: 'refreshLead' },
    ]);

    // Assert
    expect(session.snapshot.context.refreshRetryAt).toBeUndefined();
    expect(session.snapshot.context.refreshFailed).toBe(true);
  });
});

describe('a rate-limited refresh', () => {
  it.each(MOCK_FACES)(
    'on %s is a RateLimitedError with when to come back, and is not tried again sooner',
    async (face) => {
      // Arrange
      const { session, driver } = await authenticated(face);
      const errors: unknown[] = [];
      session.on('session.error', ({ error }) => errors.push(error));

      // Act: HTTP 429, come back in 150 s (longer than the first retry's 60 s).
      await driver.run([
        {
          type: 'fault',
          route: 'refreshToken',
          fault: { kind: 'status', status: 429, retryAfterSeconds: 150, times: 1 },
        },
        { type: 'advanceTo', deadline: 'refreshLead' },
      ]);
      const failedAt = driver.clock.now();

      // Assert
      expect(errors[0]).toMatchObject({ name: 'RateLimitedError', code: 'GSTR_RATE_LIMITED' });
      expect((errors[0] as { retryAfterMs: number }).retryAfterMs).toBe(150_000);
      expect(session.snapshot.context.refreshRetryAt).toBeGreaterThanOrEqual(failedAt + 150_000);
    },
  );

  it("reads GSTN's GEN5005 as a rate limit", async () => {
    // Arrange
    const { session, driver } = await authenticated('gstn');
    const errors: unknown[] = [];
    session.on('session.error', ({ error }) => errors.push(error));

    // Act
    await driver.run([
      {
        type: 'fault',
        route: 'refreshToken',
        fault: { kind: 'status', status: 200, code: 'GEN5005', times: 1 },
      },
      { type: 'advanceTo', deadline: 'refreshLead' },
    ]);

    // Assert
    expect(errors[0]).toMatchObject({ name: 'RateLimitedError', providerCode: 'GEN5005' });
    expect(session.snapshot.context.refreshRetryAt).toBeDefined();
  });
});
