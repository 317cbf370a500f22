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

describe('credentials() of a session past its refresh time', () => {
  it('hands out the valid token at once and has it refreshed, with no SMS', async () => {
    // Arrange: an authenticated, dormant session; the machine is suspended past its lead time.
    rig = await createTestRig({ provider: 'gstn', mock: { otpMode: 'sandbox' } });
    const manager = rig.manager({ reauth: 'auto', refreshLeadMs: LEAD, refreshJitterMs: 0 });
    manager.get(GSTIN, USERNAME).start();
    const first = await manager.submitOtp(GSTIN, USERNAME, '575757');
    rig.clock.suspend(6 * HOUR - 5 * 60_000);

    // Act
    const served = await manager.credentials(GSTIN, USERNAME);
    rig.clock.advance(0);

    // Assert: the valid token first, then a refreshed one; one SMS in all.
    expect(served.authToken).toBe(first.authToken);
    await vi.waitFor(() => expect(rig?.mock.count('refreshToken')).toBe(1), { timeout: 10_000 });
    await vi.waitFor(
      async () =>
        expect((await manager.credentials(GSTIN, USERNAME)).expiresAt).toBeGreaterThan(
          first.expiresAt,
        ),
      { timeout: 10_000 },
    );
    expect(rig.mock.count('getOtp')).toBe(1);
  });

  it('of a live managed session is served from its machine, and follows its refresh', async () => {
    // Arrange: a manager that keeps sessions live (no dormancy).
    rig = await createTestRig({ provider: 'gstn', mock: { otpMode: 'sandbox' } });
    const manager = rig.manager({ dormant: false, refreshLeadMs: LEAD, refreshJitterMs: 0 });
    manager.get(GSTIN, USERNAME).start();
    const first = await manager.submitOtp(GSTIN, USERNAME, '575757');

    // Act: the lead time comes; the live machine refreshes.
    const before = await manager.credentials(GSTIN, USERNAME);
    rig.clock.advance(6 * HOUR - 5 * 60_000);
    await vi.waitFor(() => expect(rig?.mock.count('refreshToken')).toBe(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(manager.get(GSTIN, USERNAME).state).toBe('authenticated'));
    const after = await manager.credentials(GSTIN, USERNAME);

    // Assert
    expect(manager.list()[0]?.live).toBe(true);
    expect(before.authToken).toBe(first.authToken);
    expect(after.expiresAt).toBeGreaterThan(first.expiresAt);
  });
});
