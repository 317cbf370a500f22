import { afterEach, describe, expect, it } from 'vitest';
import { MOCK_DEFAULT_ACCOUNT } from '../../src/testing/mock/types.js';
import { rejectionOf } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';
import { type SessionFixture, startSessionFixture } from '../helpers/sessionFixture.js';

let f: SessionFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('gstr session secrets', () => {
  it('never reach logs, inspection events, emitted events or errors', async () => {
    // Arrange
    f = await startSessionFixture();
    const { session, until, otp, wrongOtp, advance, logs, inspected, events } = f;
    const secrets = new Set<string>([MOCK_DEFAULT_ACCOUNT.password]);
    const remember = () => {
      const c = session.snapshot.context;
      const held = [
        c.access?.accessToken,
        c.token?.authToken,
        ...Object.values(c.challenge?.secrets ?? {}),
        ...Object.values(c.token?.secrets ?? {}),
      ];
      for (const s of held) if (s) secrets.add(s);
    };
    const errors: unknown[] = [];

    // Act: a life with a wrong OTP, an expiry, a re-authentication and a logout
    session.start();
    await until('otpRequested');
    remember();
    const wrong = wrongOtp();
    secrets.add(wrong);
    errors.push(await rejectionOf(session.submitOtp(wrong)));
    const right = otp();
    secrets.add(right);
    await session.submitOtp(right);
    remember();
    advance(6 * 3_600_000);
    await until('otpRequested');
    remember();
    const second = otp();
    secrets.add(second);
    await session.submitOtp(second);
    remember();
    await session.logout();

    // Assert: the channels carried the flow, and none carried a secret
    expect(inspected.some((e) => e.includes('"otp.submit"'))).toBe(true);
    expect(inspected.some((e) => e.includes('[redacted]'))).toBe(true);
    expect(logs.some((l) => l.includes('verifyingOtp -> authenticated'))).toBe(true);
    const channels = [
      ...logs,
      ...inspected,
      JSON.stringify(events),
      ...errors.map((e) => `${String(e)} ${JSON.stringify(e)}`),
    ];
    expect(secrets.size).toBeGreaterThanOrEqual(9);
    expect(leakedSecrets(channels.join('\n'), secrets)).toEqual([]);
  });
});
