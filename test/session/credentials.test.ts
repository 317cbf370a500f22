import { describe, expect, it, vi } from 'vitest';
import { InvalidInputError } from '../../src/errors/InvalidInputError.js';
import { SessionStateError } from '../../src/errors/SessionStateError.js';
import { TimeoutError } from '../../src/errors/TimeoutError.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';
import { useSessionFixture } from '../helpers/sessionFixture.js';

const start = useSessionFixture();

describe('GstrSession.credentials', () => {
  it('resolves at once when authenticated, without a request', async () => {
    const { session, mock, authenticate } = await start();
    await authenticate();
    const requests = mock.requests.length;
    const credentials = await session.credentials();
    expect(credentials).toMatchObject({
      provider: 'signzy',
      gstin: GSTIN,
      username: USERNAME,
      details: { patronId: 'patron-1' },
    });
    expect(mock.isAuthTokenValid(credentials.authToken)).toBe(true);
    expect(mock.requests.length).toBe(requests);
  });

  it('hands every caller of one token the same frozen object, which no caller can change', async () => {
    const { session, authenticate } = await start();
    await authenticate();
    const first = await session.credentials();
    expect(() => {
      (first as { authToken: string }).authToken = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (first.details as Record<string, unknown>).patronId = 'other';
    }).toThrow(TypeError);
    const second = await session.credentials();
    expect(second).toBe(first);
    expect(second.details).toMatchObject({ patronId: 'patron-1' });
  });

  it('waits through the OTP step and shares one flow between concurrent callers', async () => {
    const { session, mock, until, otp } = await start();
    session.start();
    const waiting = Promise.all([
      session.credentials(),
      session.credentials(),
      session.credentials(),
    ]);
    await until('otpRequested');
    await session.submitOtp(otp());
    const [a, b, c] = await waiting;
    expect(a).toEqual(b);
    expect(b).toEqual(c);
    expect([mock.count('login'), mock.count('getOtp'), mock.count('getAuthToken')]).toEqual([
      1, 1, 1,
    ]);
  });

  it('times out with a typed error instead of hanging', async () => {
    const { session, until, advance } = await start();
    session.start();
    await until('otpRequested');
    const pending = rejectionOf(session.credentials({ timeoutMs: 5_000 }));
    advance(5_000);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ step: 'session', timeoutMs: 5_000 });
  });

  it('stops waiting when its signal aborts', async () => {
    const { session, until } = await start();
    session.start();
    await until('otpRequested');
    const controller = new AbortController();
    const pending = rejectionOf(session.credentials({ signal: controller.signal }));
    controller.abort(new Error('caller gave up'));
    expect(await pending).toMatchObject({ message: 'caller gave up' });
    expect(session.state).toBe('otpRequested');
  });

  it('rejects waiters when the session is logged out or stopped', async () => {
    const { session, until } = await start();
    session.start();
    await until('otpRequested');
    const first = rejectionOf(session.credentials());
    await session.logout();
    expect(await first).toBeInstanceOf(SessionStateError);

    session.start();
    await until('otpRequested');
    const second = rejectionOf(session.credentials());
    session.stop();
    expect(await second).toMatchObject({ name: 'SessionStateError', state: 'otpRequested' });
    expect(() => session.start()).toThrow(SessionStateError);
    await expect(session.credentials()).rejects.toBeInstanceOf(SessionStateError);
  });

  it('rejects for a session that was never started', async () => {
    const { session, mock } = await start();
    await expect(session.credentials()).rejects.toMatchObject({
      name: 'SessionStateError',
      state: 'loggedOut',
    });
    expect(mock.requests).toHaveLength(0);
  });
});

describe('createGstrSession input', () => {
  it.each([
    [{ gstin: '27AAPFU0939F1ZX' }, 'gstin'],
    [{ username: '' }, 'username'],
    [{ maxOtpAttempts: 0 }, 'maxOtpAttempts'],
    [{ otpValidityMs: -1 }, 'otpValidityMs'],
    [{ reauth: 'sometimes' as 'auto' }, 'reauth'],
  ])('refuses %j with InvalidInputError before any request', async (override, field) => {
    const { mock, provider } = await start();
    const error = (() => {
      try {
        createGstrSession({ provider, gstin: GSTIN, username: USERNAME, ...override });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field });
    expect(mock.requests).toHaveLength(0);
  });

  it('normalises the GSTIN', async () => {
    const { provider } = await start();
    const session = createGstrSession({ provider, gstin: ' 27aapfu0939f1zv ', username: USERNAME });
    expect(session.gstin).toBe(GSTIN);
  });
});

describe('GstrSession.on', () => {
  it('delivers events after the state is committed, and survives a throwing handler', async () => {
    const { session, until, logs, otp } = await start();
    const seen: string[] = [];
    session.on('otp.required', () => {
      seen.push(session.state);
      throw new Error('handler bug');
    });
    session.start();
    await until('otpRequested');
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['otpRequested']);
    expect(logs.some((l) => l.includes('otp.required handler threw'))).toBe(true);
    await session.submitOtp(otp());
    expect(session.state).toBe('authenticated');
  });

  it('logs the rejection of an async handler instead of leaving it unhandled', async () => {
    const { session, until, logs } = await start();
    session.on('otp.required', async () => {
      await Promise.resolve();
      throw new Error('async handler bug');
    });
    session.start();
    await until('otpRequested');
    await vi.waitFor(() =>
      expect(logs.filter((l) => l.includes('otp.required handler threw'))).toHaveLength(1),
    );
  });

  it('stops delivering after unsubscribe', async () => {
    const { session, until } = await start();
    const seen: string[] = [];
    const off = session.on('otp.required', (e) => seen.push(e.reason));
    off();
    session.start();
    await until('otpRequested');
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);
  });
});
