import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from 'xstate';
import { InvalidInputError } from '../../src/errors/InvalidInputError.js';
import { ReauthenticationRequiredError } from '../../src/errors/ReauthenticationRequiredError.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import type { GstrSession, GstrSessionOptions } from '../../src/session/types.js';
import { GSTIN, OTHER_GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';
import { type SessionFixture, startSessionFixture } from '../helpers/sessionFixture.js';

const HOUR = 3_600_000;

let f: SessionFixture | undefined;
const restoredSessions: GstrSession[] = [];
afterEach(async () => {
  for (const s of restoredSessions.splice(0)) s.stop();
  await f?.close();
  f = undefined;
});

/** A process restart: the old session stops, a new one is built from the saved JSON. */
function restart(fixture: SessionFixture, options: Partial<GstrSessionOptions> = {}): GstrSession {
  const saved: unknown = JSON.parse(JSON.stringify(fixture.session.persist()));
  fixture.session.stop();
  const session = createGstrSession({
    provider: fixture.provider,
    gstin: GSTIN,
    username: USERNAME,
    clock: fixture.clock,
    snapshot: saved,
    ...options,
  });
  restoredSessions.push(session);
  return session;
}

/** Waits (real time, bounded) until the mock has received a request on a route. */
async function arrived(fixture: SessionFixture, route: 'getOtp' | 'getAuthToken'): Promise<void> {
  await vi.waitFor(() => expect(fixture.mock.count(route)).toBeGreaterThan(0), {
    timeout: 10_000,
  });
}

async function until(session: GstrSession, state: string): Promise<void> {
  await waitFor(session.actor, (s) => s.value === state, { timeout: 5_000 });
}

describe('gstr session persistence', () => {
  it('resumes an authenticated session without a login or an OTP, timers re-armed', async () => {
    f = await startSessionFixture();
    await f.authenticate();
    const before = await f.session.credentials();

    const session = restart(f);
    session.start();
    const after = await session.credentials();

    expect(after).toEqual(before);
    expect(session.state).toBe('authenticated');
    expect([f.mock.count('login'), f.mock.count('getOtp')]).toEqual([1, 1]);
    f.advance(6 * HOUR);
    await until(session, 'otpRequested');
    expect(f.mock.count('getOtp')).toBe(2);
  });

  it('restores a session saved before its expiry, restarted after it, as expired', async () => {
    f = await startSessionFixture({ session: { reauth: 'manual' } });
    await f.authenticate();
    const saved = f.session.persist();
    f.session.stop();
    f.clock.suspend(7 * HOUR);
    const session = createGstrSession({
      provider: f.provider,
      gstin: GSTIN,
      username: USERNAME,
      clock: f.clock,
      snapshot: saved,
      reauth: 'manual',
    });
    restoredSessions.push(session);
    session.start();
    expect(session.state).toBe('expired');
    expect(session.snapshot.context.token).toBeUndefined();
    await expect(session.credentials()).rejects.toBeInstanceOf(ReauthenticationRequiredError);
    expect(f.mock.count('getOtp')).toBe(1);
  });

  it('re-arms the OTP validity timer of a restored otpRequested session and accepts the OTP', async () => {
    f = await startSessionFixture();
    f.session.start();
    await f.until('otpRequested');
    const otp = f.otp();
    const session = restart(f);
    session.start();
    expect(session.state).toBe('otpRequested');
    await session.submitOtp(otp);
    expect(session.state).toBe('authenticated');
    expect(f.mock.count('getOtp')).toBe(1);
  });

  it('expires a restored OTP at its original deadline', async () => {
    f = await startSessionFixture();
    f.session.start();
    await f.until('otpRequested');
    f.advance(9 * 60_000);
    const session = restart(f);
    session.start();
    f.advance(60_000 - 1);
    expect(session.state).toBe('otpRequested');
    f.advance(1);
    expect(session.state).toBe('otpExpired');
  });

  it('never sends a second OTP for a session saved while one was being requested', async () => {
    f = await startSessionFixture();
    f.mock.setFault('getOtp', { kind: 'delay', ms: 100, times: 1 });
    f.session.start();
    await f.until('requestingOtp');
    await arrived(f, 'getOtp');
    const session = restart(f);
    session.start();
    await waitFor(session.actor, (s) => s.value === 'otpExpired', { timeout: 10_000 });
    expect(session.snapshot.context.challenge).toBeUndefined();
    expect(f.mock.count('getOtp')).toBe(1);
    await session.resendOtp();
    expect(f.mock.count('getOtp')).toBe(2);
  });

  it('never replays an OTP for a session saved while it was being verified', async () => {
    f = await startSessionFixture();
    f.session.start();
    await f.until('otpRequested');
    f.mock.setFault('getAuthToken', { kind: 'delay', ms: 100, times: 1 });
    void f.session.submitOtp(f.otp()).catch(() => {});
    await f.until('verifyingOtp');
    await arrived(f, 'getAuthToken');
    const session = restart(f);
    session.start();
    await waitFor(session.actor, (s) => s.value === 'otpRequested', { timeout: 10_000 });
    expect(f.mock.count('getAuthToken')).toBe(1);
    expect(JSON.stringify(session.persist())).not.toContain('"otp"');
  });

  it('restores a failed session with its error', async () => {
    f = await startSessionFixture();
    f.mock.setFault('login', { kind: 'status', status: 401 });
    f.session.start();
    await f.until('failed');
    const session = restart(f);
    const error = await rejectionOf(session.credentials());
    expect((error as Error).message).toContain('UnauthorizedError');
    expect(session.state).toBe('failed');
  });

  it('restores a logged-out session to nothing at all', async () => {
    f = await startSessionFixture();
    await f.authenticate();
    await f.session.logout();
    const saved = f.session.persist();
    expect(saved).not.toHaveProperty('token');
    expect(saved).not.toHaveProperty('access');
    expect(saved.state).toBe('loggedOut');
  });

  it.each([
    ['a foreign object', { hello: 'world' }],
    ['another version', { version: 2 }],
    ['a string', 'authenticated'],
  ])('refuses %s as a snapshot with a typed error', async (_, snapshot) => {
    const fixture = await startSessionFixture();
    f = fixture;
    expect(() =>
      createGstrSession({ provider: fixture.provider, gstin: GSTIN, username: USERNAME, snapshot }),
    ).toThrow(InvalidInputError);
  });

  it("refuses another GSTIN's snapshot", async () => {
    f = await startSessionFixture();
    await f.authenticate();
    const saved = f.session.persist();
    const error = (() => {
      try {
        createGstrSession({
          provider: f.provider,
          gstin: OTHER_GSTIN,
          username: USERNAME,
          snapshot: saved,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain('same GSTIN');
  });
});
