import { describe, expect, it } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { rejectionOf } from '../helpers/fixtures.js';
import { overriding } from '../helpers/overriding.js';
import { T0, useSessionFixture } from '../helpers/sessionFixture.js';

describe('a token answer that makes no sense', () => {
  const start = useSessionFixture();

  const CASES: { name: string; value: unknown; unit?: 'minutes' | 'epoch-ms' }[] = [
    { name: 'an expiry of 0', value: 0 },
    { name: 'a negative expiry', value: -5 },
    { name: 'an expiry that overflows to Infinity', value: 1e308 },
    { name: 'an expiry beyond the Date range', value: 1e12 },
    { name: 'an epoch-ms expiry in the past', value: T0 - 1, unit: 'epoch-ms' },
    { name: 'an epoch-ms expiry of now', value: T0, unit: 'epoch-ms' },
  ];

  for (const c of CASES) {
    it(`is a ResponseValidationError naming result.expiry for ${c.name}, and no second SMS`, async () => {
      const f = await start(c.unit ? { mock: { tokenLifetimeUnit: c.unit } } : {});
      f.session.start();
      await f.until('otpRequested');
      f.mock.setFault('getAuthToken', { kind: 'setField', field: 'result.expiry', value: c.value });
      const error = await rejectionOf(f.session.submitOtp(f.otp()));
      expect(isGstrError(error, 'ResponseValidationError')).toBe(true);
      expect((error as { field: string }).field).toBe('result.expiry');
      // The session rests again in otpRequested (an answer it cannot read sends nothing more).
      await f.until('otpRequested');
      expect(f.session.state).toBe('otpRequested');
      expect(f.mock.count('getOtp')).toBe(1);
      expect(f.session.snapshot.context.token).toBeUndefined();
    });
  }

  it('refuses a custom provider token that is already expired', async () => {
    const f = await start({
      wrap: (inner) =>
        overriding(inner, {
          name: 'custom',
          getAuthToken: async (i, o) => ({
            ...(await inner.getAuthToken(i, o)),
            expiresAt: T0 - 1,
          }),
        }),
    });
    f.session.start();
    await f.until('otpRequested');
    const error = await rejectionOf(f.session.submitOtp(f.otp()));
    expect(isGstrError(error, 'ResponseValidationError')).toBe(true);
    expect((error as { field: string }).field).toBe('expiresAt');
    expect(f.mock.count('getOtp')).toBe(1);
  });

  it('refuses a login ttl that would end beyond the Date range', async () => {
    const f = await start();
    f.mock.setFault('login', { kind: 'setField', field: 'ttl', value: 1e300 });
    f.session.start();
    await f.until('failed');
    const error = f.session.snapshot.context.error;
    expect(isGstrError(error, 'ResponseValidationError')).toBe(true);
    expect((error as unknown as { field: string }).field).toBe('ttl');
  });
});

describe('a refresh-capable provider with tokens shorter than the lead time', () => {
  const start = useSessionFixture();

  it('refreshes each token once, and announces it expiring once', async () => {
    const refreshed: string[] = [];
    const f = await start({
      refreshTask: 'refreshToken',
      mock: { tokenLifetime: 4 },
      session: { clockCheckMs: 1_000 },
      wrap: (inner) =>
        overriding(inner, {
          refreshToken: (i, o) => {
            refreshed.push(i.session.authToken);
            return inner.refreshToken?.(i, o) ?? Promise.reject(new Error('no refresh'));
          },
        }),
    });
    await f.authenticate();
    // Four minutes in one-second steps, each a clock check.
    for (let s = 0; s < 240; s++) {
      f.advance(1_000);
      await new Promise((r) => setImmediate(r));
    }
    await f.until('authenticated');
    // Default lead 5 min > lifetime 4 min: refresh at half-life, once per token.
    expect(refreshed.length).toBeGreaterThanOrEqual(1);
    expect(refreshed.length).toBeLessThanOrEqual(2);
    expect(new Set(refreshed).size).toBe(refreshed.length);
    const expiring = f.events.filter((e) => e.type === 'session.expiring');
    expect(expiring.length).toBe(refreshed.length);
    expect(f.mock.count('getOtp')).toBe(1);
  });
});

describe('a pasted OTP', () => {
  const start = useSessionFixture();

  it('is trimmed the same way by the facade and by the machine', async () => {
    const f = await start();
    f.session.start();
    await f.until('otpRequested');
    // Straight to the machine, as an embedding app would send it.
    f.session.actor.send({ type: 'otp.submit', otp: `${f.otp()}\r\n` });
    await f.until('authenticated');
    expect(f.session.snapshot.context.token).toBeDefined();
  });

  it('is refused by both, with no request, when a non-ASCII space surrounds it', async () => {
    const f = await start();
    f.session.start();
    await f.until('otpRequested');
    const error = await rejectionOf(f.session.submitOtp(`${f.otp()}\u00a0`));
    expect(isGstrError(error, 'InvalidInputError')).toBe(true);
    f.session.actor.send({ type: 'otp.submit', otp: `\u00a0${f.otp()}` });
    expect(f.session.state).toBe('otpRequested');
    expect(f.mock.count('getAuthToken')).toBe(0);
  });
});

describe('answers and records that would break a reader', () => {
  const start = useSessionFixture();

  it('refuses an access token with a CR/LF, before it can reach a header', async () => {
    const f = await start();
    f.mock.setFault('login', { kind: 'setField', field: 'id', value: 'tok\r\nx-evil: 1' });
    f.session.start();
    await f.until('failed');
    const error = f.session.snapshot.context.error;
    expect(isGstrError(error, 'ResponseValidationError')).toBe(true);
    expect((error as unknown as { field: string }).field).toBe('id');
    expect(f.mock.count('getOtp')).toBe(0);
  });
});
