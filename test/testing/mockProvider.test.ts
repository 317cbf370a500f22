import { afterEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT, type MockProvider } from '../../src/testing/mock/types.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';

let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: the mock's answers are read field by field in asserts
type Json = Record<string, any>;

async function post(
  path: string,
  body: unknown,
  authorization?: string,
): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${mock?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

async function authenticated(): Promise<{
  access: string;
  patronId: string;
  authToken: string;
  appKey: string;
  expiry: number;
}> {
  const login = await post('/api/v2/patrons/login', MOCK_DEFAULT_ACCOUNT);
  const path = `/api/v2/patrons/${login.json.userId}/gstrs`;
  const otp = await post(
    path,
    { task: 'getOtp', essentials: { gstin: GSTIN, username: USERNAME } },
    login.json.id,
  );
  const token = await post(
    path,
    {
      task: 'getAuthToken',
      essentials: {
        gstin: GSTIN,
        username: USERNAME,
        otp: '575757',
        appKey: otp.json.result.appKey,
      },
    },
    login.json.id,
  );
  return {
    expiry: token.json.result.expiry,
    access: login.json.id,
    patronId: login.json.userId,
    authToken: token.json.result.authToken,
    appKey: otp.json.result.appKey,
  };
}

describe('createMockProvider', () => {
  it('answers the spec shapes and records requests without secrets', async () => {
    mock = await createMockProvider({ otpMode: 'sandbox' });
    const { authToken } = await authenticated();
    expect(mock.isAuthTokenValid(authToken)).toBe(true);
    expect(mock.requests.map((r) => [r.route, r.status])).toEqual([
      ['login', 200],
      ['getOtp', 200],
      ['getAuthToken', 200],
    ]);
    const log = JSON.stringify(mock.requests);
    expect(log).not.toContain(MOCK_DEFAULT_ACCOUNT.password);
    expect(log).not.toContain('575757');
    expect(log).not.toContain(authToken);
  });

  it('enforces the access token, its patron, and the body', async () => {
    mock = await createMockProvider();
    const login = await post('/api/v2/patrons/login', MOCK_DEFAULT_ACCOUNT);
    expect(
      (
        await post(`/api/v2/patrons/${login.json.userId}/gstrs`, {
          task: 'getOtp',
          essentials: { gstin: GSTIN, username: USERNAME },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await post(
          '/api/v2/patrons/someone-else/gstrs',
          { task: 'getOtp', essentials: { gstin: GSTIN, username: USERNAME } },
          login.json.id,
        )
      ).status,
    ).toBe(401);
    expect(
      (await post(`/api/v2/patrons/${login.json.userId}/gstrs`, '{"task": ', login.json.id)).status,
    ).toBe(400);
    expect(
      (
        await post(
          `/api/v2/patrons/${login.json.userId}/gstrs`,
          { task: 'getOtp', essentials: { gstin: '27AAPFU0939F1ZX', username: USERNAME } },
          login.json.id,
        )
      ).status,
    ).toBe(400);
    expect((await post('/api/v2/nothing-here', {})).status).toBe(404);
  });

  it('revokes auth tokens as GSTN ending the session would', async () => {
    mock = await createMockProvider({ otpMode: 'sandbox' });
    const { access, patronId, authToken, appKey } = await authenticated();
    mock.revokeAuthTokens();
    expect(mock.isAuthTokenValid(authToken)).toBe(false);
    const answer = await post(
      `/api/v2/patrons/${patronId}/gstrs`,
      {
        task: 'gstr3bSummary',
        essentials: { gstin: GSTIN, username: USERNAME, authToken, appKey },
      },
      access,
    );
    expect(answer.json).toMatchObject({ status_cd: 0, error: { error_cd: 'RET11407' } });
  });

  it('applies a `*` fault to every route without its own, and clears faults', async () => {
    mock = await createMockProvider();
    mock.setFault('*', { kind: 'status', status: 503 });
    mock.setFault('logout', { kind: 'status', status: 418 });
    expect((await post('/api/v2/patrons/login', MOCK_DEFAULT_ACCOUNT)).status).toBe(503);
    expect((await post('/api/v2/patrons/logout', {})).status).toBe(418);
    mock.clearFaults();
    expect((await post('/api/v2/patrons/login', MOCK_DEFAULT_ACCOUNT)).status).toBe(200);
  });

  it('applies a fault with a rate to about that share of requests, and spares the rest', async () => {
    mock = await createMockProvider();
    mock.setFault('login', { kind: 'status', status: 503, rate: 0.3 });
    const statuses: number[] = [];
    for (let i = 0; i < 300; i += 1)
      statuses.push((await post('/api/v2/patrons/login', MOCK_DEFAULT_ACCOUNT)).status);
    const failed = statuses.filter((s) => s === 503).length;
    // Binomial(300, 0.3): mean 90, sd about 8; the bounds are more than 5 sd away.
    expect(failed).toBeGreaterThan(45);
    expect(failed).toBeLessThan(135);
    expect(statuses.filter((s) => s === 200)).toHaveLength(300 - failed);
    // `times` counts only the requests the fault hit.
    mock.setFault('login', { kind: 'status', status: 503, rate: 0.5, times: 3 });
    const next: number[] = [];
    for (let i = 0; i < 200; i += 1)
      next.push((await post('/api/v2/patrons/login', MOCK_DEFAULT_ACCOUNT)).status);
    expect(next.filter((s) => s === 503)).toHaveLength(3);
  });

  it('holds a request on a hang fault until the client gives up', async () => {
    mock = await createMockProvider();
    mock.setFault('login', { kind: 'hang', times: 1 });
    const controller = new AbortController();
    const pending = fetch(`${mock.url}/api/v2/patrons/login`, {
      method: 'POST',
      body: JSON.stringify(MOCK_DEFAULT_ACCOUNT),
      signal: controller.signal,
    }).catch((e: Error) => e.name);
    for (let i = 0; i < 100 && mock.hanging() === 0; i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(mock.hanging()).toBe(1);
    controller.abort();
    expect(await pending).toBe('AbortError');
    for (let i = 0; i < 100 && mock.hanging() > 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(mock.hanging()).toBe(0);
  });

  it('answers expiry as an absolute time with the epoch-ms unit', async () => {
    mock = await createMockProvider({
      otpMode: 'sandbox',
      tokenLifetime: 900,
      tokenLifetimeUnit: 'epoch-ms',
      now: () => 1_000_000,
    });
    const { expiry } = await authenticated();
    expect(expiry).toBe(1_000_000 + 900_000);
  });
});
