import { afterEach, describe, expect, it } from 'vitest';
import { gstr3bSummary } from '../../src/reads/builders.js';
import type { GstrSession } from '../../src/session/types.js';
import { MOCK_FACES, type MockFaceName } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { withoutRefresh } from '../helpers/overriding.js';

const READS = 100;
/** Every provider of the registry: a new one joins these tests by itself. */
const FACES = MOCK_FACES;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function authenticatedSession(
  face: MockFaceName,
  refresh: boolean,
): Promise<{ rig: TestRig; session: GstrSession }> {
  rig = await createTestRig({
    provider: face,
    mock: { otpMode: 'sandbox', ...(refresh ? { refreshTask: 'refreshAuthToken' } : {}) },
  });
  const session = rig.session({
    provider: refresh ? rig.provider : withoutRefresh(rig.provider),
    reauth: 'auto',
  });
  session.start();
  await session.submitOtp('575757');
  return { rig, session };
}

/** Sends `READS` reads at once with a token GSTN now refuses for reads (a new one reads). */
async function concurrentReadsRefusedOnce(r: TestRig, session: GstrSession) {
  r.mock.refuseReadsWith((await session.credentials()).authToken);
  return Array.from({ length: READS }, () =>
    session.call(gstr3bSummary('042024'), { waitTimeoutMs: 10_000 }),
  );
}

describe('concurrent token refusals', () => {
  it.each(FACES)('cost one refresh and one retry per read when %s can refresh', async (face) => {
    // Arrange
    const { rig: r, session } = await authenticatedSession(face, true);
    const expired: unknown[] = [];
    session.on('session.expired', (event) => expired.push(event));
    const before = { otp: r.mock.count('getOtp'), calls: r.mock.count('call') };

    // Act
    const outcomes = await Promise.all(await concurrentReadsRefusedOnce(r, session));

    // Assert
    expect(outcomes.map((o) => o.kind)).toEqual(Array.from({ length: READS }, () => 'data'));
    expect(r.mock.count('refreshToken')).toBe(1);
    expect(r.mock.count('getOtp')).toBe(before.otp);
    expect(r.mock.count('call') - before.calls).toBe(2 * READS);
    expect(session.state).toBe('authenticated');
    expect(expired).toEqual([]);
  });

  it.each(FACES)(
    'cost one OTP round when %s cannot refresh, and every read returns after it',
    async (face) => {
      // Arrange
      const { rig: r, session } = await authenticatedSession(face, false);
      const otpRequests = r.mock.count('getOtp');
      const required: unknown[] = [];
      session.on('otp.required', (event) => required.push(event));

      // Act: every read is refused; the person types the one new OTP when asked.
      const reads = await concurrentReadsRefusedOnce(r, session);
      await session.once('otp.required', { timeoutMs: 10_000 });
      await session.submitOtp('575757');
      const outcomes = await Promise.all(reads);

      // Assert
      expect(outcomes.map((o) => o.kind)).toEqual(Array.from({ length: READS }, () => 'data'));
      expect(r.mock.count('getOtp') - otpRequests).toBe(1);
      expect(required).toHaveLength(1);
      expect(session.state).toBe('authenticated');
    },
  );

  it('leaves a session that refreshed alone when a read of its old token is refused late', async () => {
    // Arrange
    const { rig: r, session } = await authenticatedSession('signzy', true);
    const old = (await session.credentials()).authToken;
    session.reportTokenRejected(old);
    await session.once('session.authenticated', { timeoutMs: 10_000 });
    const renewed = (await session.credentials()).authToken;

    // Act: a refusal of the replaced token arrives after the refresh.
    session.reportTokenRejected(old);

    // Assert
    expect(renewed).not.toBe(old);
    expect(session.state).toBe('authenticated');
    expect((await session.credentials()).authToken).toBe(renewed);
    expect(r.mock.count('refreshToken')).toBe(1);
  });
});

describe('reads and the access token', () => {
  it('renew an access token inside the skew before the read, as the chart steps do', async () => {
    // Arrange: Signzy's access token lives an hour; renewed 10 minutes before its end.
    rig = await createTestRig({ mock: { otpMode: 'sandbox', accessTokenTtlSeconds: 3_600 } });
    const session = rig.session({ accessTokenSkewMs: 10 * 60_000 });
    session.start();
    await session.submitOtp('575757');
    const logins = rig.mock.count('login');

    // Act: 55 minutes on, the access token is still valid but inside the skew.
    rig.clock.advance(55 * 60_000);
    const outcome = await session.call(gstr3bSummary('042024'));

    // Assert
    expect(outcome.kind).toBe('data');
    expect(rig.mock.count('login')).toBe(logins + 1);
  });
});
