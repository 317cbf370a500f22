import { randomUUID } from 'node:crypto';
import type { GstrStep } from '../../errors/GstrError.js';
import { InvalidInputError } from '../../errors/InvalidInputError.js';
import { isGstrError } from '../../errors/isGstrError.js';
import { ProviderHttpError } from '../../errors/ProviderHttpError.js';
import { ResponseValidationError } from '../../errors/ResponseValidationError.js';
import { gstnRefusal } from '../../gstn/gstnCodes.js';
import { aesEncrypt, newAppKey, rsaEncrypt } from '../../gstn/gstnCrypto.js';
import { decryptDataAnswer, downloadPart, largeAnswerOf, readBudget } from '../../gstn/gstnData.js';
import { gstnErrorIn } from '../../gstn/gstnErrorBody.js';
import { sessionKeyOf } from '../../gstn/sessionKey.js';
import { createJsonClient, type JsonClient } from '../../http/jsonClient.js';
import { runStep } from '../../http/runStep.js';
import { type RequestContext, refusalDetails } from '../../http/transportError.js';
import { gstnTargetOf } from '../../reads/builders.js';
import type { GstrRead, ReadOutcome } from '../../reads/GstrRead.js';
import { readOutcome } from '../../reads/outcomes.js';
import { GstrReadSchema } from '../../reads/readSchema.js';
import { checkExpiresAt } from '../../schemas/expiresAt.js';
import { parseInput, parseOptions, parseResponse } from '../../schemas/parse.js';
import { OtpSchema, RequestOtpInputSchema } from '../../schemas/requests.js';
import { keepCredentials } from '../../secrets/providerCredentials.js';
import type { StepDeadline } from '../../time/deadline.js';
import type {
  GstrProvider,
  OtpChallenge,
  ProviderCallOptions,
  ProviderCapabilities,
  ReadCallOptions,
  TaxpayerRef,
  TaxpayerSession,
} from '../GstrProvider.js';
import { gspHeaders } from '../gspHeaders.js';
import { runHook } from '../runHook.js';
import { type GstnCertificate, readCertificate } from './certificate.js';
import {
  GSTN_DEFAULTS,
  GSTN_RETURN_VERSIONS,
  type GstnAuthAction,
  type GstnOptions,
  GstnOptionsSchema,
} from './options.js';
import { GstnStatusAnswerSchema, GstnTokenAnswerSchema } from './wire.js';

/** The secrets a GSTN taxpayer session keeps, by name (all base64). */
interface GstnSecrets {
  /** The 32-byte app key of the OTP round. */
  readonly appKey: Buffer;
  /** The app key under GSTN's public key, as sent on AUTHTOKEN (LOGOUT resends it). */
  readonly encryptedAppKey: string;
}

/** A GSTN answer's refusal as a typed error: GSTN's code table first, then the GSP's status. */
function gstnError(status: number, body: unknown, context: RequestContext): ProviderHttpError {
  const details = refusalDetails(status, gstnErrorIn(body), context);
  const typed = gstnRefusal(details);
  if (typed) return typed;
  if (status === 401 || status === 403) {
    return new ProviderHttpError({
      ...details,
      hint: 'the GSP refused the request: check clientId, clientSecret and the GSP headers',
    });
  }
  return new ProviderHttpError(details);
}

/** Reads a base64 secret of a given byte length from a provider record, or says what is wrong. */
function keyFrom(
  secrets: Readonly<Record<string, string>> | undefined,
  name: string,
  step: GstrStep,
  where: string,
): Buffer {
  const value = secrets?.[name];
  const bytes = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32 || bytes.toString('base64') !== value) {
    throw new InvalidInputError(`${where}.secrets.${name}`, 'must be a 32-byte key in base64', {
      step,
    });
  }
  return bytes;
}

/** A unique transaction id for GSTN's `txn` header. */
function newTxn(): string {
  return randomUUID().replaceAll('-', '');
}

/**
 * A GSTR provider that speaks GSTN's taxpayer API directly, through a GSP pass-through, and
 * does GSTN's crypto itself: `OTPREQUEST`, `AUTHTOKEN`, `REFRESHTOKEN` and `LOGOUT` on
 * `POST {baseUrl}/taxpayerapi/{version}/authenticate`. There is no provider login: the client
 * id and secret (and any GSP headers) go with every request, and `state-cd` comes from each
 * session's own GSTIN.
 *
 * Its challenge and taxpayer session keep `appKey` (the 32-byte key, base64),
 * `encryptedAppKey` (its RSA ciphertext, resent on LOGOUT) and, once authenticated, `sek`
 * (the decrypted SEK, base64): what an app needs to decrypt GSTN's data answers.
 *
 * @example
 * ```ts
 * const provider = gstnProvider({
 *   baseUrl: 'https://gsp.example.com/gus',
 *   clientId: process.env.GSTN_CLIENT_ID!,
 *   clientSecret: process.env.GSTN_CLIENT_SECRET!,
 *   certificate: readFileSync('gstn-public.cer', 'utf8'),
 * });
 * ```
 */
export class GstnClient implements GstrProvider {
  readonly name = 'gstn';
  /** No login; refresh and logout; an access duration only when `accessDurationMs` is set. */
  readonly capabilities: ProviderCapabilities;

  // Private fields stay out of JSON.stringify, util.inspect and structured clones.
  readonly #http: JsonClient;
  readonly #options: GstnOptions;
  readonly #now: () => number;
  #certificate: GstnCertificate;
  #warnedFor: number | undefined;

  constructor(options: GstnOptions) {
    // Every option is checked here, so a bad one fails at once with its name.
    parseOptions(GstnOptionsSchema, options, 'gstnProvider');
    keepCredentials(this, [options.clientSecret]);
    this.#options = options;
    this.#certificate = readCertificate(options.certificate);
    this.#now = options.now ?? Date.now;
    this.capabilities = Object.freeze({
      login: false,
      refresh: true,
      logout: true,
      accessDuration: options.accessDurationMs !== undefined,
      reads: true,
    });
    this.#http = createJsonClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? GSTN_DEFAULTS.timeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? GSTN_DEFAULTS.maxResponseBytes,
      retry: options.retry,
      fetch: options.fetch,
      secrets: [options.clientSecret],
      refusal: gstnError,
      // GSTN answers its refusals with HTTP 200 and `status_cd` 0.
      isRefusal: (body) => gstnErrorIn(body) !== undefined,
    });
    this.#checkCertificateExpiry();
  }

  /** When the configured GSTN certificate stops being valid. */
  get certificateValidTo(): Date {
    return this.#certificate.validTo;
  }

  /**
   * Asks GSTN to send the taxpayer an OTP, with a new app key under GSTN's public key. Never
   * re-sent once it may have reached GSTN.
   */
  async requestOtp(input: TaxpayerRef, options: ProviderCallOptions = {}): Promise<OtpChallenge> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'requestOtp');
    this.#checkCertificateExpiry();
    const appKey = newAppKey();
    return this.#inStep('requestOtp', options, (deadline) =>
      this.#withCertificate('requestOtp', deadline, async () => {
        const encryptedAppKey = rsaEncrypt(this.#certificate.publicKey, appKey);
        const body = await this.#auth('OTPREQUEST', 'requestOtp', taxpayer, deadline, {
          app_key: encryptedAppKey,
          username: taxpayer.username,
        });
        parseResponse(GstnStatusAnswerSchema, body, 'requestOtp');
        return { secrets: { appKey: appKey.toString('base64'), encryptedAppKey } };
      }),
    );
  }

  /** Exchanges the OTP (AES under the app key) for an auth token and the SEK. Never re-sent. */
  async getAuthToken(
    input: TaxpayerRef & { readonly otp: string; readonly challenge: OtpChallenge },
    options: ProviderCallOptions = {},
  ): Promise<TaxpayerSession> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'getAuthToken');
    const otp = parseInput(OtpSchema, input.otp, 'getAuthToken', 'otp');
    const appKey = keyFrom(input.challenge?.secrets, 'appKey', 'getAuthToken', 'challenge');
    const sent = input.challenge.secrets.encryptedAppKey;
    if (!sent) {
      throw new InvalidInputError('challenge.secrets.encryptedAppKey', 'is missing', {
        step: 'getAuthToken',
      });
    }
    let encryptedAppKey: string = sent;
    return this.#inStep('getAuthToken', options, (deadline) =>
      this.#withCertificate('getAuthToken', deadline, async (renewed) => {
        // After a certificate rotation, the app key is encrypted under the new key.
        if (renewed) encryptedAppKey = rsaEncrypt(this.#certificate.publicKey, appKey);
        const sentAt = this.#now();
        const body = await this.#auth('AUTHTOKEN', 'getAuthToken', taxpayer, deadline, {
          app_key: encryptedAppKey,
          username: taxpayer.username,
          otp: aesEncrypt(appKey, Buffer.from(otp, 'utf8')),
        });
        const accessDurationMs = this.#options.accessDurationMs;
        return this.#session(
          body,
          'getAuthToken',
          sentAt,
          {
            appKey,
            encryptedAppKey,
          },
          accessDurationMs === undefined ? undefined : sentAt + accessDurationMs,
        );
      }),
    );
  }

  /**
   * Extends the taxpayer session (REFRESHTOKEN): a new auth token and a new SEK, still under the
   * original app key. GSTN messages the taxpayer on every refresh: the session makes one per
   * token, never one per call.
   */
  async refreshToken(
    input: TaxpayerRef & { readonly session: TaxpayerSession },
    options: ProviderCallOptions = {},
  ): Promise<TaxpayerSession> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'refreshToken');
    const { session } = input;
    const appKey = keyFrom(session?.secrets, 'appKey', 'refreshToken', 'session');
    const sek = keyFrom(session.secrets, 'sek', 'refreshToken', 'session');
    const mode = this.#options.refreshAppKey ?? GSTN_DEFAULTS.refreshAppKey;
    return this.#inStep('refreshToken', options, (deadline) =>
      this.#withCertificate('refreshToken', deadline, async () => {
        const sentAt = this.#now();
        const body = await this.#auth(
          'REFRESHTOKEN',
          'refreshToken',
          taxpayer,
          deadline,
          {
            app_key:
              mode === 'sek'
                ? aesEncrypt(sek, appKey)
                : rsaEncrypt(this.#certificate.publicKey, appKey),
            username: taxpayer.username,
            auth_token: session.authToken,
          },
          [session.authToken],
        );
        return this.#session(
          body,
          'refreshToken',
          sentAt,
          { appKey, encryptedAppKey: session.secrets.encryptedAppKey ?? '' },
          session.accessExpiresAt,
        );
      }),
    );
  }

  /** Ends the taxpayer session (LOGOUT, resending the app key's ciphertext of AUTHTOKEN). */
  async logout(
    input: TaxpayerRef & { readonly session?: TaxpayerSession | undefined },
    options: ProviderCallOptions = {},
  ): Promise<void> {
    const { session } = input;
    if (!session) return;
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'logout');
    const body = await this.#inStep('logout', options, (deadline) =>
      this.#auth(
        'LOGOUT',
        'logout',
        taxpayer,
        deadline,
        {
          app_key: session.secrets.encryptedAppKey ?? '',
          username: taxpayer.username,
          auth_token: session.authToken,
        },
        [session.authToken],
      ),
    );
    parseResponse(GstnStatusAnswerSchema, body, 'logout');
  }

  /** A token answer as a taxpayer session: the SEK decrypted under the app key of its round. */
  #session(
    body: unknown,
    step: GstrStep,
    sentAt: number,
    keys: GstnSecrets,
    accessExpiresAt: number | undefined,
  ): TaxpayerSession {
    const answer = parseResponse(GstnTokenAnswerSchema, body, step);
    const sek = sessionKeyOf(keys.appKey, answer.sek, step);
    // Counted from when the request left: GSTN's six hours start no later than that.
    const expiresAt = checkExpiresAt(sentAt + answer.expiry * 60_000, this.#now(), {
      field: 'expiry',
      step,
    });
    return {
      authToken: answer.auth_token,
      expiresAt,
      ...(accessExpiresAt === undefined ? {} : { accessExpiresAt }),
      secrets: {
        appKey: keys.appKey.toString('base64'),
        encryptedAppKey: keys.encryptedAppKey,
        sek: sek.toString('base64'),
      },
    };
  }

  /** GSTN's headers for a request of this session (and the GSP's, from its hook). */
  async #headers(
    action: string,
    step: GstrStep,
    taxpayer: TaxpayerRef,
    path: string,
    txn: string,
    deadline: StepDeadline,
  ): Promise<Record<string, string>> {
    const gsp = await gspHeaders(
      this.#options.headers,
      { action, gstin: taxpayer.gstin, username: taxpayer.username, txn, path },
      step,
      deadline,
    );
    return {
      ...gsp,
      clientid: this.#options.clientId,
      'client-secret': this.#options.clientSecret,
      // The session's own state: one global value breaks multi-GSTIN setups (AUTH4041).
      'state-cd': taxpayer.gstin.slice(0, 2),
      'ip-usr': this.#options.ipUser ?? GSTN_DEFAULTS.ipUser,
      txn,
      gstin: taxpayer.gstin,
      username: taxpayer.username,
    };
  }

  /** Posts one auth action with GSTN's headers (and the GSP's), for this session's GSTIN. */
  async #auth(
    action: GstnAuthAction,
    step: GstrStep,
    taxpayer: TaxpayerRef,
    deadline: StepDeadline,
    json: Record<string, string>,
    secrets: readonly string[] = [],
  ): Promise<unknown> {
    const version = this.#options.versions?.[action] ?? GSTN_DEFAULTS.version;
    const path = `taxpayerapi/${version}/authenticate`;
    const txn = newTxn();
    return this.#http.send({
      step,
      method: 'post',
      path,
      json: { action, ...json },
      headers: await this.#headers(action, step, taxpayer, path, txn, deadline),
      signal: deadline.signal,
      timeoutMs: Math.max(1, deadline.remaining()),
      // Logging out twice is harmless; every other action has an effect at GSTN (an SMS, a
      // consumed OTP, a rotated token and a message to the taxpayer).
      idempotent: action === 'LOGOUT',
      secrets: [
        ...Object.entries(json)
          .filter(([name]) => name !== 'username')
          .map(([, value]) => value),
        ...secrets,
      ],
    });
  }

  /**
   * Reads returns: `GET {baseUrl}/taxpayerapi/{version}/returns/{return}?action=...` with the
   * session's `auth-token`; the answer is decrypted with the session's SEK (its HMAC checked
   * first), and a large answer's files are downloaded, checked, unpacked and decrypted. GSTN's
   * "no data" and "queued" codes are outcomes.
   */
  async read(
    input: TaxpayerRef & { readonly session: TaxpayerSession; readonly request: GstrRead },
    options: ReadCallOptions = {},
  ): Promise<ReadOutcome> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'call');
    const request = parseInput(GstrReadSchema, input.request, 'call', 'request');
    const { session } = input;
    const sek = keyFrom(session?.secrets, 'sek', 'call', 'session');
    const target = gstnTargetOf(request);
    const returnPath = target.returnPath === '' ? 'returns' : target.returnPath;
    const version = this.#options.versions?.[returnPath] ?? GSTN_RETURN_VERSIONS[returnPath];
    const path = `taxpayerapi/${version}/returns${target.returnPath === '' ? '' : `/${target.returnPath}`}`;
    const maxBytes =
      options.maxResponseBytes ??
      this.#options.maxCallResponseBytes ??
      GSTN_DEFAULTS.maxCallResponseBytes;
    // One deadline for the whole read: the hook, the answer and every file of a large one.
    return this.#inStep('call', options, (deadline) =>
      readOutcome(async () => {
        const txn = newTxn();
        const headers = await this.#headers(target.action, 'call', taxpayer, path, txn, deadline);
        const body = await this.#http.send({
          step: 'call',
          method: 'get',
          path,
          searchParams: { action: target.action, gstin: taxpayer.gstin, ...target.query },
          headers: {
            ...headers,
            'auth-token': session.authToken,
            ...(target.retPeriod === undefined ? {} : { ret_period: target.retPeriod }),
          },
          signal: deadline.signal,
          idempotent: true,
          secrets: [session.authToken],
          maxBytes,
          timeoutMs: Math.max(1, deadline.remaining()),
        });
        const data = decryptDataAnswer(body, sek);
        const large = largeAnswerOf(data);
        if (!large) return data;
        const ek = Buffer.from(large.ek, 'base64');
        if (ek.length !== 32)
          throw new ResponseValidationError('ek', 'is not a 32-byte key', { step: 'call' });
        // The files share what the first request left of the deadline, and one byte budget.
        const budget = readBudget(
          options.maxReadBytes ?? this.#options.maxReadBytes ?? GSTN_DEFAULTS.maxReadBytes,
        );
        const parts: unknown[] = [];
        for (const { ul, hash } of large.urls) {
          parts.push(
            ...(await downloadPart(ul, hash, ek, {
              fetch: this.#options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
              maxBytes,
              timeoutMs: Math.max(1, deadline.remaining()),
              signal: deadline.signal,
              budget,
            })),
          );
        }
        return { parts };
      }),
    );
  }

  /**
   * Runs one step under one deadline (the step's `timeoutMs`, else the client's) that covers
   * every await of the step: the app's hooks, each request and a certificate renewal.
   */
  #inStep<T>(
    step: GstrStep,
    options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number | undefined },
    run: (deadline: StepDeadline) => Promise<T>,
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? GSTN_DEFAULTS.timeoutMs;
    return runStep(step, this.#http.host, timeoutMs, options.signal, run);
  }

  /**
   * Runs a request; on `TEC4002` (GSTN's key was rotated) asks `onCertificateRejected` for the
   * current certificate and runs it once more with it.
   */
  async #withCertificate<T>(
    step: GstrStep,
    deadline: StepDeadline,
    run: (renewed: boolean) => Promise<T>,
  ): Promise<T> {
    try {
      return await run(false);
    } catch (error) {
      const hook = this.#options.onCertificateRejected;
      if (!hook || !isGstrError(error, 'CertificateRejectedError')) throw error;
      const pem = await runHook('onCertificateRejected()', step, deadline, (signal) =>
        hook({ signal }),
      );
      if (pem === undefined) throw error;
      this.#certificate = readCertificate(pem, 'onCertificateRejected()');
      this.#checkCertificateExpiry();
      return run(true);
    }
  }

  /** Warns once per certificate when it has 30 days or less left. */
  #checkCertificateExpiry(): void {
    const validTo = this.#certificate.validTo.getTime();
    const left = validTo - this.#now();
    if (left > GSTN_DEFAULTS.certificateWarningMs || this.#warnedFor === validTo) return;
    this.#warnedFor = validTo;
    const info = { validTo: this.#certificate.validTo, daysLeft: Math.floor(left / 86_400_000) };
    const warn =
      this.#options.onCertificateExpiring ??
      (({ validTo: end, daysLeft }) =>
        console.warn(
          `gstr-session: GSTN's certificate ends ${end.toISOString()} (${daysLeft} days left): configure the new one`,
        ));
    try {
      warn(info);
    } catch {
      // A warning hook that throws must not stop a login.
    }
  }
}

/**
 * Creates the GSTN-direct provider (through a GSP pass-through). Node.js only: GSTN's RSA
 * PKCS#1 v1.5 and AES-ECB are not in WebCrypto.
 *
 * @example
 * ```ts
 * const provider = gstnProvider({ baseUrl, clientId, clientSecret, certificate });
 * const session = createGstrSession({ provider, gstin: '27AAPFU0939F1ZV', username: 'portal-user' });
 * ```
 */
export function gstnProvider(options: GstnOptions): GstnClient {
  return new GstnClient(options);
}
