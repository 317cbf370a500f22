import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaceRequest, MockFace } from './face.js';
import { isGstnFace, lifetimeMsOf, MOCK_FACE_KITS } from './faces.js';
import { createFakeGstn } from './fakeGstn.js';
import { createFaultBoard, playTransportFault, sendAltered } from './faults.js';
import { isNicFace } from './nicFace.js';
import type { MockProvider, MockProviderOptions, RecordedRequest } from './types.js';

const MAX_BODY_BYTES = 1_000_000;

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

/**
 * Starts a mock of the provider's GSTR API on 127.0.0.1 and a random port: a real HTTP
 * server that enforces the protocol (credentials, access tokens, OTP validity, appKey
 * matching), records every request and can inject faults per route. Inside: a fake GSTN
 * (`fakeGstn.ts`), the Signzy HTTP face over it (`signzyFace.ts`), and the fault layer
 * (`faults.ts`), which any other face can reuse.
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
  const now = options.now ?? Date.now;
  const unit = options.tokenLifetimeUnit ?? 'minutes';
  const lifetime = options.tokenLifetime ?? 360;
  const gstn = createFakeGstn({
    otpMode: options.otpMode ?? 'random',
    tokenLifetimeMs: lifetimeMsOf(lifetime, unit),
    otpValidityMs: options.otpValidityMs ?? 600_000,
    accessDurationMs: options.accessDurationMs,
    revokeOnRefresh: options.revokeOnRefresh,
    now,
  });
  const faceName = options.face ?? 'signzy';
  const face: MockFace = MOCK_FACE_KITS[faceName].face({ options, lifetime, unit, now }, gstn);
  const gstnFace = isGstnFace(face) ? face : undefined;
  const nicFace = isNicFace(face) ? face : undefined;
  const board = createFaultBoard();
  const requests: RecordedRequest[] = [];
  const errorBody = (status: number, message: string, code?: string) =>
    JSON.stringify(face.errorBody(status, message, code));

  let inFlight = 0;
  let peakInFlight = 0;
  const latencyMs = options.latencyMs ?? 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.cors) {
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') {
        res
          .writeHead(204, {
            'access-control-allow-methods': 'POST',
            'access-control-allow-headers': 'content-type, authorization',
            'access-control-max-age': '600',
          })
          .end();
        return;
      }
    }
    const text = await readBody(req);
    const body = parseJson(text);
    const url = new URL(req.url ?? '/', 'http://mock');
    const request: FaceRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      authorization: req.headers.authorization,
      text,
      body,
    };
    const route = face.routeOf(request);
    const record: RecordedRequest = {
      route,
      task: typeof body?.task === 'string' ? body.task : undefined,
      gstin: face.gstinOf(request),
      at: now(),
      status: 0,
    };
    requests.push(record);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const fault = board.take(route);
    if (await playTransportFault(fault, req, res, record, board, errorBody)) return;
    const answer = face.answer(request, route);
    if (answer.code !== undefined) record.code = answer.code;
    await sendAltered(fault, res, record, board, answer);
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
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
    face: faceName,
    publicKey() {
      if (!nicFace) throw new Error(`the ${faceName} face has no NIC public key`);
      return nicFace.publicKey();
    },
    certificate() {
      if (!gstnFace) throw new Error(`the ${faceName} face has no certificate`);
      return gstnFace.certificate();
    },
    setLargeReads(large) {
      if (!gstnFace) throw new Error(`the ${faceName} face has no large reads`);
      gstnFace.setLargeReads(large);
    },
    rotateCertificate() {
      if (!gstnFace) throw new Error(`the ${faceName} face has no certificate`);
      return gstnFace.rotateKeys();
    },
    requests,
    otpFor: (gstin) => gstn.otpFor(gstin),
    setFault: (route, fault) => board.set(route, fault),
    clearFaults: () => board.clear(),
    hanging: () => board.held(),
    peakInFlight: () => peakInFlight,
    resetPeakInFlight: () => {
      peakInFlight = inFlight;
    },
    release: (status = 503) => board.release(status),
    count: (route, gstin) =>
      requests.filter((r) => r.route === route && (gstin === undefined || r.gstin === gstin))
        .length,
    expireAccessTokens: () => face.expireAccessTokens(),
    revokeAuthTokens: () => (nicFace ? nicFace.revokeAll() : gstn.revokeAll()),
    isAuthTokenValid: (authToken) =>
      nicFace ? nicFace.isTokenValid(authToken) : gstn.isTokenValid(authToken),
    refuseReadsWith: (authToken, code = 'RET11402') => gstn.refuseReads(authToken, code),
    close: () =>
      new Promise<void>((resolve) => {
        board.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
