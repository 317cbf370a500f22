import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { GstrProviderSchema } from '../../src/providers/contractSchemas.js';
import type {
  GstrProvider,
  OtpChallenge,
  TaxpayerSession,
} from '../../src/providers/GstrProvider.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { MOCK_FACES, type MockFaceName, type MockRoute } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';
import { T0 } from '../helpers/sessionFixture.js';

const HOUR = 3_600_000;
/** Every provider of the registry: a new one joins these tests by itself. */
const FACES = MOCK_FACES;
const TAXPAYER = { gstin: GSTIN, username: USERNAME };

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A rig of one provider; refresh-capable everywhere (Signzy's is a configured task). */
async function rigOf(face: MockFaceName): Promise<TestRig> {
  rig = await createTestRig({
    clock: createTestClock(T0),
    provider: face,
    mock: { refreshTask: 'refreshAuthToken', accessDurationMs: 30 * 24 * HOUR },
    providerOptions: { timeoutMs: 2_000, retry: { limit: 1, backoffLimitMs: 5 } },
  });
  return rig;
}

/** The provider's login, where it has one (what a session would pass as `access`). */
async function accessOf(provider: GstrProvider) {
  return provider.capabilities.login ? await provider.login?.() : undefined;
}

/** An OTP round and a token, straight through the provider (no session). */
async function authenticated(r: TestRig): Promise<{
  challenge: OtpChallenge;
  session: TaxpayerSession;
  otp: string;
}> {
  const access = await accessOf(r.provider);
  const challenge = await r.provider.requestOtp(TAXPAYER, { access });
  const otp = r.otp();
  const session = await r.provider.getAuthToken({ ...TAXPAYER, otp, challenge }, { access });
  return { challenge, session, otp };
}

/** GSTN's refusal with `code`, as this provider relays it on `route` (once). */
function gstnRefuses(r: TestRig, route: MockRoute, code: string): void {
  r.mock.setFault(route, { kind: 'status', status: 200, code, times: 1 });
}

describe.each(FACES)('the provider contract (%s)', (face) => {
  it('declares its capabilities, and has a method for each it declares', async () => {
    const { provider } = await rigOf(face);
    expect(v.is(GstrProviderSchema, provider)).toBe(true);
    expect(provider.name).toBe(face);
    expect(typeof provider.refreshToken).toBe('function');
    expect(provider.capabilities.refresh).toBe(true);
  });

  it('sends one SMS per OTP request and exchanges the OTP for a taxpayer session', async () => {
    const r = await rigOf(face);
    const { session } = await authenticated(r);
    expect(r.mock.count('getOtp')).toBe(1);
    expect(r.mock.count('getAuthToken')).toBe(1);
    expect(r.mock.isAuthTokenValid(session.authToken)).toBe(true);
    expect(session.expiresAt).toBe(T0 + 6 * HOUR);
    if (r.provider.capabilities.accessDuration) {
      expect(session.accessExpiresAt).toBe(T0 + 30 * 24 * HOUR);
    }
    // What a session persists must survive JSON.
    expect(JSON.parse(JSON.stringify(session))).toEqual(session);
  });

  it('refuses a wrong OTP with OtpRejectedError', async () => {
    const r = await rigOf(face);
    const access = await accessOf(r.provider);
    const challenge = await r.provider.requestOtp(TAXPAYER, { access });
    const error = await rejectionOf(
      r.provider.getAuthToken({ ...TAXPAYER, otp: r.wrongOtp(), challenge }, { access }),
    );
    expect(isGstrError(error, 'OtpRejectedError')).toBe(true);
  });

  it('refreshes a taxpayer session into a new one, and the old token ends', async () => {
    const r = await rigOf(face);
    const { session } = await authenticated(r);
    r.clock.advance(5 * HOUR);
    const access = await accessOf(r.provider);
    const next = await r.provider.refreshToken?.({ ...TAXPAYER, session }, { access });
    expect(next?.authToken).toBeDefined();
    expect(next?.authToken).not.toBe(session.authToken);
    expect(next?.expiresAt).toBe(T0 + 11 * HOUR);
    expect(r.mock.isAuthTokenValid(session.authToken)).toBe(false);
    expect(r.mock.isAuthTokenValid(next?.authToken ?? '')).toBe(true);
    expect(r.mock.count('getOtp')).toBe(1);
  });

  it.each([
    ['AUTH4038', 'refreshToken', 'TokenRejectedError'],
    ['RET11402', 'refreshToken', 'TokenRejectedError'],
    ['AUTH4037', 'getAuthToken', 'AccessNotEnabledError'],
    ['AUTH4037', 'refreshToken', 'AccessNotEnabledError'],
    ['TEC4002', 'getOtp', 'CertificateRejectedError'],
    ['GSPGSTDOWN', 'getOtp', 'ProviderUnavailableError'],
    ['AUTH4034', 'getAuthToken', 'OtpRejectedError'],
  ] as const)('maps GSTN %s on %s to %s', async (code, route, name) => {
    const r = await rigOf(face);
    let call: () => Promise<unknown>;
    if (route === 'getOtp') {
      const access = await accessOf(r.provider);
      call = () => r.provider.requestOtp(TAXPAYER, { access });
    } else if (route === 'getAuthToken') {
      const access = await accessOf(r.provider);
      const challenge = await r.provider.requestOtp(TAXPAYER, { access });
      const otp = r.otp();
      call = () => r.provider.getAuthToken({ ...TAXPAYER, otp, challenge }, { access });
    } else {
      const { session } = await authenticated(r);
      const access = await accessOf(r.provider);
      call = () =>
        r.provider.refreshToken?.({ ...TAXPAYER, session }, { access }) ?? Promise.resolve();
    }
    gstnRefuses(r, route, code);
    const error = await rejectionOf(call());
    expect(isGstrError(error, name), String(error)).toBe(true);
    expect((error as { providerCode?: string }).providerCode).toBe(code);
    // Every typed refusal is also a ProviderHttpError, whatever its subclass.
    expect(isGstrError(error, 'ProviderHttpError')).toBe(true);
  });

  it('keeps an outage (HTTP 503) apart from GSTN business errors', async () => {
    const r = await rigOf(face);
    const access = await accessOf(r.provider);
    r.mock.setFault('getOtp', { kind: 'status', status: 503 });
    const error = await rejectionOf(r.provider.requestOtp(TAXPAYER, { access }));
    expect(isGstrError(error, 'ProviderUnavailableError')).toBe(true);
    // An OTP request is never re-sent once it may have arrived.
    expect(r.mock.count('getOtp')).toBe(1);
  });

  it('answers a refused access token with UnauthorizedError (providers with a login)', async () => {
    const r = await rigOf(face);
    if (!r.provider.capabilities.login) {
      expect(r.provider.login).toBeUndefined();
      return;
    }
    const access = await accessOf(r.provider);
    r.mock.expireAccessTokens();
    const error = await rejectionOf(r.provider.requestOtp(TAXPAYER, { access }));
    expect(isGstrError(error, 'UnauthorizedError')).toBe(true);
    expect(r.mock.count('getOtp')).toBe(1);
  });

  it('never puts a secret of the flow in an error', async () => {
    const r = await rigOf(face);
    const { challenge, session, otp } = await authenticated(r);
    const access = await accessOf(r.provider);
    const secrets = [
      otp,
      session.authToken,
      ...Object.values(challenge.secrets),
      ...Object.values(session.secrets),
      ...(access ? [access.accessToken] : []),
    ].filter((s) => s.length >= 6);
    const errors: unknown[] = [];
    r.mock.setFault('refreshToken', { kind: 'status', status: 200, code: 'AUTH4038', times: 1 });
    errors.push(
      await rejectionOf(
        r.provider.refreshToken?.({ ...TAXPAYER, session }, { access }) ?? Promise.resolve(),
      ),
    );
    r.mock.setFault('getAuthToken', { kind: 'reset', times: 1 });
    errors.push(
      await rejectionOf(r.provider.getAuthToken({ ...TAXPAYER, otp, challenge }, { access })),
    );
    r.mock.setFault('getAuthToken', { kind: 'malformedJson', times: 1 });
    errors.push(
      await rejectionOf(r.provider.getAuthToken({ ...TAXPAYER, otp, challenge }, { access })),
    );
    for (const error of errors) {
      expect(isGstrError(error)).toBe(true);
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`;
      expect(leakedSecrets(text, secrets)).toEqual([]);
    }
  });

  it('runs a whole session: OTP, token, refresh ahead of expiry, logout', async () => {
    const r = await rigOf(face);
    const session = r.session({ refreshJitterMs: 0 });
    session.start();
    await session.once('otp.required', { timeoutMs: 10_000 });
    const credentials = await session.submitOtp(r.otp());
    expect(credentials.provider).toBe(face);
    expect(credentials.expiresAt).toBe(T0 + 6 * HOUR);
    r.clock.advance(6 * HOUR - 10 * 60_000);
    // Waited for in real time: the session's own clock just jumped by hours.
    await waitFor(
      session.actor,
      (s) => s.value === 'authenticated' && s.context.token?.authToken !== credentials.authToken,
      { timeout: 10_000 },
    );
    const refreshed = await session.credentials();
    expect(refreshed.authToken).not.toBe(credentials.authToken);
    expect(r.mock.count('refreshToken')).toBe(1);
    expect(r.mock.count('getOtp')).toBe(1);
    await session.logout();
    expect(session.state).toBe('loggedOut');
    expect(r.mock.count('logout')).toBe(r.provider.capabilities.logout ? 1 : 0);
  });
});
