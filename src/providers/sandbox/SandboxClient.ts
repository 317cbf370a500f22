import type { GstrStep } from '../../errors/GstrError.js';
import { OtpRejectedError } from '../../errors/OtpRejectedError.js';
import { ProviderHttpError } from '../../errors/ProviderHttpError.js';
import { UnauthorizedError } from '../../errors/UnauthorizedError.js';
import { gstnRefusal } from '../../gstn/gstnCodes.js';
import { gstnErrorIn } from '../../gstn/gstnErrorBody.js';
import { createJsonClient, type JsonClient } from '../../http/jsonClient.js';
import { type RequestContext, refusalDetails } from '../../http/transportError.js';
import { gstnTargetOf } from '../../reads/builders.js';
import type { GstrRead, ReadKind, ReadOutcome } from '../../reads/GstrRead.js';
import { readOutcome } from '../../reads/outcomes.js';
import { GstrReadSchema } from '../../reads/readSchema.js';
import { checkExpiresAt } from '../../schemas/expiresAt.js';
import { parseInput, parseOptions, parseResponse } from '../../schemas/parse.js';
import { OtpSchema, RequestOtpInputSchema } from '../../schemas/requests.js';
import { keepCredentials } from '../../secrets/providerCredentials.js';
import type {
  AccessToken,
  GstrProvider,
  OtpChallenge,
  ProviderCallOptions,
  ProviderCapabilities,
  ReadCallOptions,
  TaxpayerRef,
  TaxpayerSession,
} from '../GstrProvider.js';
import {
  SANDBOX_BASE_URL,
  SANDBOX_DEFAULTS,
  SANDBOX_READ_PATHS,
  type SandboxOptions,
  SandboxOptionsSchema,
} from './options.js';
import { AuthenticateAnswerSchema, payloadOf, TaxpayerTokenAnswerSchema } from './wire.js';

/** Sandbox's own error text: `{ code, message }`. */
function sandboxMessage(body: unknown): { message?: string } | undefined {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? { message } : undefined;
}

/** A GSTN refusal relayed by Sandbox, beside or inside its `data`. */
function relayedGstnError(body: unknown): ReturnType<typeof gstnErrorIn> {
  return gstnErrorIn(body) ?? gstnErrorIn(payloadOf(body));
}

/**
 * A Sandbox refusal as a typed error: GSTN's codes first (the one shared table), then what
 * Sandbox's statuses mean (a 400/422 on the OTP verification is a refused OTP; a 401/403 is
 * its API token).
 */
function sandboxRefusal(status: number, body: unknown, context: RequestContext): ProviderHttpError {
  const details = refusalDetails(status, relayedGstnError(body) ?? sandboxMessage(body), context);
  const gstn = gstnRefusal(details);
  if (gstn) return gstn;
  if (context.step === 'getAuthToken' && (status === 400 || status === 422)) {
    return new OtpRejectedError(details);
  }
  if (status === 401 || status === 403) return new UnauthorizedError(details);
  return new ProviderHttpError(details);
}

/** The `exp` claim of a JWT in epoch ms, if it is one and has one. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (
      JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown }
    ).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A GSTR provider on Sandbox.co.in's GST compliance API: the API token login (24 h, sent raw in
 * `authorization`, shared by every taxpayer of the account), the taxpayer OTP and its
 * verification, and the session refresh. Its challenge and taxpayer session hold no secret of
 * their own: the taxpayer token is the session's `authToken`, and `session_expiry` (the portal
 * access duration) is its `accessExpiresAt`.
 *
 * @example
 * ```ts
 * const provider = sandboxProvider({ apiKey: process.env.SANDBOX_API_KEY!, apiSecret: process.env.SANDBOX_API_SECRET! });
 * const session = createGstrSession({ provider, gstin: '27AAPFU0939F1ZV', username: 'portal-user' });
 * ```
 */
export class SandboxClient implements GstrProvider {
  readonly name = 'sandbox';
  /** A login (the API token), refresh and the access duration; no documented logout. */
  readonly capabilities: ProviderCapabilities = Object.freeze({
    login: true,
    refresh: true,
    logout: false,
    accessDuration: true,
    reads: true,
  });

  // Private fields stay out of JSON.stringify, util.inspect and structured clones.
  readonly #http: JsonClient;
  readonly #apiKey: string;
  readonly #apiSecret: string;
  readonly #apiVersion: string;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #readPaths: Readonly<Record<ReadKind, string>>;
  readonly #maxReadBytes: number;

  constructor(options: SandboxOptions) {
    const checked = parseOptions(SandboxOptionsSchema, options, 'sandboxProvider');
    keepCredentials(this, [checked.apiKey, checked.apiSecret]);
    this.#apiKey = checked.apiKey;
    this.#apiSecret = checked.apiSecret;
    this.#apiVersion = checked.apiVersion ?? SANDBOX_DEFAULTS.apiVersion;
    this.#ttlMs = checked.accessTokenTtlMs ?? SANDBOX_DEFAULTS.accessTokenTtlMs;
    this.#now = options.now ?? Date.now;
    this.#readPaths = { ...SANDBOX_READ_PATHS, ...checked.readPaths };
    this.#maxReadBytes = checked.maxCallResponseBytes ?? SANDBOX_DEFAULTS.maxCallResponseBytes;
    this.#http = createJsonClient({
      baseUrl: checked.baseUrl ?? SANDBOX_BASE_URL,
      timeoutMs: checked.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs,
      maxResponseBytes: checked.maxResponseBytes ?? SANDBOX_DEFAULTS.maxResponseBytes,
      retry: checked.retry,
      fetch: options.fetch,
      secrets: [checked.apiSecret],
      refusal: sandboxRefusal,
      // A GSTN refusal relayed inside an HTTP 200.
      isRefusal: (body) => relayedGstnError(body) !== undefined,
    });
  }

  /** Gets the API token (`POST /authenticate`): valid 24 h, for every taxpayer of the account. */
  async login(options: { signal?: AbortSignal | undefined } = {}): Promise<AccessToken> {
    // A lifetime assumed from the docs counts from when the request left.
    const sentAt = this.#now();
    const body = await this.#http.send({
      step: 'login',
      method: 'post',
      path: 'authenticate',
      headers: {
        'x-api-key': this.#apiKey,
        'x-api-secret': this.#apiSecret,
        'x-api-version': this.#apiVersion,
      },
      signal: options.signal,
      idempotent: true,
      secrets: [],
    });
    const answer = parseResponse(AuthenticateAnswerSchema, payloadOf(body), 'login');
    const receivedAt = this.#now();
    const byTtl = sentAt + this.#ttlMs;
    const claimed = jwtExpiry(answer.access_token);
    return {
      accessToken: answer.access_token,
      expiresAt: checkExpiresAt(
        claimed === undefined ? byTtl : Math.min(claimed, byTtl),
        receivedAt,
        { field: 'access_token.exp', step: 'login' },
      ),
    };
  }

  /** Asks Sandbox to send the taxpayer an OTP. Never re-sent once it may have arrived. */
  async requestOtp(input: TaxpayerRef, options: ProviderCallOptions = {}): Promise<OtpChallenge> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'requestOtp');
    await this.#http.send({
      step: 'requestOtp',
      method: 'post',
      path: 'gst/compliance/tax-payer/otp',
      json: { username: taxpayer.username, gstin: taxpayer.gstin },
      headers: { ...this.#headers(this.#access(options, 'requestOtp')), 'x-source': 'primary' },
      signal: options.signal,
      idempotent: false,
      secrets: [options.access?.accessToken],
    });
    return { secrets: {} };
  }

  /** Verifies the OTP for a taxpayer token (6 h) and the access duration's end. Never re-sent. */
  async getAuthToken(
    input: TaxpayerRef & { readonly otp: string; readonly challenge: OtpChallenge },
    options: ProviderCallOptions = {},
  ): Promise<TaxpayerSession> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'getAuthToken');
    const otp = parseInput(OtpSchema, input.otp, 'getAuthToken', 'otp');
    const body = await this.#http.send({
      step: 'getAuthToken',
      method: 'post',
      path: 'gst/compliance/tax-payer/otp/verify',
      searchParams: { otp },
      json: { username: taxpayer.username, gstin: taxpayer.gstin },
      headers: this.#headers(this.#access(options, 'getAuthToken')),
      signal: options.signal,
      idempotent: false,
      secrets: [otp, options.access?.accessToken],
    });
    return this.#session(body, 'getAuthToken');
  }

  /** Refreshes the taxpayer token (`.../session/refresh`, with the taxpayer token). */
  async refreshToken(
    input: TaxpayerRef & { readonly session: TaxpayerSession },
    options: ProviderCallOptions = {},
  ): Promise<TaxpayerSession> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'refreshToken');
    const token = input.session?.authToken;
    const body = await this.#http.send({
      step: 'refreshToken',
      method: 'post',
      path: 'gst/compliance/tax-payer/session/refresh',
      json: { username: taxpayer.username, gstin: taxpayer.gstin },
      headers: this.#headers(token ?? ''),
      signal: options.signal,
      idempotent: false,
      secrets: [token, options.access?.accessToken],
    });
    return this.#session(body, 'refreshToken');
  }

  /** Reads returns with the taxpayer token (`GET .../gstrs/gstr-3b/{year}/{month}`...). */
  async read(
    input: TaxpayerRef & { readonly session: TaxpayerSession; readonly request: GstrRead },
    options: ReadCallOptions = {},
  ): Promise<ReadOutcome> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'call');
    const request = parseInput(GstrReadSchema, input.request, 'call', 'request');
    const token = input.session?.authToken ?? '';
    const target = gstnTargetOf(request);
    const period = target.retPeriod ?? '';
    const path = this.#readPaths[request.kind]
      .replaceAll('{year}', period.slice(2))
      .replaceAll('{month}', period.slice(0, 2))
      .replaceAll('{section}', 'section' in request ? request.section.toLowerCase() : '');
    return readOutcome(async () => {
      const body = await this.#http.send({
        step: 'call',
        method: 'get',
        path,
        searchParams: {
          gstin: taxpayer.gstin,
          ...(request.kind === 'filingPreference' ? { financial_year: request.financialYear } : {}),
          ...(request.kind === 'returnStatus' ? { reference_id: request.refId } : {}),
          ...(request.kind === 'gstr2b' && request.fileNumber !== undefined
            ? { file_number: String(request.fileNumber) }
            : {}),
        },
        headers: this.#headers(token),
        signal: options.signal,
        idempotent: true,
        secrets: [token],
        maxBytes: options.maxResponseBytes ?? this.#maxReadBytes,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
      return payloadOf(body);
    });
  }

  #session(body: unknown, step: GstrStep): TaxpayerSession {
    const answer = parseResponse(TaxpayerTokenAnswerSchema, payloadOf(body), step);
    const receivedAt = this.#now();
    const expiresAt = checkExpiresAt(answer.token_expiry, receivedAt, {
      field: 'token_expiry',
      step,
    });
    return {
      authToken: answer.access_token,
      expiresAt,
      ...(answer.session_expiry === undefined
        ? {}
        : {
            accessExpiresAt: checkExpiresAt(answer.session_expiry, receivedAt, {
              field: 'session_expiry',
              step,
            }),
          }),
      secrets: {},
    };
  }

  #access(options: ProviderCallOptions, step: GstrStep): string {
    const token = options.access?.accessToken;
    if (!token) {
      throw new UnauthorizedError({ step, status: 401, hint: 'no API token: log in first' });
    }
    return token;
  }

  /** The headers of a taxpayer call: the token raw in `authorization` (no `Bearer`). */
  #headers(authorization: string): Record<string, string> {
    return {
      authorization,
      'x-api-key': this.#apiKey,
      'x-api-version': this.#apiVersion,
    };
  }
}

/**
 * Creates the Sandbox.co.in provider.
 *
 * @example
 * ```ts
 * const provider = sandboxProvider({ apiKey: 'key_live_...', apiSecret: process.env.SANDBOX_API_SECRET! });
 * ```
 */
export function sandboxProvider(options: SandboxOptions): SandboxClient {
  return new SandboxClient(options);
}
