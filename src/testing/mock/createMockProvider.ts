import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_GSTR_PATH } from '../../providers/signzy/options.js';
import { isValidGstin } from '../../schemas/gstin.js';
import {
  MOCK_DEFAULT_ACCOUNT,
  type MockFault,
  type MockProvider,
  type MockProviderOptions,
  type MockRoute,
  type RecordedRequest,
} from './types.js';

interface Session {
  readonly patronId: string;
  expiresAt: number;
}

interface PendingOtp {
  readonly username: string;
  readonly otp: string;
  readonly appKey: string;
  readonly issuedAt: number;
  used: boolean;
}

interface IssuedToken {
  readonly gstin: string;
  readonly appKey: string;
  readonly expiresAt: number;
  revoked: boolean;
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
}

const SANDBOX_OTP = '575757';
const MAX_BODY_BYTES = 1_000_000;

function token(): string {
  return randomBytes(24).toString('hex');
}

function loopbackError(status: number, message: string, code?: string): Answer {
  return {
    status,
    body: {
      error: {
        statusCode: status,
        name: 'Error',
        message,
        ...(code ? { code, error_cd: code } : {}),
      },
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A copy of `body` with the field at a dotted path deleted, or set to `value`. */
function withField(body: unknown, dotted: string, change: { value: unknown } | 'delete'): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = dotted.split('.');
  let target: Record<string, unknown> | undefined = copy;
  for (const key of keys.slice(0, -1)) {
    const next: unknown = target?.[key];
    target =
      typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
  }
  const last = keys[keys.length - 1] ?? '';
  if (!target) return copy;
  if (change === 'delete') delete target[last];
  else target[last] = change.value;
  return copy;
}

/** Writes `payload` one byte every `intervalMs` until done or the client goes away. */
async function drip(res: ServerResponse, payload: string, intervalMs: number): Promise<void> {
  const bytes = Buffer.from(payload, 'utf8');
  for (let i = 0; i < bytes.length && !res.destroyed; i++) {
    res.write(bytes.subarray(i, i + 1));
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  if (!res.destroyed) res.end();
}

/**
 * Starts a mock of the provider's GSTR API on 127.0.0.1 and a random port: a real HTTP
 * server that enforces the protocol (credentials, access tokens, OTP validity, appKey
 * matching), records every request and can inject faults per route.
 *
 * @example
 * ```ts
 * const mock = await createMockProvider({ otpMode: 'sandbox' });
 * const provider = signzyProvider({ baseUrl: mock.url, ...MOCK_DEFAULT_ACCOUNT });
 * // ... run a session; then:
 * expect(mock.count('getOtp')).toBe(1);
 * await mock.close();
 * ```
 */
export async function createMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const accounts = options.accounts ?? [MOCK_DEFAULT_ACCOUNT];
  const now = options.now ?? Date.now;
  const unit = options.tokenLifetimeUnit ?? 'minutes';
  const lifetime = options.tokenLifetime ?? 360;
  const lifetimeMs = unit === 'minutes' ? lifetime * 60_000 : lifetime * 1000;
  const accessTtlSeconds = options.accessTokenTtlSeconds ?? 1_209_600;
  const otpValidityMs = options.otpValidityMs ?? 600_000;
  const gstrPattern = new RegExp(
    `^${(options.gstrPath ?? DEFAULT_GSTR_PATH)
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace('{patronId}', '([^/]+)')}$`,
  );

  const sessions = new Map<string, Session>();
  const otps = new Map<string, PendingOtp>();
  const tokens = new Map<string, IssuedToken>();
  const faults = new Map<MockRoute | '*', { fault: MockFault; left: number }>();
  const held = new Set<(status?: number) => void>();
  const requests: RecordedRequest[] = [];

  function authorised(req: IncomingMessage): Session | undefined {
    const header = req.headers.authorization;
    const session = header ? sessions.get(header) : undefined;
    return session && session.expiresAt > now() ? session : undefined;
  }

  function login(body: Record<string, unknown> | undefined): Answer {
    const username = str(body?.username);
    const password = str(body?.password);
    if (!username || !password) return loopbackError(400, 'username and password are required');
    const known = accounts.some((a) => a.username === username && a.password === password);
    if (!known) return loopbackError(401, 'login failed', 'LOGIN_FAILED');
    const accessToken = token();
    const patronId = `patron-${accounts.findIndex((a) => a.username === username) + 1}`;
    sessions.set(accessToken, { patronId, expiresAt: now() + accessTtlSeconds * 1000 });
    return {
      status: 200,
      body: {
        id: accessToken,
        ttl: accessTtlSeconds,
        created: new Date(now()).toISOString(),
        userId: patronId,
      },
    };
  }

  function expiryFor(expiresAt: number): number {
    if (unit === 'epoch-ms') return expiresAt;
    return lifetime;
  }

  function issueToken(
    gstin: string,
    appKey: string,
  ): { authToken: string; sek: string; expiry: number } {
    const authToken = token();
    const expiresAt = now() + (unit === 'epoch-ms' ? lifetime * 1000 : lifetimeMs);
    tokens.set(authToken, { gstin, appKey, expiresAt, revoked: false });
    return { authToken, sek: randomBytes(32).toString('base64'), expiry: expiryFor(expiresAt) };
  }

  function task(
    session: Session,
    name: string,
    essentials: Record<string, unknown>,
    accessToken: string,
  ): Answer {
    const gstin = str(essentials.gstin);
    const username = str(essentials.username);
    if (!gstin || !isValidGstin(gstin)) return loopbackError(400, 'essentials.gstin is invalid');
    if (!username) return loopbackError(400, 'essentials.username is required');
    const envelope = { task: name, essentials, id: accessToken, patronId: session.patronId };

    if (name === 'getOtp') {
      const appKey = token();
      const otp =
        options.otpMode === 'sandbox'
          ? SANDBOX_OTP
          : String(randomInt(0, 1_000_000)).padStart(6, '0');
      otps.set(gstin, { username, otp, appKey, issuedAt: now(), used: false });
      return {
        status: 200,
        body: { ...envelope, result: { message: 'OTP sent to the registered mobile', appKey } },
      };
    }

    if (name === 'getAuthToken') {
      const pending = otps.get(gstin);
      const otp = str(essentials.otp);
      const appKey = str(essentials.appKey);
      if (!otp || !appKey)
        return loopbackError(400, 'essentials.otp and essentials.appKey are required');
      if (!pending || pending.used || pending.username !== username) {
        return loopbackError(422, 'Invalid Session', 'AUTH4033');
      }
      if (pending.appKey !== appKey) return loopbackError(422, 'Invalid Session', 'AUTH4033');
      if (now() - pending.issuedAt > otpValidityMs)
        return loopbackError(422, 'OTP has expired', 'AUTH4033');
      if (pending.otp !== otp) return loopbackError(422, 'Invalid OTP', 'AUTH4034');
      pending.used = true;
      return {
        status: 200,
        body: {
          ...envelope,
          result: { message: 'Auth token generated', ...issueToken(gstin, appKey) },
        },
      };
    }

    const authToken = str(essentials.authToken);
    const issued = authToken ? tokens.get(authToken) : undefined;
    const valid = issued && !issued.revoked && issued.expiresAt > now() && issued.gstin === gstin;

    if (options.refreshTask && name === options.refreshTask) {
      if (!valid || issued.appKey !== essentials.appKey)
        return loopbackError(422, 'Invalid Session', 'AUTH4033');
      issued.revoked = true;
      return {
        status: 200,
        body: {
          ...envelope,
          result: { message: 'Auth token refreshed', ...issueToken(gstin, issued.appKey) },
        },
      };
    }

    if (!valid) {
      return {
        status: 200,
        body: { status_cd: 0, error: { error_cd: 'RET11407', message: 'Auth token is invalid' } },
      };
    }
    return { status: 200, body: { ...envelope, result: { message: 'ok', task: name, gstin } } };
  }

  function routeOf(
    req: IncomingMessage,
    body: Record<string, unknown> | undefined,
  ): MockRoute | 'unknown' {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === '/api/v2/patrons/login') return 'login';
    if (path === '/api/v2/patrons/logout') return 'logout';
    if (!gstrPattern.test(path)) return 'unknown';
    if (body?.task === 'getOtp') return 'getOtp';
    if (body?.task === 'getAuthToken') return 'getAuthToken';
    if (options.refreshTask && body?.task === options.refreshTask) return 'refreshToken';
    return 'call';
  }

  function answer(
    req: IncomingMessage,
    route: MockRoute | 'unknown',
    text: string,
    body: Record<string, unknown> | undefined,
  ): Answer {
    if (req.method !== 'POST') return loopbackError(404, 'not found');
    if (route === 'unknown')
      return loopbackError(
        404,
        `Shared class "patrons" has no method to handle POST ${req.url ?? ''}`,
      );
    if (!body)
      return loopbackError(400, text.trim() === '' ? 'body is required' : 'body is not valid JSON');
    if (route === 'login') return login(body);
    const session = authorised(req);
    const accessToken = req.headers.authorization ?? '';
    if (!session) return loopbackError(401, 'Authorization Required', 'AUTHORIZATION_REQUIRED');
    if (route === 'logout') {
      sessions.delete(accessToken);
      return { status: 204 };
    }
    const patronId = gstrPattern.exec((req.url ?? '').split('?')[0] ?? '')?.[1];
    if (patronId !== session.patronId)
      return loopbackError(401, 'Authorization Required', 'AUTHORIZATION_REQUIRED');
    const essentials = body.essentials;
    if (typeof body.task !== 'string' || typeof essentials !== 'object' || essentials === null) {
      return loopbackError(400, 'task and essentials are required');
    }
    return task(session, body.task, essentials as Record<string, unknown>, accessToken);
  }

  function takeFault(route: MockRoute | 'unknown'): MockFault | undefined {
    if (route === 'unknown') return undefined;
    const key = faults.has(route) ? route : '*';
    const entry = faults.get(key);
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) faults.delete(key);
    return entry.fault;
  }

  function send(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    payload?: string,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    if (payload === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(payload);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const body = parseJson(text);
    const route = routeOf(req, body);
    const essentials = body?.essentials as Record<string, unknown> | undefined;
    const record: RecordedRequest = {
      route,
      task: typeof body?.task === 'string' ? body.task : undefined,
      gstin: typeof essentials?.gstin === 'string' ? essentials.gstin : undefined,
      at: now(),
      status: 0,
    };
    requests.push(record);

    const fault = takeFault(route);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'redirect') {
      send(res, record, fault.status ?? 307, undefined, { location: fault.location });
      return;
    }
    if (fault?.kind === 'oversize') {
      record.status = 200;
      const filler = 'x'.repeat(Math.max(0, fault.bytes - 20));
      const payload = `{"result":{"pad":"${filler}"}}`;
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(fault.declared === false
          ? {}
          : { 'content-length': String(Buffer.byteLength(payload)) }),
      });
      // Chunks, so that a client that stops reading early is not sent the rest at once.
      for (let i = 0; i < payload.length && !res.destroyed; i += 65_536) {
        if (!res.write(payload.slice(i, i + 65_536)))
          await new Promise((r) => res.once('drain', r).once('close', r));
      }
      if (!res.destroyed) res.end();
      return;
    }
    if (fault?.kind === 'hang') {
      // Held until the client gives up (aborts), the test releases it with a status, or the
      // mock closes.
      const status = await new Promise<number | undefined>((release) => {
        const done = (answer?: number): void => {
          held.delete(done);
          release(answer);
        };
        held.add(done);
        res.once('close', () => done());
      });
      if (status === undefined || res.destroyed) {
        req.socket.destroy();
        return;
      }
      const { body: errorBody } = loopbackError(status, 'released hang');
      send(res, record, status, JSON.stringify(errorBody));
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'status') {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(fault.retryAfterSeconds) };
      const { body: errorBody } = loopbackError(fault.status, 'injected fault', fault.code);
      send(res, record, fault.status, JSON.stringify(errorBody), headers);
      return;
    }
    const result = answer(req, route, text, body);
    const slow = fault?.kind === 'stallBody' || fault?.kind === 'drip';
    if (result.body === undefined && !slow) {
      send(res, record, result.status);
      return;
    }
    if (fault?.kind === 'malformedJson' && result.status < 300) {
      send(res, record, result.status, '{"result": {"authToken": ');
      return;
    }
    const ok = result.status < 300;
    const out =
      fault?.kind === 'missingField' && ok
        ? withField(result.body, fault.field, 'delete')
        : fault?.kind === 'setField' && ok
          ? withField(result.body, fault.field, { value: fault.value })
          : result.body;
    // A bodiless answer (logout's 204) gets a small body, so that it too can stall or drip.
    const payload =
      out === undefined ? JSON.stringify({ ok: true, pad: 'x'.repeat(64) }) : JSON.stringify(out);
    if (fault?.kind === 'stallBody' || fault?.kind === 'drip') {
      const status = out === undefined ? 200 : result.status;
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      if (fault.kind === 'drip') {
        await drip(res, payload, fault.intervalMs);
        return;
      }
      // Half the answer, then silence until the client gives up or the mock closes.
      res.write(payload.slice(0, Math.floor(payload.length / 2)));
      await new Promise<void>((resolve) => {
        const done = (): void => {
          held.delete(done);
          resolve();
        };
        held.add(done);
        res.once('close', done);
      });
      res.destroy();
      return;
    }
    send(res, record, result.status, payload);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    otpFor: (gstin) => {
      const pending = otps.get(gstin.trim().toUpperCase());
      return pending && !pending.used ? pending.otp : undefined;
    },
    setFault: (route, fault) => {
      if (fault) faults.set(route, { fault, left: fault.times ?? Number.POSITIVE_INFINITY });
      else faults.delete(route);
    },
    clearFaults: () => faults.clear(),
    hanging: () => held.size,
    release: (status = 503) => {
      for (const answer of [...held]) answer(status);
    },
    count: (route, gstin) =>
      requests.filter((r) => r.route === route && (gstin === undefined || r.gstin === gstin))
        .length,
    expireAccessTokens: () => {
      for (const session of sessions.values()) session.expiresAt = 0;
    },
    revokeAuthTokens: () => {
      for (const issued of tokens.values()) issued.revoked = true;
    },
    isAuthTokenValid: (authToken) => {
      const issued = tokens.get(authToken);
      return issued !== undefined && !issued.revoked && issued.expiresAt > now();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of [...held]) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
