import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { GstrError } from '../../src/errors/GstrError.js';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { providerRefusal } from '../../src/providers/signzy/errorMapping.js';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import {
  type ClientFixture,
  GSTIN,
  rejectionOf,
  startClientFixture,
  USERNAME,
} from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';

let fixture: ClientFixture | undefined;
afterEach(async () => {
  await fixture?.mock.close();
  fixture = undefined;
});

/** Every way an error is shown to a person or a log. */
function renderings(error: unknown): string {
  return [
    String(error),
    (error as Error).stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 20, showHidden: true }),
  ].join('\n');
}

describe('errors and secrets', () => {
  it('never show a password, access token, OTP, appKey, authToken or sek', async () => {
    // Arrange: a real flow, so every secret exists and is known to the test.
    fixture = await startClientFixture();
    const { mock, client } = fixture;
    const access = await client.login();
    const challenge = await client.requestOtp({ gstin: GSTIN, username: USERNAME });
    const appKey = challenge.secrets.appKey ?? '';
    const otp = mock.otpFor(GSTIN) ?? '';
    const wrongOtp = otp === '999999' ? '888888' : '999999';
    const errors: unknown[] = [];

    // Act: provoke one error of each kind with the secrets in play.
    errors.push(
      await rejectionOf(
        client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp: wrongOtp, challenge }),
      ),
    );
    const token = await client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge });
    errors.push(
      await rejectionOf(client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp, challenge })),
    );
    const badLogin = new SignzyClient({
      username: 'demo-api-user',
      password: 'wrong-password-4242',
      baseUrl: mock.url,
    });
    errors.push(await rejectionOf(badLogin.login()));
    mock.setFault('call', { kind: 'reset' });
    errors.push(
      await rejectionOf(
        client.call('gstr1', {
          gstin: GSTIN,
          username: USERNAME,
          authToken: token.authToken,
          sek: token.secrets.sek,
          appKey,
        }),
      ),
    );
    mock.setFault('call', { kind: 'status', status: 500 });
    errors.push(
      await rejectionOf(
        client.call('gstr1', {
          gstin: GSTIN,
          username: USERNAME,
          authToken: token.authToken,
          sek: token.secrets.sek,
          appKey,
        }),
      ),
    );
    mock.setFault('getAuthToken', { kind: 'malformedJson' });
    errors.push(
      await rejectionOf(
        client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp: wrongOtp, challenge }),
      ),
    );
    errors.push(
      await rejectionOf(
        client.getAuthToken({ gstin: GSTIN, username: USERNAME, otp: '12345x', challenge }),
      ),
    );

    // Assert
    const secrets = [
      'demo-api-key',
      'wrong-password-4242',
      access.accessToken,
      otp,
      wrongOtp,
      appKey,
      token.authToken,
      token.secrets.sek ?? '',
    ];
    expect(errors.every((e) => isGstrError(e))).toBe(true);
    for (const error of errors) {
      const text = renderings(error);
      // Report which secret leaked by its index, so a failure does not print the secret.
      expect(leakedSecrets(text, secrets)).toEqual([]);
    }
  });

  it('blank out a secret that the provider echoes in its message', () => {
    const error = providerRefusal(
      422,
      { code: 'AUTH4034', message: 'OTP 123456 is invalid for app key KEY-abcdef' },
      { step: 'getAuthToken', host: 'p.test', secrets: ['123456', 'KEY-abcdef'], notFoundHint: '' },
    );
    expect(error.message).toBe(
      'getAuthToken failed, the OTP was refused, HTTP 422 AUTH4034: OTP [redacted] is invalid for app key [redacted]',
    );
  });

  it('are recognised across realms by their brand', () => {
    const foreign = {
      name: 'OtpRejectedError',
      message: 'x',
      [Symbol.for('gstr-session.error')]: true,
    };
    expect(isGstrError(foreign)).toBe(true);
    expect(isGstrError(foreign, 'OtpRejectedError')).toBe(true);
    expect(isGstrError(foreign, 'TimeoutError')).toBe(false);
    expect(isGstrError(new Error('plain'))).toBe(false);
    expect(isGstrError(new GstrError('m', { step: 'login' }))).toBe(true);
  });

  it('serialise their context to JSON', () => {
    const error = providerRefusal(503, undefined, {
      step: 'login',
      host: 'p.test',
      secrets: [],
      notFoundHint: '',
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ProviderUnavailableError',
      code: 'GSTR_PROVIDER_UNAVAILABLE',
      message: 'login failed, the provider (p.test) answered HTTP 503',
      step: 'login',
      host: 'p.test',
      status: 503,
      circuitOpen: false,
    });
  });
});
