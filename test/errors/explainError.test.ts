import { afterEach, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { explainError, isGstrError } from '../../src/index.js';
import type { ProviderName } from '../../src/registry/providers.js';
import { MOCK_FACES } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';

/** The step names of the code: a person never reads these. */
const CODE_WORDS = /\b(login|requestOtp|getAuthToken|refreshToken|call)\b/;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The first request of a session, on a provider whose API credentials are wrong. */
async function refusedCredentials(face: ProviderName): Promise<unknown> {
  const wrong = {
    signzy: { password: 'not-the-password' },
    gstn: { clientSecret: 'not-the-client-secret' },
    sandbox: { apiSecret: 'not-the-api-secret' },
  }[face];
  rig = await createTestRig({ provider: face, providerOptions: wrong });
  const session = rig.session({ gstin: GSTIN, username: USERNAME });
  session.start();
  return rejectionOf(session.credentials({ timeoutMs: 5_000 }));
}

describe('explainError', () => {
  it.each(MOCK_FACES)(
    "says refused API credentials the same way on %s, in a person's words",
    async (face) => {
      const error = await refusedCredentials(face);
      expect(isGstrError(error, 'UnauthorizedError')).toBe(true);
      const said = explainError(error);
      expect(said).toMatch(/^The provider refused the API credentials while /);
      expect(said).not.toMatch(CODE_WORDS);
      expect(said).not.toContain('not-the-');
    },
  );

  it('has a sentence without code names for every error class', () => {
    const made = [
      new api.OtpAttemptsExceededError(3, undefined),
      new api.OtpExpiredError(),
      new api.OtpResendRefusedError('cooldown', 20_000),
      new api.TimeoutError(15_000, { step: 'requestOtp' }),
      new api.NetworkError('ECONNREFUSED', false, { step: 'login', host: 'p.test' }),
      new api.ReauthenticationRequiredError(GSTIN, 'notAuthenticated'),
      new api.ProviderUnavailableError({ step: 'refreshToken', host: 'p.test', status: 503 }),
    ];
    for (const error of made) {
      const said = explainError(error);
      expect(said, error.name).not.toMatch(CODE_WORDS);
      expect(said, error.name).not.toBe(error.message);
    }
  });

  it('names a GSTN code at the end, for support', () => {
    const error = new api.AccessNotEnabledError({
      step: 'getAuthToken',
      host: 'p.test',
      status: 200,
      providerCode: 'AUTH4037',
    });
    expect(explainError(error)).toMatch(/Manage API Access.*\(code AUTH4037\)$/);
  });
});
