import type * as v from 'valibot';
import type { GstrStep } from '../../errors/GstrError.js';
import { createJsonClient, type JsonClient } from '../../http/jsonClient.js';
import { gstnTargetOf } from '../../reads/builders.js';
import type { GstrRead, ReadKind, ReadOutcome } from '../../reads/GstrRead.js';
import { readOutcome } from '../../reads/outcomes.js';
import { GstrReadSchema } from '../../reads/readSchema.js';
import { checkExpiresAt } from '../../schemas/expiresAt.js';
import { ByteLimitSchema } from '../../schemas/options.js';
import { parseInput, parseOptions, parseResponse } from '../../schemas/parse.js';
import { OpaqueStringSchema, RequestOtpInputSchema } from '../../schemas/requests.js';
import { keepCredentials } from '../../secrets/providerCredentials.js';
import { secretValuesIn } from '../../secrets/redactDeep.js';
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
import { providerErrorIn } from './errorBody.js';
import { providerRefusal } from './errorMapping.js';
import { type ExpiryUnit, toExpiresAt } from './expiry.js';
import { gstnNamesOf } from './fieldNames.js';
import {
  DEFAULT_GSTR_PATH,
  SIGNZY_DEFAULTS,
  SIGNZY_READ_TASKS,
  SIGNZY_TEST_BASE_URL,
  type SignzyOptions,
  SignzyOptionsSchema,
} from './options.js';
import {
  CallInputSchema,
  CallResponseSchema,
  GetAuthTokenInputSchema,
  GetAuthTokenResponseSchema,
  GetOtpResponseSchema,
  LoginResponseSchema,
  RefreshTokenInputSchema,
} from './wire.js';

/** Options of an authenticated call; without `access`, the client's last login is used. */
export interface SignzyCallOptions {
  readonly access?: AccessToken | undefined;
  readonly signal?: AbortSignal | undefined;
}

interface PostOptions {
  readonly step: GstrStep;
  readonly path: string;
  readonly json: unknown;
  readonly accessToken?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Whether the step may be re-sent after it may have reached the server. */
  readonly idempotent: boolean;
  readonly secrets: readonly (string | undefined)[];
  /** The largest answer accepted. Default the auth steps' `maxResponseBytes`. */
  readonly maxBytes?: number;
}

/**
 * A typed client for the provider's GSTR API (Signzy "patrons" API v2): `login`,
 * `requestOtp`, `getAuthToken`, `logout`, and a generic authenticated `call`. Its challenge
 * holds the `appKey`; its taxpayer session holds `sek` and `appKey` (both echoed back on data
 * calls); its access token's details hold `patronId`.
 *
 * Every input is validated before a request is sent, every answer is validated before it
 * is returned, and failures are typed {@link GstrError}s.
 *
 * @example
 * ```ts
 * const client = new SignzyClient({ username: 'api-user', password: process.env.API_KEY! });
 * const access = await client.login();
 * const challenge = await client.requestOtp({ gstin: '27AAPFU0939F1ZV', username: 'portal-user' });
 * const session = await client.getAuthToken({ gstin: '27AAPFU0939F1ZV', username: 'portal-user', otp: '575757', challenge });
 * ```
 */
export class SignzyClient implements GstrProvider {
  readonly name = 'signzy';
  /** A login (14-day access token), logout; refresh only with `refreshTask`; no access duration. */
  readonly capabilities: ProviderCapabilities;
  /** Where GSTR tasks are posted (with `{patronId}` still unfilled). */
  readonly gstrPath: string;
  /** How `result.expiry` is read. */
  readonly expiryUnit: ExpiryUnit;
  /** Present only when the provider contract names a refresh task (`refreshTask`). */
  readonly refreshToken?: NonNullable<GstrProvider['refreshToken']>;

  // Private fields stay out of JSON.stringify, util.inspect and structured clones.
  readonly #http: JsonClient;
  readonly #username: string;
  readonly #password: string;
  readonly #maxCallResponseBytes: number;
  readonly #readTasks: Readonly<Record<ReadKind, string>>;
  readonly #retPeriodField: 'retPeriod' | 'retPer';
  readonly #accessTtlSeconds: number;
  readonly #now: () => number;
  #lastAccess: AccessToken | undefined;

  constructor(options: SignzyOptions) {
    // Every option is checked here, so a bad one fails at once with its name, not at the
    // first request (or never, as a retry limit of 'abc' would).
    const checked = parseOptions(SignzyOptionsSchema, options, 'signzyProvider');
    keepCredentials(this, [checked.password]);
    this.#username = checked.username;
    this.#password = checked.password;
    const baseUrl = checked.baseUrl ?? SIGNZY_TEST_BASE_URL;
    this.gstrPath = checked.gstrPath ?? DEFAULT_GSTR_PATH;
    this.expiryUnit = checked.expiryUnit ?? 'minutes';
    this.#maxCallResponseBytes =
      checked.maxCallResponseBytes ?? SIGNZY_DEFAULTS.maxCallResponseBytes;
    this.#accessTtlSeconds = checked.accessTokenTtlSeconds ?? SIGNZY_DEFAULTS.accessTokenTtlSeconds;
    this.#now = options.now ?? Date.now;
    this.#http = createJsonClient({
      baseUrl,
      timeoutMs: checked.timeoutMs ?? SIGNZY_DEFAULTS.timeoutMs,
      maxResponseBytes: checked.maxResponseBytes ?? SIGNZY_DEFAULTS.maxResponseBytes,
      retry: checked.retry,
      fetch: options.fetch,
      secrets: [checked.password],
      refusal: (status, body, context) =>
        providerRefusal(status, providerErrorIn(body), {
          ...context,
          notFoundHint: this.#notFoundHint(context.step),
        }),
      // GSTN errors can come back inside a 200.
      isRefusal: (body) => providerErrorIn(body) !== undefined,
    });
    const refreshTask = checked.refreshTask;
    if (refreshTask) {
      this.refreshToken = (input, callOptions) => this.#refresh(refreshTask, input, callOptions);
    }
    this.capabilities = Object.freeze({
      login: true,
      refresh: refreshTask !== undefined,
      logout: true,
      accessDuration: false,
      reads: true,
    });
    this.#readTasks = { ...SIGNZY_READ_TASKS, ...checked.readTasks };
    this.#retPeriodField = checked.retPeriodField ?? 'retPeriod';
  }

  /**
   * Logs in with the provider API credentials. Retried on network errors, timeouts, 408,
   * 429 and 5xx (honouring `Retry-After`), since a login has no side effect.
   */
  async login(options: { signal?: AbortSignal | undefined } = {}): Promise<AccessToken> {
    // Lifetimes count from when the request left: the provider's clock started no later.
    const sentAt = this.#now();
    const body = await this.#post({
      step: 'login',
      path: '/api/v2/patrons/login',
      json: { username: this.#username, password: this.#password },
      signal: options.signal,
      idempotent: true,
      secrets: [this.#password],
    });
    const parsed = parseResponse(LoginResponseSchema, body, 'login');
    const receivedAt = this.#now();
    const access: AccessToken = {
      accessToken: parsed.id,
      details: { patronId: parsed.userId },
      expiresAt: checkExpiresAt(
        sentAt + (parsed.ttl ?? this.#accessTtlSeconds) * 1000,
        receivedAt,
        { field: 'ttl', step: 'login' },
      ),
    };
    this.#lastAccess = access;
    return access;
  }

  /**
   * Requests an OTP (an SMS to the taxpayer). Never re-sent automatically once it may have
   * reached the server: a second SMS must be the person's choice.
   */
  async requestOtp(input: TaxpayerRef, options: SignzyCallOptions = {}): Promise<OtpChallenge> {
    const essentials = parseInput(RequestOtpInputSchema, input, 'requestOtp');
    const access = await this.#access(options, 'requestOtp');
    const body = await this.#postTask('requestOtp', 'getOtp', essentials, access, options, []);
    const { result } = parseResponse(GetOtpResponseSchema, body, 'requestOtp');
    return { secrets: { appKey: result.appKey }, message: result.message };
  }

  /**
   * Exchanges the OTP and the challenge's appKey for the auth token. Never re-sent once it may
   * have arrived.
   */
  async getAuthToken(
    input: TaxpayerRef & { readonly otp: string; readonly challenge: OtpChallenge },
    options: SignzyCallOptions = {},
  ): Promise<TaxpayerSession> {
    const essentials = parseInput(
      GetAuthTokenInputSchema,
      {
        gstin: input.gstin,
        username: input.username,
        otp: input.otp,
        appKey: input.challenge?.secrets?.appKey,
      },
      'getAuthToken',
    );
    const access = await this.#access(options, 'getAuthToken');
    const secrets = [essentials.otp, essentials.appKey];
    const sentAt = this.#now();
    const body = await this.#postTask(
      'getAuthToken',
      'getAuthToken',
      essentials,
      access,
      options,
      secrets,
    );
    return this.#authToken(body, 'getAuthToken', essentials.appKey, sentAt);
  }

  /**
   * Reads returns: the read's task posted to the GSTR path with the taxpayer session's
   * `authToken`, `appKey` and `sek` in the essentials. GSTN's "no data" and "queued" codes are
   * outcomes.
   */
  async read(
    input: TaxpayerRef & { readonly session: TaxpayerSession; readonly request: GstrRead },
    options: ReadCallOptions = {},
  ): Promise<ReadOutcome> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'call');
    const request = parseInput(GstrReadSchema, input.request, 'call', 'request');
    const { session } = input;
    const target = gstnTargetOf(request);
    const section = 'section' in request ? request.section.toLowerCase() : undefined;
    const task = this.#readTasks[request.kind].replaceAll('{section}', section ?? '');
    const essentials = {
      ...taxpayer,
      authToken: session.authToken,
      ...session.secrets,
      ...(target.retPeriod === undefined ? {} : { [this.#retPeriodField]: target.retPeriod }),
      ...(section === undefined ? {} : { section }),
      ...(request.kind === 'filingPreference' ? { fy: request.financialYear } : {}),
      ...(request.kind === 'returnStatus' ? { refId: request.refId } : {}),
      ...(request.kind === 'gstr2b' && request.fileNumber !== undefined
        ? { fileNumber: request.fileNumber }
        : {}),
    };
    return readOutcome(async () => {
      const access = await this.#access(options, 'call');
      const body = await this.#http.send({
        step: 'call',
        method: 'post',
        path: this.#fill(this.gstrPath, access),
        json: { task, essentials },
        headers: { authorization: access.accessToken },
        signal: options.signal,
        // A read changes nothing: it may be sent again.
        idempotent: true,
        secrets: [session.authToken, ...Object.values(session.secrets), access.accessToken],
        maxBytes: options.maxResponseBytes ?? this.#maxCallResponseBytes,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
      // Signzy's envelope (`message`, `task`) goes; what is left is GSTN's data, its field
      // names given back: every provider answers a read with GSTN's own JSON.
      const result = parseResponse(CallResponseSchema, body, 'call').result;
      if (typeof result !== 'object' || result === null || Array.isArray(result)) return result;
      const { message: _message, task: _task, ...data } = result as Record<string, unknown>;
      return gstnNamesOf(data);
    });
  }

  /**
   * Ends the provider session (the access token): `POST /api/v2/patrons/logout` (204, no
   * body). Signzy offers no logout of the taxpayer session itself.
   */
  async logout(
    _input?: TaxpayerRef & { readonly session?: TaxpayerSession | undefined },
    options: SignzyCallOptions = {},
  ): Promise<void> {
    const access = await this.#access(options, 'logout');
    await this.#post({
      step: 'logout',
      path: '/api/v2/patrons/logout',
      json: {},
      accessToken: access.accessToken,
      signal: options.signal,
      idempotent: true,
      secrets: [access.accessToken],
    });
    if (this.#lastAccess?.accessToken === access.accessToken) this.#lastAccess = undefined;
  }

  /**
   * Posts any later GSTR task (GSTR-1/2A/3B reads...) with the access token and returns the
   * validated body. `path` overrides the GSTR path for this call (`{patronId}` is filled in).
   *
   * @example
   * ```ts
   * await client.call('gstr3bSummary', { gstin, username, authToken, appKey, sek, retPeriod: '042026' },
   *   { path: '/api/v2/patrons/{patronId}/gstr3bs' });
   * ```
   */
  async call(
    task: string,
    essentials: Record<string, unknown>,
    options: SignzyCallOptions & {
      readonly path?: string;
      /** The largest answer accepted for this call, in bytes. Default `maxCallResponseBytes`. */
      readonly maxResponseBytes?: number;
    } = {},
  ): Promise<v.InferOutput<typeof CallResponseSchema>> {
    const input = parseInput(CallInputSchema, { task, essentials }, 'call');
    const access = await this.#access(options, 'call');
    // Whatever secret fields the essentials carry (the one list in secretFields.ts).
    const secrets = secretValuesIn(input.essentials);
    const body = await this.#post({
      step: 'call',
      path: this.#fill(options.path ?? this.gstrPath, access),
      json: { task: input.task, essentials: input.essentials },
      accessToken: access.accessToken,
      signal: options.signal,
      idempotent: false,
      secrets: [...secrets, access.accessToken],
      maxBytes:
        options.maxResponseBytes === undefined
          ? this.#maxCallResponseBytes
          : parseInput(ByteLimitSchema, options.maxResponseBytes, 'call', 'maxResponseBytes'),
    });
    return parseResponse(CallResponseSchema, body, 'call');
  }

  async #refresh(
    task: string,
    input: TaxpayerRef & { readonly session: TaxpayerSession },
    options: ProviderCallOptions,
  ): Promise<TaxpayerSession> {
    const essentials = parseInput(
      RefreshTokenInputSchema,
      {
        gstin: input.gstin,
        username: input.username,
        authToken: input.session?.authToken,
        appKey: input.session?.secrets?.appKey,
      },
      'refreshToken',
    );
    const access = await this.#access(options, 'refreshToken');
    const secrets = [essentials.authToken, essentials.appKey];
    const sentAt = this.#now();
    const body = await this.#postTask('refreshToken', task, essentials, access, options, secrets);
    return this.#authToken(body, 'refreshToken', essentials.appKey, sentAt);
  }

  /** A token answer as a taxpayer session: the appKey of its round goes with the sek. */
  #authToken(body: unknown, step: GstrStep, appKey: string, sentAt: number): TaxpayerSession {
    const receivedAt = this.#now();
    const { result } = parseResponse(GetAuthTokenResponseSchema, body, step);
    return {
      authToken: result.authToken,
      secrets: { sek: result.sek, appKey },
      expiresAt: checkExpiresAt(
        // A relative lifetime counts from when the request left: GSTN's started no later.
        toExpiresAt(result.expiry, this.expiryUnit, sentAt),
        receivedAt,
        {
          field: 'result.expiry',
          step,
        },
      ),
      message: result.message,
    };
  }

  async #access(options: SignzyCallOptions, step: GstrStep): Promise<AccessToken> {
    const access = options.access ?? this.#lastAccess ?? (await this.login(options));
    parseInput(OpaqueStringSchema, access.accessToken, step, 'accessToken');
    return access;
  }

  #fill(path: string, access: AccessToken): string {
    return path.replaceAll('{patronId}', encodeURIComponent(access.details?.patronId ?? ''));
  }

  #postTask(
    step: GstrStep,
    task: string,
    essentials: Record<string, unknown>,
    access: AccessToken,
    options: SignzyCallOptions,
    secrets: readonly string[],
  ): Promise<unknown> {
    return this.#post({
      step,
      path: this.#fill(this.gstrPath, access),
      json: { task, essentials },
      accessToken: access.accessToken,
      signal: options.signal,
      idempotent: false,
      secrets: [...secrets, access.accessToken],
    });
  }

  #post(options: PostOptions): Promise<unknown> {
    // Raw token, no `Bearer`: that is what the provider expects.
    return this.#http.send({
      step: options.step,
      method: 'post',
      path: options.path,
      json: options.json,
      headers: options.accessToken ? { authorization: options.accessToken } : {},
      signal: options.signal,
      idempotent: options.idempotent,
      secrets: options.secrets,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
  }

  /** What to check when a path is not found: the base URL, or the assumed GSTR path. */
  #notFoundHint(step: GstrStep): string {
    return step === 'login' || step === 'logout'
      ? 'check baseUrl'
      : `the GSTR path "${this.gstrPath}" is an assumption: confirm it in your provider contract and set gstrPath`;
  }
}

/**
 * Creates the Signzy provider for a GSTR session.
 *
 * @example
 * ```ts
 * const provider = signzyProvider({ username: 'api-user', password: process.env.API_KEY! });
 * const session = createGstrSession({ provider, gstin: '27AAPFU0939F1ZV', username: 'portal-user' });
 * ```
 */
export function signzyProvider(options: SignzyOptions): SignzyClient {
  return new SignzyClient(options);
}
