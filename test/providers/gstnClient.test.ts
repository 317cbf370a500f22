import { afterEach, describe, expect, it } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { GstnClient } from '../../src/providers/gstn/GstnClient.js';
import type { GstnOptions } from '../../src/providers/gstn/options.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_GSTN_CLIENT } from '../../src/testing/mock/gstnFace.js';
import { createFakeGstnKeys } from '../../src/testing/mock/gstnKeys.js';
import type { MockProvider, MockProviderOptions } from '../../src/testing/mock/types.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';
import { T0 } from '../helpers/sessionFixture.js';

const OTHER_GSTIN = '33GSPTN0231G1ZM';
const DAY = 86_400_000;

let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(
  mockOptions: Omit<MockProviderOptions, 'face' | 'now'> = {},
  clientOptions: Partial<GstnOptions> = {},
): Promise<{ mock: MockProvider; client: GstnClient; clock: ReturnType<typeof createTestClock> }> {
  const clock = createTestClock(T0);
  mock = await createMockProvider({
    ...mockOptions,
    face: 'gstn',
    otpMode: 'sandbox',
    now: clock.now,
  });
  const client = new GstnClient({
    baseUrl: mock.url,
    ...MOCK_GSTN_CLIENT,
    certificate: mock.certificate(),
    now: clock.now,
    onCertificateExpiring: () => {},
    ...clientOptions,
  });
  return { mock, client, clock };
}

async function tokenFor(client: GstnClient, gstin = GSTIN) {
  const challenge = await client.requestOtp({ gstin, username: USERNAME });
  return client.getAuthToken({ gstin, username: USERNAME, otp: '575757', challenge });
}

describe('gstnProvider', () => {
  it('keeps the app key, its RSA ciphertext and the decrypted SEK with the session', async () => {
    const { client } = await start();
    const session = await tokenFor(client);
    expect(Object.keys(session.secrets).sort()).toEqual(['appKey', 'encryptedAppKey', 'sek']);
    expect(Buffer.from(session.secrets.appKey ?? '', 'base64').length).toBe(32);
    expect(Buffer.from(session.secrets.sek ?? '', 'base64').length).toBe(32);
    expect(Buffer.from(session.secrets.encryptedAppKey ?? '', 'base64').length).toBe(256);
  });

  it("sends state-cd from each session's own GSTIN (two states on one client)", async () => {
    const { client, mock: m } = await start();
    const first = await tokenFor(client, GSTIN);
    const second = await tokenFor(client, OTHER_GSTIN);
    expect(m.isAuthTokenValid(first.authToken)).toBe(true);
    expect(m.isAuthTokenValid(second.authToken)).toBe(true);
  });

  it('refreshes with the app key under RSA when told to', async () => {
    const { client, mock: m } = await start({ gstnRefreshAppKey: 'rsa' }, { refreshAppKey: 'rsa' });
    const session = await tokenFor(client);
    const next = await client.refreshToken({ gstin: GSTIN, username: USERNAME, session });
    expect(m.isAuthTokenValid(next.authToken)).toBe(true);
    // The new SEK is still under the original app key.
    expect(next.secrets.appKey).toBe(session.secrets.appKey);
    expect(next.secrets.sek).not.toBe(session.secrets.sek);
  });

  it('fails with CertificateRejectedError when GSTN rotated its key, and sends no SMS', async () => {
    const { client, mock: m } = await start();
    m.rotateCertificate();
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));
    expect(isGstrError(error, 'CertificateRejectedError')).toBe(true);
    expect((error as Error).message).toContain('rotated');
    expect(m.otpFor(GSTIN)).toBeUndefined();
  });

  it('retries once with the certificate onCertificateRejected returns', async () => {
    let asked = 0;
    const { client, mock: m } = await start(
      {},
      {
        onCertificateRejected: () => {
          asked += 1;
          return m.certificate();
        },
      },
    );
    m.rotateCertificate();
    const session = await tokenFor(client);
    expect(asked).toBe(1);
    expect(m.isAuthTokenValid(session.authToken)).toBe(true);
    expect(m.count('getOtp')).toBe(2);
  });

  it('exposes the certificate end and warns once within 30 days of it', async () => {
    const warnings: number[] = [];
    const clock = createTestClock(T0);
    const validTo = new Date(T0 + 20 * DAY);
    const keys = createFakeGstnKeys(new Date(T0 - DAY), validTo);
    const options = {
      baseUrl: 'http://127.0.0.1:9',
      ...MOCK_GSTN_CLIENT,
      certificate: keys.certificate,
      now: clock.now,
      onCertificateExpiring: ({ daysLeft }: { daysLeft: number }) => warnings.push(daysLeft),
    };
    const client = new GstnClient(options);
    expect(client.certificateValidTo.getTime()).toBe(Math.floor(validTo.getTime() / 1000) * 1000);
    expect(warnings).toEqual([20]);
    // Once per certificate: a second request does not warn again.
    await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));
    expect(warnings).toEqual([20]);
    const far = createFakeGstnKeys(new Date(T0 - DAY), new Date(T0 + 400 * DAY));
    new GstnClient({ ...options, certificate: far.certificate });
    expect(warnings).toEqual([20]);
  });

  it.each([
    [{ certificate: 'not a certificate' }, 'certificate'],
    [{ clientSecret: 'two\r\nlines' }, 'clientSecret'],
    [{ versions: { AUTHTOKEN: '1.0' } }, 'versions'],
    [{ refreshAppKey: 'aes' }, 'refreshAppKey'],
    [{ baseUrl: 'ftp://gsp' }, 'baseUrl'],
  ])('refuses a bad option %j at creation, naming it', (bad, field) => {
    const keys = createFakeGstnKeys(new Date(T0 - DAY), new Date(T0 + 400 * DAY));
    const make = () =>
      new GstnClient({
        baseUrl: 'http://127.0.0.1:9',
        ...MOCK_GSTN_CLIENT,
        certificate: keys.certificate,
        ...(bad as Partial<GstnOptions>),
      });
    expect(make).toThrow(expect.objectContaining({ name: 'InvalidInputError' }));
    try {
      make();
    } catch (error) {
      expect(String((error as { field?: string }).field)).toContain(field);
    }
  });

  it('adds the GSP headers of the hook, and refuses one that would split a header', async () => {
    const seen: string[] = [];
    const { client, mock: m } = await start(
      {},
      {
        headers: ({ action, txn }) => {
          seen.push(`${action}:${txn.length}`);
          return { 'x-asp-auth-token': `signed-${txn}` };
        },
      },
    );
    await tokenFor(client);
    expect(seen).toEqual(['OTPREQUEST:32', 'AUTHTOKEN:32']);
    const { client: bad } = await start({}, { headers: () => ({ 'x-bad': 'a\r\nb' }) });
    const error = await rejectionOf(bad.requestOtp({ gstin: GSTIN, username: USERNAME }));
    expect(isGstrError(error, 'InvalidInputError')).toBe(true);
    expect(m.count('getOtp')).toBe(1);
  });

  it('refuses an answer whose SEK is not under the app key', async () => {
    const { client, mock: m } = await start();
    const challenge = await client.requestOtp({ gstin: GSTIN, username: USERNAME });
    m.setFault('getAuthToken', {
      kind: 'setField',
      field: 'sek',
      value: 'AAAAAAAAAAAAAAAAAAAAAA==',
    });
    const error = await rejectionOf(
      client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp: '575757', challenge }),
    );
    expect(isGstrError(error, 'ResponseValidationError')).toBe(true);
    expect((error as { field: string }).field).toBe('sek');
  });
});
