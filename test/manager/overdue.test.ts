import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, OTHER_GSTIN, USERNAME } from '../helpers/fixtures.js';

const HOUR = 3_600_000;
const LEAD = 10 * 60_000;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('sessions that fell due while no worker ran', () => {
  it('are refreshed at once when a manager starts again, while their tokens are valid', async () => {
    // Arrange: two sessions on a provider that refreshes; the manager stops.
    rig = await createTestRig({ provider: 'gstn', mock: { otpMode: 'sandbox' } });
    const store = memoryStore();
    const options = { store, reauth: 'auto' as const, refreshLeadMs: LEAD, refreshJitterMs: 0 };
    const first = rig.manager(options);
    for (const gstin of [GSTIN, OTHER_GSTIN]) {
      first.get(gstin, USERNAME).start();
      await first.submitOtp(gstin, USERNAME, '575757');
    }
    await first.close();
    // No worker runs through the lead time: 6 h less 5 minutes later, the tokens still live.
    rig.clock.advance(6 * HOUR - 5 * 60_000);

    // Act
    const second = rig.manager(options);
    await second.start();
    rig.clock.advance(0);

    // Assert: each refreshed, no new SMS.
    await vi.waitFor(() => expect(rig?.mock.count('refreshToken')).toBe(2), { timeout: 10_000 });
    expect(rig.mock.count('getOtp')).toBe(2);
    for (const gstin of [GSTIN, OTHER_GSTIN]) {
      const { expiresAt } = await second.credentials(gstin, USERNAME);
      expect(expiresAt).toBeGreaterThan(rig.clock.now() + 5 * HOUR);
    }
  });
});
