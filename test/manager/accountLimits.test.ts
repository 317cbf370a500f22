import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { rejectionOf, USERNAME, VALID_GSTINS } from '../helpers/fixtures.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('the account limits of a manager', () => {
  it('keeps at most maxInFlight auth requests in flight; the rest wait their turn, none is lost', async () => {
    // Arrange: the provider holds every OTP request until told.
    rig = await createTestRig({ provider: 'sandbox', mock: { otpMode: 'sandbox' } });
    const manager = rig.manager({ limits: { maxInFlight: 3, breakerFaults: 0 } });
    rig.mock.setFault('getOtp', { kind: 'hang' });

    // Act: eight taxpayers ask for an OTP at once.
    for (const gstin of VALID_GSTINS) manager.get(gstin, USERNAME).start();

    // Assert: three reach the provider; as they end, the next three go; then the rest.
    await vi.waitFor(() => expect(rig?.mock.hanging()).toBe(3));
    for (const gstin of VALID_GSTINS)
      await vi.waitFor(() => expect(manager.get(gstin, USERNAME).state).toBe('requestingOtp'));
    expect(rig.mock.count('getOtp')).toBe(3);
    rig.mock.release(503);
    await vi.waitFor(() => expect(rig?.mock.count('getOtp')).toBe(6));
    expect(rig.mock.hanging()).toBe(3);
    rig.mock.setFault('getOtp', undefined);
    rig.mock.release(503);
    await vi.waitFor(() => expect(rig?.mock.count('getOtp')).toBe(8));
  });

  it('opens the circuit breaker after breakerFaults outages in a row: calls fail fast, sending nothing, until a probe answers', async () => {
    // Arrange
    rig = await createTestRig({
      provider: 'sandbox',
      mock: { otpMode: 'sandbox' },
      providerOptions: { retry: { limit: 0 } },
    });
    const manager = rig.manager({
      reauth: 'auto',
      limits: { breakerFaults: 2, breakerOpenMs: 60_000 },
    });
    rig.mock.setFault('getOtp', { kind: 'status', status: 503 });
    const [a, b, c, d] = VALID_GSTINS;
    for (const gstin of [a, b])
      expect(await rejectionOf(manager.credentials(gstin, USERNAME))).toMatchObject({
        name: 'ProviderUnavailableError',
        circuitOpen: false,
      });
    const sent = rig.mock.count('getOtp');

    // Act: a third taxpayer while the breaker is open.
    const refused = await rejectionOf(manager.credentials(c, USERNAME));

    // Assert: no request; the error says when to come back.
    expect(refused).toMatchObject({
      name: 'ProviderUnavailableError',
      code: 'GSTR_PROVIDER_UNAVAILABLE',
      circuitOpen: true,
    });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(String(refused)).toMatch(/circuit breaker is open/);
    expect(rig.mock.count('getOtp')).toBe(sent);

    // The provider is back; once the open time is over, a probe goes out and closes it.
    rig.mock.setFault('getOtp', undefined);
    rig.clock.advance(60_000);
    manager.get(d, USERNAME).start();
    await vi.waitFor(() => expect(manager.get(d, USERNAME).state).toBe('otpRequested'));
    manager.get(c, USERNAME).start();
    await vi.waitFor(() => expect(manager.get(c, USERNAME).state).toBe('otpRequested'));
    expect(rig.mock.count('getOtp')).toBe(sent + 2);
  });

  it('holds every session after a rate limit for as long as the provider asked', async () => {
    // Arrange: one OTP request is answered 429, come back in 30 s.
    rig = await createTestRig({
      provider: 'sandbox',
      mock: { otpMode: 'sandbox' },
      providerOptions: { retry: { limit: 0 } },
    });
    const manager = rig.manager({ reauth: 'auto' });
    rig.mock.setFault('getOtp', {
      kind: 'status',
      status: 429,
      retryAfterSeconds: 30,
      times: 1,
    });
    const [a, b] = VALID_GSTINS;
    expect(await rejectionOf(manager.credentials(a, USERNAME))).toMatchObject({
      name: 'RateLimitedError',
    });

    const limitedAt = rig.clock.now();

    // Act: another taxpayer asks at once; time passes a second at a time.
    manager.get(b, USERNAME).start();
    await vi.waitFor(() => {
      rig?.clock.advance(1_000);
      expect(rig?.mock.count('getOtp')).toBe(2);
    }, 10_000);

    // Assert: the second request reached the provider no sooner than it asked.
    const [, second] = rig.mock.requests.filter((request) => request.route === 'getOtp');
    expect((second?.at ?? 0) - limitedAt).toBeGreaterThanOrEqual(30_000);
  });

  it('checks its options before any request', async () => {
    rig = await createTestRig({ provider: 'sandbox' });
    expect(() => rig?.manager({ limits: { maxInFlight: 0 } })).toThrow(/maxInFlight/);
    expect(() => rig?.manager({ limits: { ratePerSecond: -1 } })).toThrow(/ratePerSecond/);
    expect(rig.mock.requests).toHaveLength(0);
  });
});
