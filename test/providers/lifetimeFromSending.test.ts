import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';

const HOUR = 3_600_000;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("a token's relative lifetime", () => {
  it('counts from when the request left, not when the answer came (a process suspended between)', async () => {
    // Arrange: Signzy answers `expiry` in minutes; the answer is slow.
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    // The rig runs Signzy by default: its client logs in by itself.
    const provider = rig.provider as SignzyClient;
    const challenge = await provider.requestOtp({ gstin: GSTIN, username: USERNAME });
    rig.mock.setFault('getAuthToken', { kind: 'delay', ms: 200, times: 1 });
    const sentAt = rig.clock.now();

    // Act: the wall clock jumps five minutes while the answer is on its way.
    const answering = provider.getAuthToken({
      gstin: GSTIN,
      username: USERNAME,
      otp: '575757',
      challenge,
    });
    await vi.waitFor(() => expect(rig?.mock.count('getAuthToken')).toBe(1));
    rig.clock.advance(5 * 60_000);
    const session = await answering;

    // Assert: never later than six hours after sending, when GSTN's token ends.
    expect(session.expiresAt).toBeLessThanOrEqual(sentAt + 6 * HOUR);
  });
});
