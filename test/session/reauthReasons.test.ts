import { afterEach, describe, expect, it } from 'vitest';
import { gstr3bSummary } from '../../src/reads/builders.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';
import { withoutRefresh } from '../helpers/overriding.js';

const HOUR = 3_600_000;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('ReauthenticationRequiredError', () => {
  it('says a session was never authenticated here, not that it expired', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = rig.manager({ reauth: 'manual' });

    // Act
    const error = await rejectionOf(manager.credentials(GSTIN, USERNAME));

    // Assert
    expect(error).toMatchObject({
      name: 'ReauthenticationRequiredError',
      reason: 'notAuthenticated',
    });
    expect(String((error as Error).message)).toMatch(/not authenticated here.*start/);
    expect(String((error as Error).message)).not.toContain('expired');
    expect(rig.mock.requests).toEqual([]);
  });

  it('says a token expired when it did', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({ provider: withoutRefresh(rig.provider), reauth: 'manual' });
    session.start();
    await session.submitOtp('575757');

    // Act
    rig.clock.advance(7 * HOUR);
    const error = await rejectionOf(session.credentials());

    // Assert
    expect(error).toMatchObject({ reason: 'expired' });
    expect(String((error as Error).message)).toContain('has expired');
  });

  it('says GSTN refused the token when a read was refused and no refresh can renew it', async () => {
    // Arrange
    rig = await createTestRig({ provider: 'gstn', mock: { otpMode: 'sandbox' } });
    const session = rig.session({ provider: withoutRefresh(rig.provider), reauth: 'manual' });
    session.start();
    const { authToken } = await session.submitOtp('575757');
    rig.mock.refuseReadsWith(authToken);

    // Act
    const error = await rejectionOf(session.call(gstr3bSummary('042024')));

    // Assert
    expect(error).toMatchObject({ reason: 'refused' });
    expect(String((error as Error).message)).toContain('GSTN refused the auth token');
    expect(rig.mock.count('getOtp')).toBe(1);
  });

  it('is not thrown in manual mode when a refresh renews a refused token: the read is retried', async () => {
    // Arrange
    rig = await createTestRig({ provider: 'gstn', mock: { otpMode: 'sandbox' } });
    const session = rig.session({ reauth: 'manual' });
    session.start();
    const { authToken } = await session.submitOtp('575757');
    rig.mock.refuseReadsWith(authToken);

    // Act
    const outcome = await session.call(gstr3bSummary('042024'));

    // Assert
    expect(outcome.kind).toBe('data');
    expect(rig.mock.count('refreshToken')).toBe(1);
    expect(rig.mock.count('getOtp')).toBe(1);
  });
});
