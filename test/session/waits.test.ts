import { describe, expect, it } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { rejectionOf } from '../helpers/fixtures.js';
import { useSessionFixture } from '../helpers/sessionFixture.js';

describe('the waits of a session', () => {
  const start = useSessionFixture();

  it('sends no OTP when submitOtp is given a signal that already aborted', async () => {
    const f = await start();
    f.session.start();
    await f.until('otpRequested');
    const reason = new Error('the person closed the dialog');
    const error = await rejectionOf(
      f.session.submitOtp(f.otp(), { signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
    expect(f.mock.count('getAuthToken')).toBe(0);
    expect(f.session.state).toBe('otpRequested');
  });

  it('bounds logout() by its timeoutMs while the provider hangs', async () => {
    const f = await start();
    await f.authenticate();
    f.mock.setFault('logout', { kind: 'hang' });
    const pending = rejectionOf(f.session.logout({ timeoutMs: 1_000 }));
    f.advance(1_000);
    const error = await pending;
    expect(isGstrError(error, 'TimeoutError')).toBe(true);
    f.mock.release();
  });

  it('refuses a wait option that is not one before anything is sent', async () => {
    const f = await start();
    f.session.start();
    await f.until('otpRequested');
    const error = await rejectionOf(f.session.submitOtp(f.otp(), { timeoutMs: -1 }));
    expect(isGstrError(error, 'InvalidInputError')).toBe(true);
    expect(f.mock.count('getAuthToken')).toBe(0);
  });

  it('resolves once() with the next event of its type', async () => {
    const f = await start();
    const next = f.session.once('otp.required');
    f.session.start();
    const event = await next;
    expect(event).toMatchObject({ type: 'otp.required', reason: 'initial' });
  });

  it('rejects once() on abort and after its timeout', async () => {
    const f = await start();
    const controller = new AbortController();
    const aborted = rejectionOf(f.session.once('session.loggedOut', { signal: controller.signal }));
    controller.abort(new Error('stop waiting'));
    expect(((await aborted) as Error).message).toBe('stop waiting');
    const timedOut = rejectionOf(f.session.once('session.loggedOut', { timeoutMs: 500 }));
    f.advance(500);
    expect(isGstrError(await timedOut, 'TimeoutError')).toBe(true);
  });

  it('stops at the end of an `await using` scope', async () => {
    const f = await start();
    await f.authenticate();
    await f.session[Symbol.asyncDispose]();
    expect(f.session.actor.getSnapshot().status).toBe('stopped');
    expect(() => f.session.checkClock()).toThrow(/stopped/);
  });
});
