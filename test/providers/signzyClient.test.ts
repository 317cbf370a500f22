import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors/InvalidInputError.js';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { NetworkError } from '../../src/errors/NetworkError.js';
import { OtpRejectedError } from '../../src/errors/OtpRejectedError.js';
import { ProviderHttpError } from '../../src/errors/ProviderHttpError.js';
import { ResponseValidationError } from '../../src/errors/ResponseValidationError.js';
import { TimeoutError } from '../../src/errors/TimeoutError.js';
import { UnauthorizedError } from '../../src/errors/UnauthorizedError.js';
import type { OtpChallenge } from '../../src/providers/GstrProvider.js';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import type { MockProvider } from '../../src/testing/mock/types.js';
import { wrongOtpFor } from '../../src/testing/mock/wrongOtp.js';
import {
  type ClientFixture,
  GSTIN,
  rejectionOf,
  startClientFixture,
  USERNAME,
} from '../helpers/fixtures.js';

let fixture: ClientFixture | undefined;
async function start(...args: Parameters<typeof startClientFixture>): Promise<ClientFixture> {
  fixture = await startClientFixture(...args);
  return fixture;
}
afterEach(async () => {
  await fixture?.mock.close();
  fixture = undefined;
});

async function otpAndKey(
  mock: MockProvider,
  client: SignzyClient,
): Promise<{ otp: string; appKey: string; challenge: OtpChallenge }> {
  const challenge = await client.requestOtp({ gstin: GSTIN, username: USERNAME });
  const otp = mock.otpFor(GSTIN);
  if (!otp) throw new Error('the mock sent no OTP');
  return { otp, appKey: challenge.secrets.appKey ?? '', challenge };
}

describe('SignzyClient.login', () => {
  it('returns the access token, patron id and absolute expiry', async () => {
    const { client } = await start({ accessTokenTtlSeconds: 3600 }, { now: () => 1_000_000 });
    const access = await client.login();
    expect(access.accessToken).toMatch(/^[0-9a-f]{48}$/);
    expect(access.details).toEqual({ patronId: 'patron-1' });
    expect(access.expiresAt).toBe(1_000_000 + 3_600_000);
  });

  it('fails with UnauthorizedError on wrong credentials, without retrying', async () => {
    const { mock } = await start();
    const client = new SignzyClient({
      username: 'demo-api-user',
      password: 'wrong-key',
      baseUrl: mock.url,
    });
    const error = await rejectionOf(client.login());
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ step: 'login', status: 401, providerCode: 'LOGIN_FAILED' });
    expect(mock.count('login')).toBe(1);
  });

  it('retries 5xx and succeeds ("fail twice then succeed")', async () => {
    const { mock, client } = await start();
    mock.setFault('login', { kind: 'status', status: 503, times: 2 });
    await expect(client.login()).resolves.toMatchObject({ details: { patronId: 'patron-1' } });
    expect(mock.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('honours Retry-After on 429', async () => {
    const { mock, client } = await start();
    mock.setFault('login', { kind: 'status', status: 429, retryAfterSeconds: 0, times: 1 });
    await client.login();
    expect(mock.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries after a connection reset', async () => {
    const { mock, client } = await start();
    mock.setFault('login', { kind: 'reset', times: 1 });
    await client.login();
    expect(mock.requests.map((r) => r.status)).toEqual([0, 200]);
  });

  it('gives up after the retry limit with the last status', async () => {
    const { mock, client } = await start();
    mock.setFault('login', { kind: 'status', status: 500 });
    const error = await rejectionOf(client.login());
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ status: 500, step: 'login' });
    expect(mock.count('login')).toBe(3);
  });

  it('times out with a typed error', async () => {
    const { mock, client } = await start({}, { timeoutMs: 50, retry: { limit: 0 } });
    mock.setFault('login', { kind: 'delay', ms: 300 });
    const error = await rejectionOf(client.login());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ step: 'login', timeoutMs: 50 });
  });

  it('reports a body that is not JSON as a ResponseValidationError', async () => {
    const { mock, client } = await start();
    mock.setFault('login', { kind: 'malformedJson' });
    const error = await rejectionOf(client.login());
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ step: 'login', field: 'body' });
  });

  it('rejects empty credentials at construction, before any request', () => {
    expect(() => new SignzyClient({ username: ' ', password: 'x' })).toThrow(InvalidInputError);
  });
});

describe('SignzyClient.requestOtp', () => {
  it('returns the appKey and makes the mock send one OTP', async () => {
    const { mock, client } = await start();
    const { secrets, message } = await client.requestOtp({ gstin: GSTIN, username: USERNAME });
    expect(Object.keys(secrets)).toEqual(['appKey']);
    expect(secrets.appKey?.length).toBeGreaterThan(0);
    expect(message).toContain('OTP');
    expect(mock.count('getOtp', GSTIN)).toBe(1);
    expect(mock.otpFor(GSTIN)).toMatch(/^\d{6}$/);
  });

  it('normalises the GSTIN before sending it', async () => {
    const { mock, client } = await start();
    await client.requestOtp({ gstin: ' 27aapfu0939f1zv ', username: USERNAME });
    expect(mock.count('getOtp', GSTIN)).toBe(1);
  });

  it.each([
    [{ gstin: '27AAPFU0939F1ZX', username: USERNAME }, 'gstin'],
    [{ gstin: 'not-a-gstin', username: USERNAME }, 'gstin'],
    [{ gstin: GSTIN, username: '' }, 'username'],
    [{ gstin: GSTIN, username: 'two words' }, 'username'],
  ])('rejects bad input %j before any request', async (input, field) => {
    const { mock, client } = await start();
    const error = await rejectionOf(client.requestOtp(input));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field, step: 'requestOtp' });
    expect(mock.requests).toHaveLength(0);
  });

  it('does not re-send the OTP request after a connection reset', async () => {
    const { mock, client } = await start();
    await client.login();
    mock.setFault('getOtp', { kind: 'reset', times: 1 });
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ mayHaveReachedServer: true, step: 'requestOtp' });
    expect(mock.count('getOtp')).toBe(1);
  });

  it('does not re-send the OTP request after a 5xx', async () => {
    const { mock, client } = await start();
    mock.setFault('getOtp', { kind: 'status', status: 503, retryAfterSeconds: 0 });
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));
    expect(error).toMatchObject({ name: 'ProviderUnavailableError', status: 503 });
    expect(mock.count('getOtp')).toBe(1);
  });

  it('retries when the connection was refused, since nothing was sent', async () => {
    const { mock } = await start();
    const url = mock.url;
    await mock.close();
    let attempts = 0;
    const client = new SignzyClient({
      username: 'u',
      password: 'p',
      baseUrl: url,
      retry: { limit: 2, backoffLimitMs: 5 },
      fetch: (input, init) => {
        attempts += 1;
        return fetch(input, init);
      },
    });
    const access = {
      accessToken: 'a'.repeat(20),
      details: { patronId: 'patron-1' },
      expiresAt: Date.now() + 60_000,
    };
    const error = await rejectionOf(
      client.requestOtp({ gstin: GSTIN, username: USERNAME }, { access }),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({
      systemCode: 'ECONNREFUSED',
      code: 'GSTR_NETWORK',
      mayHaveReachedServer: false,
    });
    expect(attempts).toBe(3);
  });

  it('fails with UnauthorizedError when the access token went stale', async () => {
    const { mock, client } = await start();
    await client.login();
    mock.expireAccessTokens();
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ step: 'requestOtp', status: 401 });
  });

  it('says the GSTR path is an assumption when it answers 404', async () => {
    const { client } = await start({}, { gstrPath: '/api/v2/patrons/{patronId}/wrong' });
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect((error as ProviderHttpError).status).toBe(404);
    expect((error as Error).message).toContain('gstrPath');
  });

  it('reports a missing appKey naming the field', async () => {
    const { mock, client } = await start();
    mock.setFault('getOtp', { kind: 'missingField', field: 'result.appKey' });
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ step: 'requestOtp', field: 'result.appKey' });
    expect((error as Error).message).toBe(
      'requestOtp returned an invalid response: result.appKey is missing',
    );
  });

  it('stops at once when aborted mid-request', async () => {
    const { mock, client } = await start();
    await client.login();
    mock.setFault('getOtp', { kind: 'delay', ms: 400 });
    const controller = new AbortController();
    const pending = rejectionOf(
      client.requestOtp({ gstin: GSTIN, username: USERNAME }, { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 30);
    const error = await pending;
    expect((error as Error).name).toBe('AbortError');
    expect(isGstrError(error)).toBe(false);
  });
});

describe('SignzyClient.getAuthToken', () => {
  it('exchanges the OTP for a token expiring after 360 minutes', async () => {
    const now = () => 5_000_000;
    const { mock, client } = await start({ now }, { now });
    const { otp, appKey, challenge } = await otpAndKey(mock, client);
    const token = await client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge });
    expect(token.expiresAt).toBe(5_000_000 + 360 * 60_000);
    expect(mock.isAuthTokenValid(token.authToken)).toBe(true);
    expect(token.secrets).toEqual({ sek: expect.any(String), appKey });
    expect(token.secrets.sek?.length).toBeGreaterThan(0);
  });

  it.each([
    ['seconds', 900, 900_000],
    ['epoch-ms', 900, 900_000],
  ] as const)('reads expiry in %s', async (unit, lifetime, lifetimeMs) => {
    const now = () => 7_000_000;
    const { mock, client } = await start(
      { now, tokenLifetime: lifetime, tokenLifetimeUnit: unit },
      { now, expiryUnit: unit },
    );
    const { otp, challenge } = await otpAndKey(mock, client);
    const token = await client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge });
    expect(token.expiresAt).toBe(7_000_000 + lifetimeMs);
  });

  it('rejects a wrong OTP with OtpRejectedError and the GSTN code', async () => {
    const { mock, client } = await start();
    const { otp, challenge } = await otpAndKey(mock, client);
    const wrong = wrongOtpFor(otp);
    const error = await rejectionOf(
      client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp: wrong, challenge }),
    );
    expect(error).toBeInstanceOf(OtpRejectedError);
    expect(error).toMatchObject({ status: 422, providerCode: 'AUTH4034', step: 'getAuthToken' });
  });

  it('rejects an OTP used twice and an appKey that does not match', async () => {
    const { mock, client } = await start();
    const { otp, challenge } = await otpAndKey(mock, client);
    const badKey = await rejectionOf(
      client.getAuthToken({
        gstin: GSTIN,
        username: USERNAME,
        otp,
        challenge: { secrets: { appKey: 'other-key' } },
      }),
    );
    expect(badKey).toMatchObject({ name: 'OtpRejectedError', providerCode: 'AUTH4033' });
    await client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge });
    const replay = await rejectionOf(
      client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge }),
    );
    expect(replay).toMatchObject({ name: 'OtpRejectedError', providerCode: 'AUTH4033' });
  });

  it('rejects an OTP older than its validity', async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const { mock, client } = await start({ now, otpValidityMs: 600_000 }, { now });
    const { otp, challenge } = await otpAndKey(mock, client);
    clock += 600_001;
    const error = await rejectionOf(
      client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge }),
    );
    expect(error).toBeInstanceOf(OtpRejectedError);
  });

  it('treats a 400 as a refused OTP', async () => {
    const { mock, client } = await start();
    const { otp, challenge } = await otpAndKey(mock, client);
    mock.setFault('getAuthToken', { kind: 'status', status: 400 });
    const error = await rejectionOf(
      client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge }),
    );
    expect(error).toBeInstanceOf(OtpRejectedError);
    expect(error).toMatchObject({ status: 400 });
  });

  it.each(['result.authToken', 'result.sek', 'result.expiry'])(
    'reports a missing %s instead of returning undefined',
    async (field) => {
      const { mock, client } = await start();
      const { otp, challenge } = await otpAndKey(mock, client);
      mock.setFault('getAuthToken', { kind: 'missingField', field });
      const error = await rejectionOf(
        client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge }),
      );
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect(error).toMatchObject({ field, step: 'getAuthToken' });
    },
  );

  it('reports a truncated JSON body', async () => {
    const { mock, client } = await start();
    const { otp, challenge } = await otpAndKey(mock, client);
    mock.setFault('getAuthToken', { kind: 'malformedJson' });
    const error = await rejectionOf(
      client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge }),
    );
    expect(error).toMatchObject({ name: 'ResponseValidationError', field: 'body' });
  });

  it('does not re-send after a reset, since the OTP may be consumed', async () => {
    const { mock, client } = await start();
    const { otp, challenge } = await otpAndKey(mock, client);
    mock.setFault('getAuthToken', { kind: 'reset' });
    await rejectionOf(client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge }));
    expect(mock.count('getAuthToken')).toBe(1);
  });

  it.each(['12345', '1234567', 'abcdef', ''])(
    'rejects the malformed OTP %j before any request',
    async (otp) => {
      const { mock, client } = await start();
      const error = await rejectionOf(
        client.getAuthToken({
          gstin: GSTIN,
          username: USERNAME,
          otp,
          challenge: { secrets: { appKey: 'k' } },
        }),
      );
      expect(error).toMatchObject({ name: 'InvalidInputError', field: 'otp' });
      expect((error as Error).message).not.toContain(otp || '\u0000');
      expect(mock.requests).toHaveLength(0);
    },
  );
});

describe('SignzyClient.call and logout', () => {
  it('posts a later GSTR task with the auth token', async () => {
    const { mock, client } = await start();
    const { otp, appKey, challenge } = await otpAndKey(mock, client);
    const token = await client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge });
    const body = await client.call('gstr3bSummary', {
      gstin: GSTIN,
      username: USERNAME,
      authToken: token.authToken,
      appKey,
      sek: token.secrets.sek,
      retPeriod: '042026',
    });
    expect(body.result).toMatchObject({ task: 'gstr3bSummary', gstin: GSTIN });
  });

  it('turns a GSTN error inside a 200 into a typed error', async () => {
    const { client } = await start();
    const error = await rejectionOf(
      client.call('gstr3bSummary', { gstin: GSTIN, username: USERNAME, authToken: 'stale' }),
    );
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ providerCode: 'RET11407', status: 200, step: 'call' });
  });

  it('logs out, after which the access token is refused', async () => {
    const { mock, client } = await start();
    const access = await client.login();
    await client.logout(undefined, { access });
    expect(mock.requests.at(-1)?.status).toBe(204);
    const error = await rejectionOf(
      client.requestOtp({ gstin: GSTIN, username: USERNAME }, { access }),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
  });
});
