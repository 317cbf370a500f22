import { randomBytes, randomUUID } from 'node:crypto';
import { aesEncrypt, hmacBase64 } from '../../gstn/gstnCrypto.js';
import type { NicService } from '../../providers/nic/options.js';
import { isValidGstin } from '../../schemas/gstin.js';
import { type Answer, type FaceRequest, header, type MockFace, str } from './face.js';
import { createFakeGstnKeys, rsaDecryptPkcs1 } from './gstnKeys.js';
import type { MockRoute } from './types.js';

/** The NIC client id, secret and taxpayer API password the mock's NIC faces accept. */
export const MOCK_NIC_ACCOUNT = {
  clientId: 'nic-client-mock',
  clientSecret: 'nic-secret-mock',
  password: 'Nic#Api-Pass1',
} as const;

/** NIC's auth paths as the mock serves them (the providers' defaults). */
const AUTH_PATH: Readonly<Record<NicService, string>> = {
  einvoice: '/eivital/v1.04/auth',
  ewaybill: '/ewaybillapi/v1.03/auth',
};

/** The codes each service answers, by what went wrong. */
const CODES: Readonly<Record<NicService, Readonly<Record<string, string>>>> = {
  einvoice: { client: '1010', decrypt: '1013', appKey: '1016', credentials: '1008' },
  ewaybill: { client: '110', decrypt: '109', appKey: '109', credentials: '108', rate: '118' },
};

/** E-way bill's auth limit: 5 logins per 15 minutes per user. */
const EWB_LOGINS = 5;
const EWB_WINDOW_MS = 15 * 60_000;
/** E-invoice: `ForceRefreshAccessToken` is honoured in a token's last 10 minutes. */
const FORCE_WINDOW_MS = 10 * 60_000;
const IST_OFFSET_MS = 330 * 60_000;

/** Options of {@link createNicFace}. */
export interface NicFaceOptions {
  readonly service: NicService;
  /** A token's life, in ms (360 minutes). */
  readonly lifetimeMs: number;
  /** E-invoice reads answer `Rek` and `Hmac`, `Data` under the REK (as some GSPs do). */
  readonly rek?: boolean | undefined;
  /**
   * Every login issues a new token and voids the one before (the reading of production
   * clients: "authenticate called from another instance"), instead of NIC's documented same
   * token for 360 minutes.
   */
  readonly loginVoidsToken?: boolean | undefined;
  readonly now: () => number;
}

/** A NIC face: its public key, and what it issued. */
export interface NicFace extends MockFace {
  /** NIC's public key of the mock (a certificate, PEM), as an app configures it. */
  publicKey(): string;
  /** Whether a token is the one NIC holds for its user now, and unexpired. */
  isTokenValid(authToken: string): boolean;
  /** Voids every token (as a login elsewhere or NIC's own expiry would): calls answer 1005/238. */
  revokeAll(): void;
}

/** Whether a face is one of NIC's. */
export function isNicFace(face: MockFace): face is NicFace {
  return typeof (face as Partial<NicFace>).publicKey === 'function';
}

/** A time as NIC's `TokenExpiry`: `yyyy-MM-dd HH:mm:ss`, India time. */
function istText(at: number): string {
  return new Date(at + IST_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * NIC's e-invoice (v1.04) or e-way bill (v1.03) auth, with the real crypto: the credentials
 * JSON in one RSA PKCS#1 v1.5 block under the mock's key, the SEK under the client's app key.
 * Within a token's 360 minutes a login answers the same token and SEK (the SEK under the new
 * app key), as NIC documents; e-invoice's `ForceRefreshAccessToken` in the last 10 minutes
 * issues a new one and voids the old; with `loginVoidsToken` every login does (as production
 * clients report). E-way bill refuses a sixth login in 15 minutes with 118.
 */
export function createNicFace(options: NicFaceOptions): NicFace {
  const { service, now } = options;
  const keys = createFakeGstnKeys(
    new Date(now() - 86_400_000),
    new Date(now() + 2 * 365 * 86_400_000),
  );
  const codes = CODES[service];
  /** The live token of each (GSTIN, user), and when each user logged in lately. */
  const tokens = new Map<string, { authToken: string; expiresAt: number; sek: Buffer }>();
  const logins = new Map<string, number[]>();

  const refusal = (code: string, message: string): Answer =>
    service === 'einvoice'
      ? {
          status: 200,
          code,
          body: { Status: 0, ErrorDetails: [{ ErrorCode: code, ErrorMessage: message }] },
        }
      : {
          status: 200,
          code,
          body: {
            status: 0,
            error: Buffer.from(JSON.stringify({ errorCodes: `${code},` }), 'utf8').toString(
              'base64',
            ),
          },
        };

  function authenticate(request: FaceRequest): Answer {
    if (
      header(request, 'client-id') !== MOCK_NIC_ACCOUNT.clientId ||
      header(request, 'client-secret') !== MOCK_NIC_ACCOUNT.clientSecret
    )
      return refusal(codes.client ?? '', 'Invalid Client-ID/Client-Secret');
    const gstin = str(header(request, 'gstin'));
    const data = str(request.body?.Data);
    const block = data === undefined ? undefined : rsaDecryptPkcs1(keys.privateKey, data);
    let credentials: Record<string, unknown> | undefined;
    try {
      credentials = block
        ? (JSON.parse(Buffer.from(block.toString('utf8'), 'base64').toString('utf8')) as Record<
            string,
            unknown
          >)
        : undefined;
    } catch {
      credentials = undefined;
    }
    if (!credentials || !gstin || !isValidGstin(gstin))
      return refusal(codes.decrypt ?? '', 'Decryption of data failed');
    const username = str(service === 'einvoice' ? credentials.UserName : credentials.username);
    const password = service === 'einvoice' ? credentials.Password : credentials.password;
    const appKey = Buffer.from(
      String(service === 'einvoice' ? credentials.AppKey : credentials.app_key),
      'base64',
    );
    if (appKey.length !== 32) return refusal(codes.appKey ?? '', 'Decryption of App Key failed');
    if (!username || password !== MOCK_NIC_ACCOUNT.password)
      return refusal(codes.credentials ?? '', 'Invalid login credentials');
    const user = `${gstin}|${username}`;
    const at = now();
    if (service === 'ewaybill') {
      const recent = (logins.get(user) ?? []).filter((t) => at - t < EWB_WINDOW_MS);
      if (recent.length >= EWB_LOGINS) return refusal(codes.rate ?? '', 'Try after 5 minutes');
      logins.set(user, [...recent, at]);
    }
    let held = tokens.get(user);
    const forced =
      service === 'einvoice' &&
      credentials.ForceRefreshAccessToken === true &&
      held !== undefined &&
      held.expiresAt - at <= FORCE_WINDOW_MS;
    if (!held || held.expiresAt <= at || forced || options.loginVoidsToken) {
      held = { authToken: randomUUID(), expiresAt: at + options.lifetimeMs, sek: randomBytes(32) };
      tokens.set(user, held);
    }
    // One SEK per token, sent under this login's app key.
    const sek = aesEncrypt(appKey, held.sek);
    return service === 'einvoice'
      ? {
          status: 200,
          body: {
            Status: 1,
            Data: {
              ClientId: MOCK_NIC_ACCOUNT.clientId,
              UserName: username,
              AuthToken: held.authToken,
              Sek: sek,
              TokenExpiry: istText(held.expiresAt),
            },
          },
        }
      : { status: 200, body: { status: 1, authtoken: held.authToken, sek } };
  }

  /** The live token a data call names, for its GSTIN (and user, on e-invoice). */
  function tokenOf(request: FaceRequest): { sek: Buffer } | undefined {
    const gstin = header(request, 'gstin');
    // Node lower-cases header names: e-invoice's `AuthToken` and e-way bill's `authtoken` alike.
    const authToken = header(request, 'authtoken');
    for (const [user, token] of tokens) {
      const [tokenGstin, username] = user.split('|');
      if (token.authToken !== authToken || token.expiresAt <= now() || tokenGstin !== gstin)
        continue;
      if (service === 'einvoice' && header(request, 'user_name') !== username) continue;
      return token;
    }
    return undefined;
  }

  /** A sample document of a read, as NIC would answer it. */
  function documentOf(request: FaceRequest): Record<string, unknown> {
    if (service === 'einvoice') {
      const irn = request.path.split('/').at(-1) ?? '';
      return { Irn: irn, AckNo: 112010000000001, AckDt: '2026-12-01 10:00:00', Status: 'ACT' };
    }
    return {
      ewbNo: Number(request.query.get('ewbNo')),
      ewayBillDate: '01/12/2026 10:00:00 AM',
      status: 'ACT',
      validUpto: '02/12/2026 11:59:00 PM',
    };
  }

  function read(request: FaceRequest): Answer {
    if (
      header(request, 'client-id') !== MOCK_NIC_ACCOUNT.clientId ||
      header(request, 'client-secret') !== MOCK_NIC_ACCOUNT.clientSecret
    )
      return refusal(codes.client ?? '', 'Invalid Client-ID/Client-Secret');
    const token = tokenOf(request);
    if (!token)
      return service === 'einvoice'
        ? refusal('1005', 'Invalid Token')
        : refusal('238', 'Invalid auth token');
    const json = JSON.stringify(documentOf(request));
    if (service === 'einvoice' && !options.rek)
      return { status: 200, body: { Status: 1, Data: aesEncrypt(token.sek, Buffer.from(json)) } };
    const rek = randomBytes(32);
    const text = Buffer.from(json, 'utf8').toString('base64');
    const sealed = {
      data: aesEncrypt(rek, Buffer.from(text, 'utf8')),
      rek: aesEncrypt(token.sek, rek),
      hmac: hmacBase64(rek, text),
    };
    return {
      status: 200,
      body:
        service === 'einvoice'
          ? { Status: 1, Data: sealed.data, Rek: sealed.rek, Hmac: sealed.hmac }
          : { status: 1, ...sealed },
    };
  }

  const READ_PATH: Readonly<Record<NicService, RegExp>> = {
    einvoice: /^\/eicore\/v1\.03\/Invoice\/irn\/[0-9a-f]{64}$/,
    ewaybill: /^\/ewaybillapi\/v1\.03\/ewayapi\/GetEwayBill$/,
  };

  return {
    publicKey: () => keys.certificate,
    revokeAll: () => tokens.clear(),
    isTokenValid: (authToken) =>
      [...tokens.values()].some((t) => t.authToken === authToken && t.expiresAt > now()),
    routeOf: (request): MockRoute | 'unknown' => {
      if (request.method === 'POST' && request.path.replace(/\/$/, '') === AUTH_PATH[service])
        return 'authenticate';
      return request.method === 'GET' && READ_PATH[service].test(request.path) ? 'call' : 'unknown';
    },
    gstinOf: (request) => str(header(request, 'gstin')),
    answer: (request, route) => {
      if (route === 'authenticate') return authenticate(request);
      return route === 'call' ? read(request) : { status: 404, body: { message: 'not found' } };
    },
    errorBody: (_status, message, code) =>
      code === undefined ? { message } : refusal(code, message).body,
    expireAccessTokens: () => {},
  };
}
