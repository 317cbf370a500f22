import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors/InvalidInputError.js';
import { OtpAttemptsExceededError } from '../../src/errors/OtpAttemptsExceededError.js';
import { OtpExpiredError } from '../../src/errors/OtpExpiredError.js';
import { OtpRejectedError } from '../../src/errors/OtpRejectedError.js';
import { OtpResendRefusedError } from '../../src/errors/OtpResendRefusedError.js';
import { SessionStateError } from '../../src/errors/SessionStateError.js';
import { rejectionOf } from '../helpers/fixtures.js';
import {
  type SessionFixture,
  type SessionFixtureOptions,
  startSessionFixture,
} from '../helpers/sessionFixture.js';

let f: SessionFixture | undefined;
async function started(options?: SessionFixtureOptions): Promise<SessionFixture> {
  f = await startSessionFixture(options);
  f.session.start();
  await f.until('otpRequested');
  return f;
}
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('GstrSession.submitOtp before the OTP request is answered', () => {
  it('waits for the OTP request, then submits', async () => {
    f = await startSessionFixture({ mock: { otpMode: 'sandbox' } });
    f.session.start();
    const credentials = await f.session.submitOtp('575757');
    expect(f.mock.isAuthTokenValid(credentials.authToken)).toBe(true);
    expect(f.mock.count('getOtp')).toBe(1);
  });

  it('rejects with the failure when the login fails meanwhile', async () => {
    f = await startSessionFixture({ mock: { otpMode: 'sandbox' } });
    f.mock.setFault('login', { kind: 'status', status: 401 });
    f.session.start();
    await expect(f.session.submitOtp('575757')).rejects.toMatchObject({
      name: 'UnauthorizedError',
      step: 'login',
    });
    expect(f.mock.count('getAuthToken')).toBe(0);
  });
});

describe('gstr session OTP handling', () => {
  it('asks again after a wrong OTP, counting the attempt and keeping the error', async () => {
    const { session, wrongOtp, otp, events, mock } = await started();
    const error = await rejectionOf(session.submitOtp(wrongOtp()));
    expect(error).toBeInstanceOf(OtpRejectedError);
    expect(session.state).toBe('otpRequested');
    expect(session.snapshot.context.otpAttempts).toBe(1);
    expect(session.snapshot.context.error).toBe(error);
    expect(events.at(-1)).toMatchObject({
      type: 'otp.required',
      reason: 'rejected',
      attemptsLeft: 2,
    });
    await session.submitOtp(otp());
    expect(session.state).toBe('authenticated');
    expect(session.snapshot.context.otpAttempts).toBe(0);
    expect(mock.count('getOtp')).toBe(1);
  });

  it('stops asking after maxOtpAttempts wrong OTPs', async () => {
    const { session, wrongOtp, mock, events } = await started({ session: { maxOtpAttempts: 2 } });
    await rejectionOf(session.submitOtp(wrongOtp()));
    const error = await rejectionOf(session.submitOtp(wrongOtp()));
    expect(error).toBeInstanceOf(OtpAttemptsExceededError);
    expect(error).toMatchObject({ attempts: 2 });
    expect((error as Error).cause).toBeInstanceOf(OtpRejectedError);
    expect(session.state).toBe('failed');
    expect(mock.count('getAuthToken')).toBe(2);
    expect(events.slice(-2)).toMatchObject([
      { type: 'session.failed' },
      { type: 'reauth.required', reason: 'refused', error: { name: 'OtpAttemptsExceededError' } },
    ]);
    const later = await rejectionOf(session.credentials());
    expect(later).toBe(error);
  });

  it('starts over from failed with a new login and OTP', async () => {
    const { session, wrongOtp, mock, until, otp } = await started({
      session: { maxOtpAttempts: 1 },
    });
    await rejectionOf(session.submitOtp(wrongOtp()));
    session.start();
    await until('otpRequested');
    await session.submitOtp(otp());
    expect(mock.count('login')).toBe(2);
    expect(mock.count('getOtp')).toBe(2);
  });

  it('refuses a malformed OTP before any request, in the facade and in the machine', async () => {
    const { session, mock, events } = await started();
    const error = await rejectionOf(session.submitOtp('12 34'));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'otp' });
    session.actor.send({ type: 'otp.submit', otp: '12ab56' });
    expect(session.state).toBe('otpRequested');
    expect(session.snapshot.context.error).toMatchObject({
      name: 'InvalidInputError',
      field: 'otp',
    });
    expect(events.at(-1)).toMatchObject({ type: 'session.error' });
    expect(mock.count('getAuthToken')).toBe(0);
  });

  it('refuses a second submit while one is being verified', async () => {
    const { session, mock, otp } = await started();
    mock.setFault('getAuthToken', { kind: 'delay', ms: 100, times: 1 });
    const first = session.submitOtp(otp());
    const second = await rejectionOf(session.submitOtp(otp()));
    expect(second).toBeInstanceOf(SessionStateError);
    await first;
    expect(mock.count('getAuthToken')).toBe(1);
  });

  it('keeps the OTP round open after a transport error, without counting an attempt', async () => {
    const { session, mock, otp } = await started();
    mock.setFault('getAuthToken', { kind: 'status', status: 503, times: 1 });
    const error = await rejectionOf(session.submitOtp(otp()));
    expect(error).toMatchObject({ name: 'ProviderUnavailableError', status: 503 });
    expect(session.state).toBe('otpRequested');
    expect(session.snapshot.context.otpAttempts).toBe(0);
    await session.submitOtp(otp());
    expect(session.state).toBe('authenticated');
  });

  it('refuses a resend within the cooldown, allows it after, and stops at the limit', async () => {
    const { session, mock, advance } = await started({
      session: { otpResendCooldownMs: 30_000, maxOtpResends: 1 },
    });
    const early = await rejectionOf(session.resendOtp());
    expect(early).toBeInstanceOf(OtpResendRefusedError);
    expect(early).toMatchObject({ reason: 'cooldown', retryAfterMs: 30_000 });
    expect(mock.count('getOtp')).toBe(1);

    advance(30_000);
    await session.resendOtp();
    expect(mock.count('getOtp')).toBe(2);
    expect(session.snapshot.context.otpResends).toBe(1);

    advance(30_000);
    const limit = await rejectionOf(session.resendOtp());
    expect(limit).toMatchObject({ name: 'OtpResendRefusedError', reason: 'limit' });
    expect(mock.count('getOtp')).toBe(2);
  });

  it('makes the previous OTP useless after a resend, and the new one work', async () => {
    const { session, otp, advance } = await started();
    const old = otp();
    advance(30_000);
    await session.resendOtp();
    const fresh = otp();
    if (old !== fresh) {
      await expect(session.submitOtp(old)).rejects.toBeInstanceOf(OtpRejectedError);
    }
    await session.submitOtp(fresh);
    expect(session.state).toBe('authenticated');
  });

  it('keeps waiting for the valid OTP when a resend fails', async () => {
    const { session, mock, advance, otp } = await started();
    const pending = otp();
    advance(30_000);
    mock.setFault('getOtp', { kind: 'status', status: 500, times: 1 });
    const error = await rejectionOf(session.resendOtp());
    expect(error).toMatchObject({ status: 500 });
    expect(session.state).toBe('otpRequested');
    await session.submitOtp(pending);
    expect(session.state).toBe('authenticated');
  });

  it('expires the OTP after its validity and refuses it without a request', async () => {
    const { session, advance, otp, mock, events } = await started();
    const sms = otp();
    advance(10 * 60_000 - 1);
    expect(session.state).toBe('otpRequested');
    advance(1);
    expect(session.state).toBe('otpExpired');
    expect(events.at(-1)).toMatchObject({ type: 'otp.expired' });
    await expect(session.submitOtp(sms)).rejects.toBeInstanceOf(OtpExpiredError);
    await expect(session.credentials()).rejects.toBeInstanceOf(OtpExpiredError);
    expect(mock.count('getAuthToken')).toBe(0);

    await session.resendOtp();
    expect(events.at(-1)).toMatchObject({ type: 'otp.required', reason: 'resend' });
    await session.submitOtp(otp());
    expect(session.state).toBe('authenticated');
  });

  it('does not send an SMS by itself when an OTP expires, even in auto mode', async () => {
    const { session, advance, mock } = await started({ session: { reauth: 'auto' } });
    advance(60 * 60_000);
    expect(session.state).toBe('otpExpired');
    expect(mock.count('getOtp')).toBe(1);
  });

  it('opens a new round from otpExpired on reauthenticate, resetting the counters', async () => {
    const { session, advance, mock, until } = await started({ session: { maxOtpResends: 0 } });
    advance(10 * 60_000);
    await expect(session.resendOtp()).rejects.toMatchObject({ reason: 'limit' });
    session.reauthenticate();
    await until('otpRequested');
    expect(mock.count('getOtp')).toBe(2);
  });
});
