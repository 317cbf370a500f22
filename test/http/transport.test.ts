import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import {
  MOCK_DEFAULT_ACCOUNT,
  type MockFault,
  type MockProvider,
  type MockRoute,
} from '../../src/testing/mock/types.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';

/** A second local server that records every request that reaches it. */
async function startRecorder(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    req.on('end', () => {
      bodies.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${text}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const TIMEOUT_MS = 300;

/** Each step of the client, run against the mock, with what it needs first. */
const STEPS: Record<
  Exclude<MockRoute, 'refreshToken' | 'download' | 'authenticate'> | 'refreshToken',
  (client: SignzyClient, mock: MockProvider) => Promise<unknown>
> = {
  login: (client) => client.login(),
  getOtp: async (client) => {
    await client.login();
    return client.requestOtp({ gstin: GSTIN, username: USERNAME });
  },
  getAuthToken: async (client, _mock) => {
    await client.login();
    const challenge = await client.requestOtp({ gstin: GSTIN, username: USERNAME });
    return client.getAuthToken({ gstin: GSTIN, username: USERNAME, challenge, otp: '575757' });
  },
  refreshToken: async (client) => {
    await client.login();
    const challenge = await client.requestOtp({ gstin: GSTIN, username: USERNAME });
    const session = await client.getAuthToken({
      gstin: GSTIN,
      username: USERNAME,
      challenge,
      otp: '575757',
    });
    return client.refreshToken?.(
      { gstin: GSTIN, username: USERNAME, session },
      {
        access: await client.login(),
      },
    );
  },
  logout: async (client) => {
    await client.login();
    return client.logout();
  },
  call: async (client) => {
    await client.login();
    return client.call('summary', { gstin: GSTIN, username: USERNAME });
  },
};

describe('the Signzy client against a hostile transport', () => {
  let mock: MockProvider | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  async function clientWith(
    route: MockRoute,
    fault: MockFault,
    options: Partial<ConstructorParameters<typeof SignzyClient>[0]> = {},
  ): Promise<{ client: SignzyClient; mock: MockProvider }> {
    mock = await createMockProvider({ otpMode: 'sandbox', refreshTask: 'refreshToken' });
    mock.setFault(route, fault);
    const client = new SignzyClient({
      ...MOCK_DEFAULT_ACCOUNT,
      baseUrl: mock.url,
      refreshTask: 'refreshToken',
      timeoutMs: TIMEOUT_MS,
      retry: { limit: 2, backoffLimitMs: 10 },
      ...options,
    });
    return { client, mock };
  }

  for (const route of Object.keys(STEPS) as (keyof typeof STEPS)[]) {
    it(`ends ${route} with a TimeoutError when the body stalls after the headers`, async () => {
      const { client, mock: m } = await clientWith(route, { kind: 'stallBody' });
      const started = performance.now();
      const error = await rejectionOf(STEPS[route](client, m));
      const took = performance.now() - started;
      expect(isGstrError(error, 'TimeoutError')).toBe(true);
      expect((error as Error).message).toContain('127.0.0.1');
      // The step's own time is bounded by timeoutMs; the set-up steps before it take a few ms.
      expect(took).toBeLessThan(TIMEOUT_MS * 3);
    });

    it(`ends ${route} with a TimeoutError when the body drips`, async () => {
      const { client, mock: m } = await clientWith(route, { kind: 'drip', intervalMs: 40 });
      const error = await rejectionOf(STEPS[route](client, m));
      expect(isGstrError(error, 'TimeoutError')).toBe(true);
    });

    it(`refuses a redirect on ${route} and sends nothing to its target`, async () => {
      const recorder = await startRecorder();
      try {
        const target = `${recorder.url}/steal`;
        const { client, mock: m } = await clientWith(route, { kind: 'redirect', location: target });
        const error = await rejectionOf(STEPS[route](client, m));
        expect(isGstrError(error, 'ProviderHttpError')).toBe(true);
        expect((error as { status: number }).status).toBe(307);
        expect((error as Error).message).toContain(new URL(recorder.url).host);
        expect(recorder.bodies).toEqual([]);
      } finally {
        await recorder.close();
      }
    });
  }

  it('refuses a 308 on login once, without re-posting the password anywhere', async () => {
    const recorder = await startRecorder();
    try {
      const { client, mock: m } = await clientWith('login', {
        kind: 'redirect',
        status: 308,
        location: `${recorder.url}/login`,
      });
      await rejectionOf(client.login());
      expect(m.count('login')).toBe(1);
      expect(recorder.bodies).toEqual([]);
    } finally {
      await recorder.close();
    }
  });

  it('reads no further than maxResponseBytes when the size is declared', async () => {
    const { client } = await clientWith(
      'login',
      { kind: 'oversize', bytes: 5_000_000 },
      { maxResponseBytes: 4096 },
    );
    const error = await rejectionOf(client.login());
    expect(isGstrError(error, 'ResponseTooLargeError')).toBe(true);
    expect((error as { limitBytes: number }).limitBytes).toBe(4096);
  });

  it('counts the bytes of a chunked answer that declares no size', async () => {
    const { client } = await clientWith(
      'login',
      { kind: 'oversize', bytes: 5_000_000, declared: false },
      { maxResponseBytes: 4096 },
    );
    const error = await rejectionOf(client.login());
    expect(isGstrError(error, 'ResponseTooLargeError')).toBe(true);
  });

  it('gives call a larger cap than the auth steps, and a per-call override', async () => {
    const { client, mock: m } = await clientWith('call', { kind: 'oversize', bytes: 300_000 });
    await client.login();
    // 300 kB is over the auth steps' 256 KiB but within the call default.
    await expect(
      client.call('summary', { gstin: GSTIN, username: USERNAME }),
    ).resolves.toBeDefined();
    m.setFault('call', { kind: 'oversize', bytes: 300_000 });
    const error = await rejectionOf(
      client.call('summary', { gstin: GSTIN, username: USERNAME }, { maxResponseBytes: 100_000 }),
    );
    expect(isGstrError(error, 'ResponseTooLargeError')).toBe(true);
  });

  it('fails at once when Retry-After is longer than maxRetryAfterMs', async () => {
    const { client, mock: m } = await clientWith(
      'login',
      { kind: 'status', status: 503, retryAfterSeconds: 120 },
      { timeoutMs: 5_000, retry: { limit: 2, maxRetryAfterMs: 1_000 } },
    );
    const started = performance.now();
    const error = await rejectionOf(client.login());
    expect(isGstrError(error, 'ProviderHttpError')).toBe(true);
    expect(m.count('login')).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('still honours a Retry-After within the limits', async () => {
    const { client, mock: m } = await clientWith(
      'login',
      { kind: 'status', status: 503, retryAfterSeconds: 0, times: 1 },
      { timeoutMs: 5_000 },
    );
    await expect(client.login()).resolves.toMatchObject({ details: { patronId: 'patron-1' } });
    expect(m.count('login')).toBe(2);
  });

  it('keeps the caller abort reason when the caller aborts a stalled body', async () => {
    const { client } = await clientWith('login', { kind: 'stallBody' }, { timeoutMs: 5_000 });
    const controller = new AbortController();
    const reason = new Error('the app gave up');
    setTimeout(() => controller.abort(reason), 50);
    await expect(client.login({ signal: controller.signal })).rejects.toBe(reason);
  });
});
