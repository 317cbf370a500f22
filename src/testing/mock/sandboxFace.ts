import { randomBytes } from 'node:crypto';
import { isValidGstin } from '../../schemas/gstin.js';
import { type Answer, type FaceRequest, header, type MockFace, str } from './face.js';
import type { FakeGstn } from './fakeGstn.js';
import type { MockRoute } from './types.js';

/** The Sandbox.co.in API key and secret the mock's Sandbox face accepts (test values). */
export const MOCK_SANDBOX_ACCOUNT = {
  apiKey: 'key_test_mock',
  apiSecret: 'secret_test_mock',
} as const;

/** Options of {@link createSandboxFace}. */
export interface SandboxFaceOptions {
  /** The API token's life, in ms (24 h). */
  readonly accessTtlMs: number;
  readonly now: () => number;
}

const READ_PATH =
  /^\/gst\/compliance\/tax-payer\/gstrs\/([a-z0-9-]+)(?:\/([a-z0-9]+))?(?:\/([0-9]{4})\/([0-9]{2}))?$/;

const ROUTES: Readonly<Record<string, MockRoute>> = {
  '/authenticate': 'login',
  '/gst/compliance/tax-payer/otp': 'getOtp',
  '/gst/compliance/tax-payer/otp/verify': 'getAuthToken',
  '/gst/compliance/tax-payer/session/refresh': 'refreshToken',
};

/** Sandbox's envelope around an answer. */
function envelope(code: number, data: unknown): Answer {
  return {
    status: code,
    body: { code, timestamp: Date.now(), transaction_id: randomBytes(8).toString('hex'), data },
  };
}

/** Sandbox's own error: `{ code, message }`. */
function sandboxError(code: number, message: string): Answer {
  return { status: code, body: { code, message } };
}

/** Sandbox's answer to a taxpayer call without the account's API key, or `undefined`. */
function keyRefused(request: FaceRequest): Answer | undefined {
  return header(request, 'x-api-key') === MOCK_SANDBOX_ACCOUNT.apiKey
    ? undefined
    : sandboxError(403, 'Invalid API key');
}

/** A GSTN refusal, relayed by Sandbox inside its envelope. */
function gstnRefusal(code: string, message: string): Answer {
  return envelope(200, { status_cd: '0', error: { error_cd: code, message } });
}

/**
 * Sandbox.co.in's GST compliance API over the fake GSTN: the API token login (a JWT-shaped
 * token with an `exp`), the taxpayer OTP and its verification (`?otp=`), the session refresh
 * with the taxpayer token, and GSTN's refusals relayed inside Sandbox's envelope.
 */
export function createSandboxFace(options: SandboxFaceOptions, gstn: FakeGstn): MockFace {
  const { now } = options;
  const apiTokens = new Map<string, number>();
  /** Taxpayer tokens are GSTN's own (the fake's), handed out as they are. */

  function login(request: FaceRequest): Answer {
    if (
      header(request, 'x-api-key') !== MOCK_SANDBOX_ACCOUNT.apiKey ||
      header(request, 'x-api-secret') !== MOCK_SANDBOX_ACCOUNT.apiSecret
    ) {
      return sandboxError(401, 'Invalid API key or secret');
    }
    const expiresAt = now() + options.accessTtlMs;
    const claims = Buffer.from(JSON.stringify({ exp: Math.floor(expiresAt / 1000) })).toString(
      'base64url',
    );
    const token = `eyJhbGciOiJIUzI1NiJ9.${claims}.${randomBytes(16).toString('base64url')}`;
    apiTokens.set(token, expiresAt);
    return envelope(200, { access_token: token });
  }

  function taxpayerToken(outcome: ReturnType<FakeGstn['verifyOtp']>): Answer {
    if (!outcome.ok) return gstnRefusal(outcome.code, outcome.message);
    const { authToken, expiresAt, accessExpiresAt } = outcome.value;
    return envelope(200, {
      access_token: authToken,
      token_expiry: expiresAt,
      ...(accessExpiresAt === undefined ? {} : { session_expiry: accessExpiresAt }),
    });
  }

  /** A read with the taxpayer token: GSTN's sample data in Sandbox's envelope. */
  function read(request: FaceRequest): Answer {
    if (request.method !== 'GET') return sandboxError(405, 'GET only');
    const refused = keyRefused(request);
    if (refused) return refused;
    const [, kind, section, year, month] = READ_PATH.exec(request.path) ?? [];
    const gstin = request.query.get('gstin') ?? '';
    const named: Record<string, string> = {
      'gstr-3b': 'RETSUM',
      'gstr-2b': 'GET2B',
      preference: 'GETPREF',
      status: 'RETSTATUS',
    };
    const action = named[kind ?? ''] ?? (section ?? kind ?? '').toUpperCase();
    const outcome = gstn.read(gstin, request.authorization ?? '', {
      action,
      retPeriod: year && month ? `${month}${year}` : undefined,
    });
    if (!outcome.ok) return gstnRefusal(outcome.code, outcome.message);
    return envelope(200, outcome.value);
  }

  return {
    routeOf(request) {
      if (READ_PATH.test(request.path)) return 'call';
      return Object.hasOwn(ROUTES, request.path) ? (ROUTES[request.path] ?? 'unknown') : 'unknown';
    },
    gstinOf: (request) => str(request.body?.gstin) ?? request.query.get('gstin') ?? undefined,
    errorBody: (status, message, code) =>
      code
        ? { code: status, data: { status_cd: '0', error: { error_cd: code, message } } }
        : { code: status, message },
    answer(request, route) {
      if (route === 'call') return read(request);
      if (request.method !== 'POST' || route === 'unknown') {
        return sandboxError(404, `no route for ${request.method} ${request.path}`);
      }
      if (route === 'login') return login(request);
      const refused = keyRefused(request);
      if (refused) return refused;
      const body = request.body;
      const gstin = str(body?.gstin);
      const username = str(body?.username);
      if (!gstin || !isValidGstin(gstin) || !username) {
        return sandboxError(422, 'gstin and username are required');
      }
      const authorization = request.authorization ?? '';
      if (route === 'refreshToken') {
        const keys = gstn.keysOf(authorization, gstin);
        if (!keys) return gstnRefusal('AUTH4038', 'Session expired');
        return taxpayerToken(gstn.refresh(gstin, authorization, keys.appKey));
      }
      const apiTokenEnd = apiTokens.get(authorization);
      if (apiTokenEnd === undefined || apiTokenEnd <= now()) {
        return sandboxError(401, 'Unauthorized: the API token is invalid or expired');
      }
      if (route === 'getOtp') {
        gstn.requestOtp(gstin, username);
        return envelope(200, { status_cd: '1', message: 'OTP sent' });
      }
      const otp = request.query.get('otp') ?? '';
      // Sandbox's verification names no challenge: the OTP pending for this taxpayer is it.
      const pending = gstn.challengeOf(gstin);
      return taxpayerToken(gstn.verifyOtp(gstin, username, otp, pending ?? ''));
    },
    expireAccessTokens() {
      for (const token of apiTokens.keys()) apiTokens.set(token, 0);
    },
  };
}
