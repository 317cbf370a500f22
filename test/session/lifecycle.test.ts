import { describe, expect, it } from 'vitest';
import { ReauthenticationRequiredError } from '../../src/errors/ReauthenticationRequiredError.js';
import { rejectionOf } from '../helpers/fixtures.js';
import { type SessionFixture, T0, useSessionFixture } from '../helpers/sessionFixture.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

const start = useSessionFixture();

describe('gstr session lifecycle', () => {
  it('lives a whole life: login, OTP, authenticated, expired, re-authenticated, logged out', async () => {
    // Arrange
    const { session, mock, until, advance, otp, events } = await start();

    // Act: first authentication
    session.start();
    expect(session.state).toBe('loggingIn');
    await until('otpRequested');
    const first = await session.submitOtp(otp());

    // Assert: a token for 6 hours from now, one login, one SMS
    expect(session.state).toBe('authenticated');
    expect(first.expiresAt).toBe(T0 + 6 * HOUR);
    expect(mock.isAuthTokenValid(first.authToken)).toBe(true);
    expect([mock.count('login'), mock.count('getOtp'), mock.count('getAuthToken')]).toEqual([
      1, 1, 1,
    ]);

    // Act: six hours pass (simulated)
    advance(6 * HOUR - 5 * MINUTE);
    expect(events.map((e) => e.type)).toContain('session.expiring');
    expect(session.state).toBe('authenticated');
    advance(5 * MINUTE);

    // Assert: expired, token dropped, a second OTP requested by itself (auto mode)
    expect(events.map((e) => e.type)).toContain('session.expired');
    await until('otpRequested');
    expect(session.snapshot.context.token).toBeUndefined();
    expect(mock.count('getOtp')).toBe(2);
    expect(
      events
        .filter((e) => e.type === 'otp.required')
        .map((e) => (e.type === 'otp.required' ? e.reason : '')),
    ).toEqual(['initial', 'expired']);

    // Act: re-authenticate
    const second = await session.submitOtp(otp());
    expect(second.authToken).not.toBe(first.authToken);
    expect(second.expiresAt).toBe(T0 + 12 * HOUR);
    expect(mock.count('login')).toBe(1);

    // Act: log out
    await session.logout();
    expect(session.state).toBe('loggedOut');
    expect(mock.count('logout')).toBe(1);
    const { access, token, challenge, endingToken } = session.snapshot.context;
    expect([access, token, challenge, endingToken]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(events.at(-1)?.type).toBe('session.loggedOut');
  });

  it('emits session.expiring at the lead time and not before', async () => {
    const { session, advance, authenticate, events } = await start({
      session: { refreshLeadMs: 10 * MINUTE, refreshJitterMs: 0 },
    });
    await authenticate();
    advance(6 * HOUR - 10 * MINUTE - 1);
    expect(events.some((e) => e.type === 'session.expiring')).toBe(false);
    advance(1);
    expect(events.filter((e) => e.type === 'session.expiring')).toEqual([
      { type: 'session.expiring', gstin: session.gstin, expiresAt: T0 + 6 * HOUR },
    ]);
    expect(session.state).toBe('authenticated');
  });

  it('waits for a person in manual mode, and credentials() says so at once', async () => {
    const { session, mock, advance, authenticate, until, otp } = await start({
      session: { reauth: 'manual' },
    });
    await authenticate();
    advance(6 * HOUR);
    expect(session.state).toBe('expired');
    expect(mock.count('getOtp')).toBe(1);
    const error = await rejectionOf(session.credentials());
    expect(error).toBeInstanceOf(ReauthenticationRequiredError);

    session.reauthenticate();
    await until('otpRequested');
    expect(mock.count('getOtp')).toBe(2);
    await session.submitOtp(otp());
    expect(session.state).toBe('authenticated');
  });

  it('treats a token GSTN refused as expired', async () => {
    const { session, authenticate, until, events, mock } = await start();
    await authenticate();
    session.reportTokenRejected();
    expect(events.find((e) => e.type === 'session.expired')).toMatchObject({ reason: 'rejected' });
    await until('otpRequested');
    expect(mock.count('getOtp')).toBe(2);
  });

  it('refreshes before expiry without an OTP when the provider can', async () => {
    const { session, authenticate, advance, until, mock, events } = await start({
      refreshTask: 'refreshAuthToken',
    });
    const first = await (async () => {
      await authenticate();
      return session.credentials();
    })();
    advance(6 * HOUR - 5 * MINUTE);
    await until('authenticated');
    await waitForToken(session, first.authToken);
    const refreshed = await session.credentials();
    expect(refreshed.authToken).not.toBe(first.authToken);
    expect(refreshed.expiresAt).toBe(T0 + 6 * HOUR - 5 * MINUTE + 6 * HOUR);
    expect(mock.count('refreshToken')).toBe(1);
    expect(mock.count('getOtp')).toBe(1);
    expect(events.find((e) => e.type === 'session.authenticated' && e.refreshed)).toBeDefined();
  });

  it('hands out the current token while a refresh is under way', async () => {
    const { session, authenticate, advance, until, mock } = await start({
      refreshTask: 'refreshAuthToken',
    });
    await authenticate();
    const before = await session.credentials();
    mock.setFault('refreshToken', { kind: 'hang', times: 1 });
    advance(6 * HOUR - 5 * MINUTE);
    await until('refreshing');
    expect(await session.credentials()).toEqual(before);
    mock.release(503);
    await waitForError(session);
  });

  it('keeps the token until expiry when a refresh fails and no retry is left, then re-authenticates', async () => {
    const { session, authenticate, advance, until, mock, events } = await start({
      refreshTask: 'refreshAuthToken',
      session: { maxRefreshRetries: 0 },
    });
    await authenticate();
    mock.setFault('refreshToken', { kind: 'status', status: 500 });
    advance(6 * HOUR - 5 * MINUTE);
    await waitForError(session);
    expect(session.state).toBe('authenticated');
    expect(session.snapshot.context.refreshFailed).toBe(true);
    expect(events.filter((e) => e.type === 'refresh.failed')).toHaveLength(1);
    advance(4 * MINUTE);
    expect(mock.count('refreshToken')).toBe(1);
    advance(MINUTE);
    await until('otpRequested');
    expect(events.some((e) => e.type === 'session.expired')).toBe(true);
    expect(mock.count('getOtp')).toBe(2);
  });

  it('acts at its next clock check after a sleep past expiry', async () => {
    const { session, clock, authenticate, mock } = await start({ session: { reauth: 'manual' } });
    await authenticate();
    // Act: the wall clock jumps 7 h while no timer runs (a suspended laptop).
    clock.suspend(7 * HOUR);
    expect(session.state).toBe('authenticated');
    clock.advance(1);
    // Assert: the first timer to run after waking compares with the wall clock.
    expect(session.state).toBe('expired');
    expect(mock.count('getOtp')).toBe(1);
  });

  it('refuses credentials past expiry even before a timer fires', async () => {
    const { session, mock, authenticate, clock } = await start({ session: { reauth: 'manual' } });
    await authenticate();
    clock.suspend(7 * HOUR);
    const error = await rejectionOf(session.credentials());
    expect(error).toBeInstanceOf(ReauthenticationRequiredError);
    expect(session.state).toBe('expired');
    expect(mock.count('getOtp')).toBe(1);
  });

  it('clamps a 30-day token timer to what setTimeout honours', async () => {
    const { session, authenticate, advance, clock } = await start({
      mock: { tokenLifetime: 30 * 24 * 60 },
      session: { clockCheckMs: 365 * 24 * HOUR, reauth: 'manual', refreshLeadMs: 0 },
    });
    const delays: number[] = [];
    const original = clock.setTimeout.bind(clock);
    clock.setTimeout = (fn: (...args: unknown[]) => void, ms: number) => {
      delays.push(ms);
      return original(fn, ms);
    };
    await authenticate();
    advance(2 ** 31 - 1);
    expect(session.state).toBe('authenticated');
    advance(30 * 24 * HOUR - (2 ** 31 - 1));
    expect(session.state).toBe('expired');
    expect(Math.max(...delays)).toBe(2 ** 31 - 1);
  });
});

async function waitForToken(session: SessionFixture['session'], old: string): Promise<void> {
  const { waitFor } = await import('xstate');
  await waitFor(
    session.actor,
    (s) => s.value === 'authenticated' && s.context.token?.authToken !== old,
    { timeout: 5_000 },
  );
}

/** Waits until a refresh failed: the session keeps its token, with a retry planned or none left. */
async function waitForError(session: SessionFixture['session']): Promise<void> {
  const { waitFor } = await import('xstate');
  await waitFor(
    session.actor,
    (s) =>
      s.value === 'authenticated' &&
      (s.context.refreshFailed || s.context.refreshRetryAt !== undefined),
    { timeout: 5_000 },
  );
}
