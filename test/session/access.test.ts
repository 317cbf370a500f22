import { describe, expect, it, vi } from 'vitest';
import { UnauthorizedError } from '../../src/errors/UnauthorizedError.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import { rejectionOf } from '../helpers/fixtures.js';
import { overriding } from '../helpers/overriding.js';
import { useSessionFixture } from '../helpers/sessionFixture.js';

const HOUR = 3_600_000;

const start = useSessionFixture();

/** Wraps a provider so that a test sees the signal of every call. */
function recordingSignals(signals: AbortSignal[]) {
  return (inner: GstrProvider): GstrProvider =>
    overriding(inner, {
      login: (o) => {
        if (o?.signal) signals.push(o.signal);
        return inner.login?.(o) ?? Promise.reject(new Error('no login'));
      },
      requestOtp: (i, o) => {
        if (o.signal) signals.push(o.signal);
        return inner.requestOtp(i, o);
      },
      getAuthToken: (i, o) => {
        if (o.signal) signals.push(o.signal);
        return inner.getAuthToken(i, o);
      },
    });
}

describe('gstr session access token', () => {
  it('re-logs in silently once after a 401 and retries the step', async () => {
    const { mock, authenticate, advance, until } = await start();
    await authenticate();
    mock.expireAccessTokens();
    advance(6 * HOUR);
    await until('otpRequested');
    expect(mock.count('login')).toBe(2);
    expect(mock.requests.filter((r) => r.route === 'getOtp').map((r) => r.status)).toEqual([
      200, 401, 200,
    ]);
  });

  it('fails with UnauthorizedError on a second 401', async () => {
    const { session, mock, until, events } = await start();
    mock.setFault('getOtp', { kind: 'status', status: 401 });
    session.start();
    await until('failed');
    expect(session.snapshot.context.error).toBeInstanceOf(UnauthorizedError);
    expect(mock.count('login')).toBe(2);
    expect(mock.count('getOtp')).toBe(2);
    expect(events.slice(-2)).toMatchObject([
      { type: 'session.failed' },
      { type: 'reauth.required', reason: 'refused', error: { name: 'UnauthorizedError' } },
    ]);
    await expect(session.credentials()).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('renews an access token that is about to go stale before using it', async () => {
    const { mock, authenticate, advance, until } = await start({
      mock: { accessTokenTtlSeconds: 3 * 3600 },
    });
    await authenticate();
    advance(6 * HOUR);
    await until('otpRequested');
    expect(mock.count('login')).toBe(2);
    expect(mock.requests.filter((r) => r.route === 'getOtp').map((r) => r.status)).toEqual([
      200, 200,
    ]);
  });

  it('fails when the provider credentials are refused, without asking for an OTP', async () => {
    const { session, mock, until } = await start();
    mock.setFault('login', { kind: 'status', status: 401 });
    session.start();
    await until('failed');
    expect(session.snapshot.context.error).toMatchObject({
      name: 'UnauthorizedError',
      step: 'login',
    });
    expect(mock.count('getOtp')).toBe(0);
  });

  it('cancels the in-flight request when the session leaves its state', async () => {
    const signals: AbortSignal[] = [];
    const { session, mock, until } = await start({ wrap: recordingSignals(signals) });
    mock.setFault('getOtp', { kind: 'delay', ms: 300 });
    session.start();
    await until('requestingOtp');
    await vi.waitFor(() => expect(mock.count('getOtp')).toBe(1), { timeout: 10_000 });
    const before = signals.at(-1);
    expect(before?.aborted).toBe(false);
    await session.logout();
    expect(before?.aborted).toBe(true);
    expect(session.state).toBe('loggedOut');
  });

  it('cancels the token exchange when logged out mid-verification', async () => {
    const signals: AbortSignal[] = [];
    const { session, mock, until, otp } = await start({ wrap: recordingSignals(signals) });
    session.start();
    await until('otpRequested');
    mock.setFault('getAuthToken', { kind: 'delay', ms: 300 });
    const submitted = rejectionOf(session.submitOtp(otp()));
    await vi.waitFor(() => expect(mock.count('getAuthToken')).toBe(1), { timeout: 10_000 });
    await session.logout();
    expect(signals.at(-1)?.aborted).toBe(true);
    expect(await submitted).toMatchObject({ name: 'SessionStateError', operation: 'submitOtp' });
  });
});
