import { inspect } from 'node:util';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { GstrProviderSchema } from '../../src/providers/contractSchemas.js';
import { NicClient } from '../../src/providers/nic/NicClient.js';
import { gstr3bSummary } from '../../src/reads/builders.js';
import { ewayBill, irnDetails } from '../../src/reads/nicBuilders.js';
import { memoryFleetStore } from '../../src/testing/fleet/memoryFleetStore.js';
import { MOCK_NIC_ACCOUNT } from '../../src/testing/mock/nicFace.js';
import { MOCK_NIC_FACES } from '../../src/testing/mock/types.js';
import {
  createTestRig,
  RIG_GSTIN,
  RIG_USERNAME,
  type TestRig,
} from '../../src/testing/rig/createTestRig.js';
import { eventually } from '../fleet/workers.js';
import { rejectionOf } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe.each(MOCK_NIC_FACES)('the %s provider', (service) => {
  it('authenticates with the password alone: no OTP round, a 32-byte SEK, a six-hour token', async () => {
    // Arrange
    rig = await createTestRig({ provider: service });
    const session = rig.session();
    const otpAsked: unknown[] = [];
    session.on('otp.required', (event) => otpAsked.push(event));

    // Act
    session.start();
    const credentials = await session.credentials();

    // Assert
    expect(session.state).toBe('authenticated');
    expect(otpAsked).toEqual([]);
    expect(rig.mock.count('authenticate')).toBe(1);
    expect(rig.mock.count('getOtp')).toBe(0);
    expect(Buffer.from(credentials.secrets.sek ?? '', 'base64')).toHaveLength(32);
    expect(credentials.expiresAt - rig.clock.now()).toBeGreaterThan(6 * HOUR - MINUTE);
    expect(credentials.expiresAt - rig.clock.now()).toBeLessThanOrEqual(6 * HOUR);
    expect(rig.mock.isAuthTokenValid(credentials.authToken)).toBe(true);
  });

  it('renews by itself in manual mode too, without a person and without reauth.required', async () => {
    // Arrange: a manager in its default mode (manual), which waits for a person on OTP providers
    rig = await createTestRig({ provider: service });
    const manager = rig.manager();
    const needed: unknown[] = [];
    manager.on('reauth.required', (event) => needed.push(event));
    const first = await manager.credentials(RIG_GSTIN, RIG_USERNAME);

    // Act: past the token's end
    rig.clock.advance(6 * HOUR + MINUTE);
    await eventually(async () => {
      const now = await manager.credentials(RIG_GSTIN, RIG_USERNAME);
      return now.authToken !== first.authToken;
    });

    // Assert: one more login, a new token the mock holds, nobody asked
    expect(rig.mock.count('authenticate')).toBe(2);
    expect(needed).toEqual([]);
    const second = await manager.credentials(RIG_GSTIN, RIG_USERNAME);
    expect(rig.mock.isAuthTokenValid(second.authToken)).toBe(true);
    expect(rig.mock.isAuthTokenValid(first.authToken)).toBe(false);
  });

  it('fails on a refused password with reauth.required refused, and never shows the password', async () => {
    // Arrange
    const logged: string[] = [];
    const seen: InspectionEvent[] = [];
    rig = await createTestRig({
      provider: service,
      providerOptions: { password: () => 'not-the-password' } as never,
    });
    const session = rig.session({
      logger: { warn: (...args) => logged.push(inspect(args, { depth: 20 })) },
      inspect: (event) => seen.push(event),
    });
    const needed = session.once('reauth.required');

    // Act
    session.start();
    const error = await rejectionOf(session.credentials());

    // Assert
    expect(session.state).toBe('failed');
    expect((await needed).reason).toBe('refused');
    expect(isGstrError(error, 'ProviderHttpError')).toBe(true);
    expect((error as { providerCode?: string }).providerCode).toBe(
      service === 'einvoice' ? '1008' : '108',
    );
    const shown = [
      inspect(error, { depth: 20, showHidden: true }),
      ...logged,
      ...seen.map((event) => inspect(event, { depth: 20 })),
      JSON.stringify(session.persist()),
    ].join('\n');
    expect(leakedSecrets(shown, ['not-the-password', MOCK_NIC_ACCOUNT.clientSecret])).toEqual([]);
  });

  it('tries a login that met an outage again, with backoff, instead of failing', async () => {
    // Arrange: NIC is down for two logins
    rig = await createTestRig({ provider: service });
    rig.mock.setFault('authenticate', { kind: 'status', status: 503, times: 2 });
    const session = rig.session();
    const errors: unknown[] = [];
    const needed: unknown[] = [];
    session.on('session.error', (event) => errors.push(event));
    session.on('reauth.required', (event) => needed.push(event));

    // Act: time passes until it is in
    session.start();
    const clock = rig.clock;
    await eventually(() => {
      clock.advance(20_000);
      return session.state === 'authenticated';
    });

    // Assert: three logins, the first two said as errors; never failed, nobody asked
    expect(rig.mock.count('authenticate')).toBe(3);
    expect(errors).toHaveLength(2);
    expect(needed).toEqual([]);
    expect(rig.mock.isAuthTokenValid((await session.credentials()).authToken)).toBe(true);
  });

  it('refuses a username and password too long for one RSA block before any request', async () => {
    // Arrange
    rig = await createTestRig({
      provider: service,
      providerOptions: { password: () => 'p'.repeat(200) } as never,
    });
    const session = rig.session();

    // Act
    session.start();
    const error = await rejectionOf(session.credentials());

    // Assert
    expect(isGstrError(error, 'InvalidInputError')).toBe(true);
    expect(String((error as Error).message)).toMatch(/too long for NIC's login/);
    expect(String((error as Error).message)).not.toContain('p'.repeat(20));
    expect(rig.mock.count('authenticate')).toBe(0);
  });

  it('logs in once for a session asked for on two workers at once', async () => {
    // Arrange: two managers sharing one store, as two worker processes share Redis; NIC
    // answers late, so both ask while the other's login is in flight
    rig = await createTestRig({ provider: service, mock: { latencyMs: 40 } });
    const shared = memoryFleetStore();
    const a = rig.manager({ store: shared });
    const b = rig.manager({ store: shared });

    // Act
    const [fromA, fromB] = await Promise.all([
      a.credentials(RIG_GSTIN, RIG_USERNAME),
      b.credentials(RIG_GSTIN, RIG_USERNAME),
    ]);

    // Assert: one login (a second would answer a new SEK and void the first holder's)
    expect(rig.mock.count('authenticate')).toBe(1);
    expect(fromB.authToken).toBe(fromA.authToken);
    expect(fromB.secrets.sek).toBe(fromA.secrets.sek);
    await Promise.all([a.close(), b.close()]);
  });
});

/** A read of each NIC service, as an app makes it. */
const READS = {
  einvoice: () => irnDetails('a'.repeat(64)),
  ewaybill: () => ewayBill('331001234567'),
} as const;

describe.each(MOCK_NIC_FACES)('reads of the %s provider', (service) => {
  it('reads through the session, decrypted with the SEK', async () => {
    // Arrange
    rig = await createTestRig({ provider: service });
    const session = rig.session();
    session.start();

    // Act
    const outcome = await session.call(READS[service]());

    // Assert
    expect(outcome.kind).toBe('data');
    const data = (outcome as { data: Record<string, unknown> }).data;
    expect(data[service === 'einvoice' ? 'Irn' : 'ewbNo']).toBe(
      service === 'einvoice' ? 'a'.repeat(64) : 331001234567,
    );
    expect(rig.mock.count('call')).toBe(1);
  });

  it('answers a stale token with exactly one login and one replay', async () => {
    // Arrange: a session with a token NIC then voids (its expiry, a login elsewhere)
    rig = await createTestRig({ provider: service });
    const session = rig.session();
    session.start();
    const first = await session.credentials();
    rig.mock.revokeAuthTokens();

    // Act
    const outcome = await session.call(READS[service]());

    // Assert
    expect(outcome.kind).toBe('data');
    expect(rig.mock.count('authenticate')).toBe(2);
    expect(rig.mock.count('call')).toBe(2);
    const second = await session.credentials();
    expect(second.authToken).not.toBe(first.authToken);
    expect(session.state).toBe('authenticated');
  });

  it('refuses a read of the other service, and a GSTR read, before any request', async () => {
    // Arrange
    rig = await createTestRig({ provider: service });
    const session = rig.session();
    session.start();
    await session.credentials();
    const other = service === 'einvoice' ? READS.ewaybill() : READS.einvoice();

    // Act
    const wrongService = await rejectionOf(session.call(other));
    const gstrRead = await rejectionOf(session.call(gstr3bSummary('042024')));

    // Assert
    expect(isGstrError(wrongService, 'InvalidInputError')).toBe(true);
    expect(isGstrError(gstrRead, 'InvalidInputError')).toBe(true);
    expect(rig.mock.count('call')).toBe(0);
  });
});

describe('the NIC read builders', () => {
  it('refuse an IRN or e-way bill number that is not one, before any request', () => {
    // Arrange
    const attempts = [
      () => irnDetails('abc'),
      () => ewayBill('12345'),
      () => ewayBill('33100123456x'),
    ];

    // Act
    const errors = attempts.map((attempt) => {
      try {
        attempt();
        return undefined;
      } catch (error) {
        return error;
      }
    });

    // Assert
    for (const error of errors) expect(isGstrError(error, 'InvalidInputError')).toBe(true);
    expect(ewayBill(331001234567).ewbNo).toBe('331001234567');
  });
});

describe.each(MOCK_NIC_FACES)('a %s credential held by two workers', (service) => {
  /** Two managers asking for reads at once, NIC voiding a token at each login. */
  async function readsOnTwoWorkers(shared: boolean) {
    rig = await createTestRig({
      provider: service,
      mock: { nicLoginVoidsToken: true, latencyMs: 20 },
    });
    const store = shared ? memoryFleetStore() : undefined;
    const a = rig.manager(store ? { store } : {});
    const b = rig.manager(store ? { store } : {});
    const read = READS[service]();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).call(RIG_GSTIN, RIG_USERNAME, read)),
    );
    await Promise.all([a.close(), b.close()]);
    return {
      failed: outcomes.filter((o) => o.status === 'rejected').length,
      logins: rig.mock.count('authenticate'),
    };
  }

  it('logs in once on a shared store, where two lone workers void each other', async () => {
    // Arrange, Act: the same reads on two workers sharing a store, then on two that do not
    const fleet = await readsOnTwoWorkers(true);
    await rig?.close();
    const alone = await readsOnTwoWorkers(false);

    // Assert: the fleet makes one login and every read succeeds; alone, each worker's login
    // voids the other's token, so more logins (and replays) follow
    expect(fleet).toEqual({ failed: 0, logins: 1 });
    expect(alone.logins).toBeGreaterThan(1);
  });
});

describe('the einvoice provider', () => {
  it('renews in the last ten minutes with ForceRefreshAccessToken: a new token, the old one void', async () => {
    // Arrange
    rig = await createTestRig({ provider: 'einvoice' });
    const session = rig.session();
    session.start();
    const first = await session.credentials();

    // Act: into the token's last ten minutes
    rig.clock.advance(6 * HOUR - 9 * MINUTE);
    session.checkClock();
    await eventually(async () => (await session.credentials()).authToken !== first.authToken);

    // Assert: renewed before expiry, by one more login
    const second = await session.credentials();
    expect(rig.mock.count('authenticate')).toBe(2);
    expect(rig.mock.count('refreshToken')).toBe(0);
    expect(second.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(rig.mock.isAuthTokenValid(first.authToken)).toBe(false);
  });
});

describe('the ewaybill provider', () => {
  it('answers its sixth login in fifteen minutes with RateLimitedError, retry after five minutes', async () => {
    // Arrange
    rig = await createTestRig({ provider: 'ewaybill' });
    const provider = rig.provider;
    const taxpayer = { gstin: RIG_GSTIN, username: RIG_USERNAME };
    for (let i = 0; i < 5; i += 1) await provider.authenticate?.(taxpayer, {});

    // Act
    const error = await rejectionOf(provider.authenticate?.(taxpayer, {}) ?? Promise.resolve());

    // Assert
    expect(isGstrError(error, 'RateLimitedError')).toBe(true);
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(5 * MINUTE);
    expect((error as { providerCode?: string }).providerCode).toBe('118');
  });
});

describe("e-way bill's auth limit (118)", () => {
  it("holds the user it refused, not the account's other taxpayers", async () => {
    // Arrange: NIC refuses the next login with 118
    rig = await createTestRig({ provider: 'ewaybill' });
    const manager = rig.manager();
    rig.mock.setFault('authenticate', { kind: 'status', status: 200, code: '118', times: 1 });
    const errors: { error: { name: string } }[] = [];
    manager.on('session.error', (event) => errors.push(event as never));

    // Act: one user is refused; another of the same API account logs in right after
    manager.get(RIG_GSTIN, 'user-refused').start();
    await eventually(() => errors.length === 1);
    const other = await manager.credentials(RIG_GSTIN, 'user-other', { timeoutMs: 5_000 });

    // Assert: the other got in at once; the refused one waits its five minutes, then gets in
    expect(rig.mock.isAuthTokenValid(other.authToken)).toBe(true);
    expect(errors[0]?.error.name).toBe('RateLimitedError');
    expect(manager.get(RIG_GSTIN, 'user-refused').state).toBe('expired');
    rig.clock.advance(5 * MINUTE + 1);
    const refused = await manager.credentials(RIG_GSTIN, 'user-refused', { timeoutMs: 5_000 });
    expect(rig.mock.isAuthTokenValid(refused.authToken)).toBe(true);
    await manager.close();
  });
});

describe('the provider contract', () => {
  it('holds a password provider to authenticate, and NIC clients pass it', async () => {
    // Arrange
    rig = await createTestRig({ provider: 'einvoice' });
    const nic = rig.provider;
    const withoutAuthenticate = {
      ...nic,
      name: 'broken',
      capabilities: nic.capabilities,
      requestOtp: nic.requestOtp,
      getAuthToken: nic.getAuthToken,
      refreshToken: nic.refreshToken,
    };

    // Act
    const accepted = v.safeParse(GstrProviderSchema, nic).success;
    const refused = v.safeParse(GstrProviderSchema, withoutAuthenticate).success;

    // Assert
    expect(nic).toBeInstanceOf(NicClient);
    expect(accepted).toBe(true);
    expect(refused).toBe(false);
  });
});
