import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import type { GstrProvider, TaxpayerSession } from '../../src/providers/GstrProvider.js';
import type { NicService } from '../../src/providers/nic/options.js';
import type { SessionRead } from '../../src/reads/NicRead.js';
import { ewayBill, irnDetails } from '../../src/reads/nicBuilders.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { MOCK_NIC_ACCOUNT } from '../../src/testing/mock/nicFace.js';
import { MOCK_NIC_FACES, type MockFault } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';
import { T0 } from '../helpers/sessionFixture.js';

const TAXPAYER = { gstin: GSTIN, username: USERNAME };

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function rigOf(service: NicService, options: Record<string, unknown> = {}) {
  rig = await createTestRig({
    clock: createTestClock(T0),
    provider: service,
    // Reads are capped like auth answers here, so that a 2 MB answer is oversized for both.
    providerOptions: {
      timeoutMs: 1_000,
      retry: { limit: 0 },
      maxCallResponseBytes: 1_000_000,
      ...options,
    } as never,
  });
  return rig;
}

/** Each service's read, and the field names of its auth answer. */
const OF = {
  einvoice: { read: () => irnDetails('d'.repeat(64)), token: 'Data.AuthToken', sek: 'Data.Sek' },
  ewaybill: { read: () => ewayBill('331001234567'), token: 'authtoken', sek: 'sek' },
} as const;

/** What a hostile or broken NIC answer must become: its error class. */
const HOSTILE: readonly (readonly [string, string, (service: NicService) => MockFault])[] = [
  ['an outage (503)', 'ProviderUnavailableError', () => ({ kind: 'status', status: 503 })],
  ['malformed JSON', 'ResponseValidationError', () => ({ kind: 'malformedJson' })],
  ['no token', 'ResponseValidationError', (s) => ({ kind: 'missingField', field: OF[s].token })],
  [
    'a SEK that is not one under the app key',
    'ResponseValidationError',
    (s) => ({ kind: 'setField', field: OF[s].sek, value: 'AAAA' }),
  ],
  ['an oversized answer', 'ResponseTooLargeError', () => ({ kind: 'oversize', bytes: 2_000_000 })],
  [
    'a redirect to another host',
    'ProviderHttpError',
    () => ({ kind: 'redirect', location: 'http://127.0.0.2:9/steal' }),
  ],
  ['a hang past the deadline', 'TimeoutError', () => ({ kind: 'hang' })],
];

describe.each(MOCK_NIC_FACES)('the NIC provider contract (%s)', (service) => {
  it.each(HOSTILE)(
    'answers %s on a login with %s, and no secret in it',
    async (_, expected, fault) => {
      // Arrange
      const r = await rigOf(service);
      r.mock.setFault('authenticate', fault(service));

      // Act
      const error = await rejectionOf(r.provider.authenticate?.(TAXPAYER, {}) ?? Promise.resolve());
      r.mock.release();

      // Assert
      expect(isGstrError(error), String(error)).toBe(true);
      expect((error as Error).name).toBe(expected);
      const shown = inspect(error, { depth: 20, showHidden: true });
      expect(
        leakedSecrets(shown, [MOCK_NIC_ACCOUNT.password, MOCK_NIC_ACCOUNT.clientSecret]),
      ).toEqual([]);
    },
  );

  it('keeps a refused password (a business error) apart from an outage', async () => {
    // Arrange
    const r = await rigOf(service, { password: () => 'wrong-password' });

    // Act
    const error = await rejectionOf(r.provider.authenticate?.(TAXPAYER, {}) ?? Promise.resolve());

    // Assert
    expect((error as Error).name).toBe('ProviderHttpError');
    expect((error as { providerCode?: string }).providerCode).toBe(
      service === 'einvoice' ? '1008' : '108',
    );
    expect((error as Error).message).not.toContain('wrong-password');
  });

  it("passes the GSP's headers hook its context, and refuses a header value that is not one", async () => {
    // Arrange
    const contexts: unknown[] = [];
    const r = await rigOf(service, {
      headers: (context: unknown) => {
        contexts.push(context);
        return contexts.length === 1 ? { 'x-gsp-signature': 'signed' } : { 'x-bad': 'a\nb' };
      },
    });

    // Act
    const session = await r.provider.authenticate?.(TAXPAYER, {});
    const refused = await rejectionOf(r.provider.authenticate?.(TAXPAYER, {}) ?? Promise.resolve());

    // Assert
    expect(session?.authToken).toBeTruthy();
    expect(contexts[0]).toMatchObject({
      service,
      action: 'auth',
      gstin: GSTIN,
      username: USERNAME,
    });
    expect(isGstrError(refused, 'InvalidInputError')).toBe(true);
    expect(r.mock.count('authenticate')).toBe(1);
  });

  it.each(HOSTILE.filter(([name]) => name !== 'no token' && !name.startsWith('a SEK')))(
    'answers %s on a read with %s',
    async (_, expected, fault) => {
      // Arrange
      const r = await rigOf(service);
      const provider = r.provider as GstrProvider;
      const session = (await provider.authenticate?.(TAXPAYER, {})) as TaxpayerSession;
      r.mock.setFault('call', fault(service));

      // Act
      const error = await rejectionOf(
        provider.read?.({ ...TAXPAYER, session, request: OF[service].read() as SessionRead }, {}) ??
          Promise.resolve(),
      );
      r.mock.release();

      // Assert
      expect((error as Error).name).toBe(expected);
      const shown = inspect(error, { depth: 20, showHidden: true });
      expect(leakedSecrets(shown, [session.authToken, ...Object.values(session.secrets)])).toEqual(
        [],
      );
    },
  );

  it('reads an answer sealed with a REK and its HMAC, and refuses one whose HMAC is wrong', async () => {
    // Arrange: e-invoice answers with Rek and Hmac when the mock is asked to (e-way bill always)
    rig = await createTestRig({
      clock: createTestClock(T0),
      provider: service,
      mock: { einvoiceRek: true },
      providerOptions: { timeoutMs: 1_000, retry: { limit: 0 } } as never,
    });
    const provider = rig.provider as GstrProvider;
    const session = (await provider.authenticate?.(TAXPAYER, {})) as TaxpayerSession;
    const input = { ...TAXPAYER, session, request: OF[service].read() as SessionRead };

    // Act
    const outcome = await provider.read?.(input, {});
    rig.mock.setFault('call', {
      kind: 'setField',
      field: service === 'einvoice' ? 'Hmac' : 'hmac',
      value: Buffer.alloc(32).toString('base64'),
    });
    const altered = await rejectionOf(provider.read?.(input, {}) ?? Promise.resolve());

    // Assert
    expect(outcome?.kind).toBe('data');
    expect((altered as Error).name).toBe('ResponseValidationError');
    expect((altered as Error).message).toMatch(/hmac/);
  });

  it('refuses a read answer that does not decrypt under the session key', async () => {
    // Arrange: a session whose SEK is not the one NIC holds
    const r = await rigOf(service);
    const provider = r.provider as GstrProvider;
    const held = (await provider.authenticate?.(TAXPAYER, {})) as TaxpayerSession;
    const session = {
      ...held,
      secrets: { ...held.secrets, sek: Buffer.alloc(32, 7).toString('base64') },
    };

    // Act
    const error = await rejectionOf(
      provider.read?.({ ...TAXPAYER, session, request: OF[service].read() as SessionRead }, {}) ??
        Promise.resolve(),
    );

    // Assert: an error, never garbage as data
    expect((error as Error).name).toBe('ResponseValidationError');
  });
});
