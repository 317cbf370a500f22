import { randomBytes } from 'node:crypto';
import type { ExpiryUnit } from '../../providers/signzy/expiry.js';
import { signzyNamesOf } from '../../providers/signzy/fieldNames.js';
import { DEFAULT_GSTR_PATH } from '../../providers/signzy/options.js';
import { isValidGstin } from '../../schemas/gstin.js';
import { type Answer, type MockFace, str } from './face.js';
import type { FakeGstn, GstnOutcome, IssuedGstnToken } from './fakeGstn.js';
import type { MockAccount } from './types.js';

/** Options of {@link createSignzyFace}. */
export interface SignzyFaceOptions {
  readonly accounts: readonly MockAccount[];
  readonly accessTtlSeconds: number;
  readonly gstrPath?: string | undefined;
  readonly refreshTask?: string | undefined;
  readonly expiryUnit: ExpiryUnit;
  /** The token lifetime as answered in `expiry` (when the unit is not epoch-ms). */
  readonly lifetime: number;
  readonly now: () => number;
}

/** A LoopBack error body, as the provider answers one. */
export function loopbackError(status: number, message: string, code?: string): Answer {
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

/** Creates the Signzy face of the mock over a fake GSTN. */
export function createSignzyFace(options: SignzyFaceOptions, gstn: FakeGstn): MockFace {
  const { now } = options;
  const sessions = new Map<string, { readonly patronId: string; expiresAt: number }>();
  const gstrPattern = new RegExp(
    `^${(options.gstrPath ?? DEFAULT_GSTR_PATH)
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace('{patronId}', '([^/]+)')}$`,
  );

  function login(body: Record<string, unknown>): Answer {
    const username = str(body.username);
    const password = str(body.password);
    if (!username || !password) return loopbackError(400, 'username and password are required');
    const index = options.accounts.findIndex(
      (a) => a.username === username && a.password === password,
    );
    if (index < 0) return loopbackError(401, 'login failed', 'LOGIN_FAILED');
    const accessToken = randomBytes(24).toString('hex');
    const patronId = `patron-${index + 1}`;
    sessions.set(accessToken, { patronId, expiresAt: now() + options.accessTtlSeconds * 1000 });
    return {
      status: 200,
      body: {
        id: accessToken,
        ttl: options.accessTtlSeconds,
        created: new Date(now()).toISOString(),
        userId: patronId,
      },
    };
  }

  /** A GSTN token as Signzy's `result`, or GSTN's refusal as a 422. */
  function tokenAnswer(
    outcome: GstnOutcome<IssuedGstnToken>,
    envelope: Record<string, unknown>,
    message: string,
  ): Answer {
    if (!outcome.ok) return loopbackError(422, outcome.message, outcome.code);
    const { authToken, sek, expiresAt } = outcome.value;
    const expiry = options.expiryUnit === 'epoch-ms' ? expiresAt : options.lifetime;
    return { status: 200, body: { ...envelope, result: { message, authToken, sek, expiry } } };
  }

  function task(
    patronId: string,
    name: string,
    essentials: Record<string, unknown>,
    accessToken: string,
  ): Answer {
    const gstin = str(essentials.gstin);
    const username = str(essentials.username);
    if (!gstin || !isValidGstin(gstin)) return loopbackError(400, 'essentials.gstin is invalid');
    if (!username) return loopbackError(400, 'essentials.username is required');
    const envelope = { task: name, essentials, id: accessToken, patronId };

    if (name === 'getOtp') {
      const { appKey } = gstn.requestOtp(gstin, username);
      return {
        status: 200,
        body: { ...envelope, result: { message: 'OTP sent to the registered mobile', appKey } },
      };
    }
    if (name === 'getAuthToken') {
      const otp = str(essentials.otp);
      const appKey = str(essentials.appKey);
      if (!otp || !appKey)
        return loopbackError(400, 'essentials.otp and essentials.appKey are required');
      return tokenAnswer(
        gstn.verifyOtp(gstin, username, otp, appKey),
        envelope,
        'Auth token generated',
      );
    }
    const authToken = str(essentials.authToken) ?? '';
    if (options.refreshTask && name === options.refreshTask) {
      const appKey = str(essentials.appKey) ?? '';
      return tokenAnswer(gstn.refresh(gstin, authToken, appKey), envelope, 'Auth token refreshed');
    }
    if (!gstn.isTokenValid(authToken, gstin)) {
      return {
        status: 200,
        body: { status_cd: 0, error: { error_cd: 'RET11407', message: 'Auth token is invalid' } },
      };
    }
    const retPeriod = str(essentials.retPeriod) ?? str(essentials.retPer);
    const outcome = gstn.read(gstin, authToken, { action: gstnActionOf(name), retPeriod });
    if (!outcome.ok) {
      return {
        status: 200,
        body: { status_cd: 0, error: { error_cd: outcome.code, message: outcome.message } },
      };
    }
    // Signzy relays GSTN's data with its field names camelCased.
    const data = signzyNamesOf(outcome.value) as Record<string, unknown>;
    // The envelope echoes the essentials, as Signzy does: never the secrets of the session.
    const { authToken: _a, sek: _s, appKey: _k, ...echoed } = essentials;
    return {
      status: 200,
      body: { task: name, essentials: echoed, result: { message: 'ok', task: name, ...data } },
    };
  }

  return {
    routeOf({ path, body }) {
      if (path === '/api/v2/patrons/login') return 'login';
      if (path === '/api/v2/patrons/logout') return 'logout';
      if (!gstrPattern.test(path)) return 'unknown';
      if (body?.task === 'getOtp') return 'getOtp';
      if (body?.task === 'getAuthToken') return 'getAuthToken';
      if (options.refreshTask && body?.task === options.refreshTask) return 'refreshToken';
      return 'call';
    },

    gstinOf(request) {
      const essentials = request.body?.essentials as Record<string, unknown> | undefined;
      return typeof essentials?.gstin === 'string' ? essentials.gstin : undefined;
    },

    errorBody: (status, message, code) => loopbackError(status, message, code).body,

    answer(request, route) {
      if (request.method !== 'POST') return loopbackError(404, 'not found');
      if (route === 'unknown')
        return loopbackError(
          404,
          `Shared class "patrons" has no method to handle POST ${request.path}`,
        );
      const { body } = request;
      if (!body)
        return loopbackError(
          400,
          request.text.trim() === '' ? 'body is required' : 'body is not valid JSON',
        );
      if (route === 'login') return login(body);
      const accessToken = request.authorization ?? '';
      const session = sessions.get(accessToken);
      if (!session || session.expiresAt <= now())
        return loopbackError(401, 'Authorization Required', 'AUTHORIZATION_REQUIRED');
      if (route === 'logout') {
        sessions.delete(accessToken);
        return { status: 204 };
      }
      if (gstrPattern.exec(request.path)?.[1] !== session.patronId)
        return loopbackError(401, 'Authorization Required', 'AUTHORIZATION_REQUIRED');
      const essentials = body.essentials;
      if (typeof body.task !== 'string' || typeof essentials !== 'object' || essentials === null) {
        return loopbackError(400, 'task and essentials are required');
      }
      return task(session.patronId, body.task, essentials as Record<string, unknown>, accessToken);
    },

    expireAccessTokens() {
      for (const session of sessions.values()) session.expiresAt = 0;
    },
  };
}

/** The GSTN action of a Signzy read task (the client's default task names). */
function gstnActionOf(task: string): string {
  const named: Record<string, string> = {
    summary: 'RETSUM',
    gstr2b: 'GET2B',
    filingPreference: 'GETPREF',
    returnStatus: 'RETSTATUS',
  };
  return named[task] ?? task.replace(/^gstr1/, '').toUpperCase();
}
