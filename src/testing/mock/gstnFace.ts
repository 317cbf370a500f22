import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { aesDecrypt, aesEncrypt, hmacBase64 } from '../../gstn/gstnCrypto.js';
import { isValidGstin } from '../../schemas/gstin.js';
import { type Answer, type FaceRequest, header, type MockFace, str } from './face.js';
import type { FakeGstn, GstnOutcome, IssuedGstnToken } from './fakeGstn.js';
import { createFakeGstnKeys, type FakeGstnKeys, rsaDecryptPkcs1 } from './gstnKeys.js';
import type { MockRoute } from './types.js';

/** The GSTN client id and secret the mock's GSTN face accepts (test values; not secrets). */
export const MOCK_GSTN_CLIENT = {
  clientId: 'mock-gstn-client',
  clientSecret: 'mock-gstn-client-secret',
} as const;

/** Options of {@link createGstnFace}. */
export interface GstnFaceOptions {
  /** The token lifetime as answered in `expiry`, in minutes. */
  readonly lifetimeMinutes: number;
  /** When the face's certificate is valid from and to. */
  readonly certificateValidity: { readonly from: Date; readonly to: Date };
  /** How REFRESHTOKEN's app_key is expected: under the SEK (default) or RSA. */
  readonly refreshAppKey: 'sek' | 'rsa';
}

/** How the GSTN face answers reads that succeed: as one encrypted answer, or as files. */
export interface LargeReads {
  /** How many `.tar.gz` files the answer is split into. */
  readonly parts: number;
  /** The file (0-based) whose listed hash is wrong, to test that it is refused. */
  readonly wrongHashPart?: number;
  /** The file (0-based) that is a valid `.tar.gz` with no file in it (only zero blocks). */
  readonly emptyPart?: number;
}

/** The GSTN-direct face, and what a test does to its keys and reads. */
export interface GstnFace extends MockFace {
  /** The certificate (PEM) the face's current key pair is published under. */
  certificate(): string;
  /** Makes a new key pair: what was encrypted under the old one now answers `TEC4002`. */
  rotateKeys(): string;
  /** Answers reads as large (files) from now on, or as one answer again (`undefined`). */
  setLargeReads(large: LargeReads | undefined): void;
}

const AUTH_PATH = /^\/taxpayerapi\/v[0-9.]+\/authenticate$/;
const RETURNS_PATH = /^\/taxpayerapi\/v[0-9.]+\/returns(\/(gstr1|gstr2a|gstr2b|gstr3b))?$/;
const FILE_PATH = /^\/files\/([0-9a-f]{32})$/;

/** GSTN's error answer: HTTP 200 (unless told otherwise) and `status_cd` 0. */
function refusal(code: string, message: string, status = 200): Answer {
  return { status, body: { status_cd: '0', error: { error_cd: code, message } } };
}

/** GSTN's answer to a request without the ASP's client id and secret, or `undefined`. */
function clientRefused(request: FaceRequest): Answer | undefined {
  const known =
    header(request, 'clientid') === MOCK_GSTN_CLIENT.clientId &&
    header(request, 'client-secret') === MOCK_GSTN_CLIENT.clientSecret;
  return known ? undefined : refusal('AUT4033', 'Invalid client id or client secret');
}

const ROUTES: Readonly<Record<string, MockRoute>> = {
  OTPREQUEST: 'getOtp',
  AUTHTOKEN: 'getAuthToken',
  REFRESHTOKEN: 'refreshToken',
  LOGOUT: 'logout',
};

/**
 * GSTN's taxpayer API as a GSP passes it through, over the fake GSTN, with the real crypto:
 * the app key arrives under the face's RSA key, the OTP under the app key, the SEK goes back
 * under the app key, REFRESHTOKEN's app key under the SEK. Checks the client id and secret
 * and that `state-cd` is the GSTIN's own.
 */
export function createGstnFace(options: GstnFaceOptions, gstn: FakeGstn): GstnFace {
  let large: LargeReads | undefined;
  /** The files of large answers, by id, as GSTN's file server holds them. */
  const files = new Map<string, Buffer>();
  let keys: FakeGstnKeys = createFakeGstnKeys(
    options.certificateValidity.from,
    options.certificateValidity.to,
  );

  /** The app key under the face's RSA key, or `undefined` (a stale certificate: TEC4002). */
  function appKeyOf(body: Record<string, unknown>): Buffer | undefined {
    const encrypted = str(body.app_key);
    const appKey = encrypted ? rsaDecryptPkcs1(keys.privateKey, encrypted) : undefined;
    return appKey?.length === 32 ? appKey : undefined;
  }

  function tokenAnswer(outcome: GstnOutcome<IssuedGstnToken>, appKey: Buffer): Answer {
    if (!outcome.ok) return refusal(outcome.code, outcome.message);
    const { authToken, sek } = outcome.value;
    return {
      status: 200,
      body: {
        status_cd: '1',
        auth_token: authToken,
        expiry: options.lifetimeMinutes,
        sek: aesEncrypt(appKey, Buffer.from(sek, 'base64')),
      },
    };
  }

  function authenticate(request: FaceRequest, body: Record<string, unknown>): Answer {
    const gstin = header(request, 'gstin') ?? '';
    const username = str(body.username) ?? header(request, 'username');
    if (!isValidGstin(gstin)) return refusal('AUTH4039', 'Invalid GSTIN');
    if (header(request, 'state-cd') !== gstin.slice(0, 2))
      return refusal('AUTH4041', 'Invalid state code');
    if (!username) return refusal('AUTH4032', 'Invalid user');
    if (!header(request, 'txn') || !header(request, 'ip-usr'))
      return refusal('GEN5001', 'txn and ip-usr are required');
    const authToken = str(body.auth_token);

    switch (body.action) {
      case 'OTPREQUEST': {
        const appKey = appKeyOf(body);
        if (!appKey) return refusal('TEC4002', 'Invalid Data Format');
        gstn.requestOtp(gstin, username, appKey.toString('base64'));
        return { status: 200, body: { status_cd: '1' } };
      }
      case 'AUTHTOKEN': {
        const appKey = appKeyOf(body);
        if (!appKey) return refusal('TEC4002', 'Invalid Data Format');
        let otp: string;
        try {
          otp = aesDecrypt(appKey, str(body.otp) ?? '').toString('utf8');
        } catch {
          return refusal('AUTH4034', 'Invalid OTP');
        }
        return tokenAnswer(gstn.verifyOtp(gstin, username, otp, appKey.toString('base64')), appKey);
      }
      case 'REFRESHTOKEN': {
        const held = authToken ? gstn.keysOf(authToken, gstin) : undefined;
        if (!authToken || !held) return refusal('AUTH4038', 'Session expired');
        let appKey: Buffer | undefined;
        try {
          appKey =
            options.refreshAppKey === 'rsa'
              ? appKeyOf(body)
              : aesDecrypt(Buffer.from(held.sek, 'base64'), str(body.app_key) ?? '');
        } catch {
          appKey = undefined;
        }
        if (!appKey) return refusal('AUTH4036', 'Invalid app key');
        return tokenAnswer(gstn.refresh(gstin, authToken, appKey.toString('base64')), appKey);
      }
      case 'LOGOUT': {
        if (!appKeyOf(body)) return refusal('TEC4002', 'Invalid Data Format');
        if (authToken) gstn.revoke(authToken);
        return { status: 200, body: { status_cd: '1' } };
      }
      default:
        return refusal('GEN5007', 'Invalid action');
    }
  }

  /** GSTN's data answer: the JSON as base64 text, under a new REK, with its HMAC. */
  function encrypted(json: unknown, sek: Buffer): Answer {
    const rek = randomBytes(32);
    const text = Buffer.from(JSON.stringify(json), 'utf8').toString('base64');
    return {
      status: 200,
      body: {
        status_cd: '1',
        data: aesEncrypt(rek, Buffer.from(text, 'utf8')),
        rek: aesEncrypt(sek, rek),
        hmac: hmacBase64(rek, text),
      },
    };
  }

  /** A large answer: the data split into files (each AES(ek, base64(JSON)) in a .tar.gz). */
  function largeAnswer(
    request: FaceRequest,
    data: Record<string, unknown>,
    parts: LargeReads,
  ): unknown {
    const ek = randomBytes(32);
    const origin = `http://${header(request, 'host') ?? '127.0.0.1'}`;
    const urls = Array.from({ length: parts.parts }, (_, part) => {
      const text = Buffer.from(JSON.stringify({ ...data, part }), 'utf8').toString('base64');
      const archive = gzipSync(
        part === parts.emptyPart
          ? Buffer.alloc(1024)
          : tarOf(
              `part-${part}.json`,
              Buffer.from(aesEncrypt(ek, Buffer.from(text, 'utf8')), 'utf8'),
            ),
      );
      const id = randomBytes(16).toString('hex');
      files.set(id, archive);
      const hash = createHash('sha256').update(archive).digest('hex');
      return {
        ul: `${origin}/files/${id}`,
        hash:
          part === parts.wrongHashPart ? createHash('sha256').update('other').digest('hex') : hash,
      };
    });
    return { ek: ek.toString('base64'), urls };
  }

  function read(request: FaceRequest): Answer {
    const gstin = header(request, 'gstin') ?? '';
    if (header(request, 'state-cd') !== gstin.slice(0, 2))
      return refusal('AUTH4041', 'Invalid state code');
    const authToken = header(request, 'auth-token') ?? '';
    const action = request.query.get('action') ?? '';
    const retPeriod = request.query.get('ret_period') ?? request.query.get('rtnprd') ?? undefined;
    const held = gstn.keysOf(authToken, gstin);
    if (!held) return refusal('AUTH4038', 'Session expired');
    const outcome = gstn.read(gstin, authToken, { action, retPeriod });
    if (!outcome.ok) return refusal(outcome.code, outcome.message);
    const sek = Buffer.from(held.sek, 'base64');
    return encrypted(large ? largeAnswer(request, outcome.value, large) : outcome.value, sek);
  }

  return {
    setLargeReads(next) {
      large = next;
    },
    routeOf(request) {
      if (FILE_PATH.test(request.path)) return 'download';
      if (RETURNS_PATH.test(request.path)) return 'call';
      if (!AUTH_PATH.test(request.path)) return 'unknown';
      const action = String(request.body?.action);
      return Object.hasOwn(ROUTES, action) ? (ROUTES[action] ?? 'unknown') : 'unknown';
    },
    gstinOf: (request) => header(request, 'gstin'),
    errorBody: (_status, message, code) => ({
      status_cd: '0',
      error: { error_cd: code ?? 'GSPERR300', message },
    }),
    answer(request, route) {
      if (route === 'download') {
        const file = files.get(FILE_PATH.exec(request.path)?.[1] ?? '');
        return file
          ? { status: 200, body: file }
          : { status: 404, body: { message: 'no such file' } };
      }
      if (route === 'call') {
        if (request.method !== 'GET') return { status: 405, body: { message: 'GET only' } };
        return clientRefused(request) ?? read(request);
      }
      if (request.method !== 'POST' || route === 'unknown') {
        return { status: 404, body: { message: `no route for ${request.method} ${request.path}` } };
      }
      const refused = clientRefused(request);
      if (refused) return refused;
      if (!request.body) return refusal('GEN5001', 'body is not valid JSON');
      return authenticate(request, request.body);
    },
    expireAccessTokens() {
      // GSTN direct has no provider login: nothing to expire.
    },
    certificate: () => keys.certificate,
    rotateKeys() {
      keys = createFakeGstnKeys(options.certificateValidity.from, options.certificateValidity.to, {
        fresh: true,
      });
      return keys.certificate;
    },
  };
}

/** A one-file ustar archive. */
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'ascii');
  header.write('0000644\0', 100, 'ascii');
  header.write('0000000\0', 108, 'ascii');
  header.write('0000000\0', 116, 'ascii');
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write('00000000000\0', 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}
