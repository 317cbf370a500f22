import { createPublicKey, type KeyObject } from 'node:crypto';
import { GstrError, type GstrStep } from '../../errors/GstrError.js';
import { InvalidInputError } from '../../errors/InvalidInputError.js';
import { ProviderHttpError } from '../../errors/ProviderHttpError.js';
import { newAppKey, rsaEncrypt } from '../../gstn/gstnCrypto.js';
import { decryptDataAnswer } from '../../gstn/gstnData.js';
import { sessionKeyOf } from '../../gstn/sessionKey.js';
import { createJsonClient, type JsonClient } from '../../http/jsonClient.js';
import { runStep } from '../../http/runStep.js';
import { type RequestContext, refusalDetails } from '../../http/transportError.js';
import { nicRefusal } from '../../nic/nicCodes.js';
import { decryptSekData } from '../../nic/nicData.js';
import { nicErrorIn } from '../../nic/nicErrorBody.js';
import type { ReadOutcome } from '../../reads/GstrRead.js';
import type { SessionRead } from '../../reads/NicRead.js';
import { NicReadSchema } from '../../reads/readSchema.js';
import { checkExpiresAt } from '../../schemas/expiresAt.js';
import { parseInput, parseOptions, parseResponse } from '../../schemas/parse.js';
import { RequestOtpInputSchema } from '../../schemas/requests.js';
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
import { NIC_DEFAULTS, type NicOptions, NicOptionsSchema, type NicService } from './options.js';
import {
  EinvoiceAuthAnswerSchema,
  EinvoiceDataAnswerSchema,
  EwaybillAuthAnswerSchema,
} from './wire.js';

/** India Standard Time, UTC+5:30: NIC's `TokenExpiry` is a wall-clock time there. */
const IST_OFFSET_MS = 330 * 60_000;

/** A NIC refusal as a typed error: NIC's code table first, then the HTTP status. */
function nicError(status: number, body: unknown, context: RequestContext): ProviderHttpError {
  const details = refusalDetails(status, nicErrorIn(body), context);
  return nicRefusal(details) ?? new ProviderHttpError(details);
}

/** NIC's `TokenExpiry` (`yyyy-MM-dd HH:mm:ss`, India time) as epoch milliseconds. */
export function istToEpoch(text: string): number {
  const [date = '', time = ''] = text.split(' ');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0) - IST_OFFSET_MS;
}

/** The most bytes RSA PKCS#1 v1.5 encrypts in one block under `key` (245 for RSA-2048). */
function rsaCapacity(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
  return Math.floor(bits / 8) - 11;
}

/** Reads NIC's public key (a PEM key or certificate), or says at once what is wrong. */
function readPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new InvalidInputError(
      'publicKey',
      "must be NIC's public key as PEM (a key or certificate)",
      {
        step: 'session',
      },
    );
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new InvalidInputError('publicKey', 'must be an RSA public key', { step: 'session' });
  return key;
}

/**
 * A provider for NIC's e-invoice (IRP) or e-way bill sessions: no OTP and no person; each
 * login sends the taxpayer's API password (from the app's resolver) with a new app key, all
 * under NIC's public key, and the answer's SEK is decrypted with that app key. See
 * {@link einvoiceProvider} and {@link ewaybillProvider}.
 */
export class NicClient implements GstrProvider {
  readonly name: NicService;
  readonly capabilities: ProviderCapabilities;
  /**
   * E-invoice only: a new token in the last 10 minutes of the held one
   * (`ForceRefreshAccessToken`), by the same password login. Absent on e-way bill, whose
   * logins answer the same token until it has run out.
   */
  readonly refreshToken?: (
    input: TaxpayerRef & { readonly session: TaxpayerSession },
    options?: ProviderCallOptions,
  ) => Promise<TaxpayerSession>;

  readonly #service: NicService;
  readonly #http: JsonClient;
  readonly #options: NicOptions;
  readonly #publicKey: KeyObject;
  readonly #now: () => number;

  constructor(service: NicService, options: NicOptions) {
    parseOptions(NicOptionsSchema, options, `${service}Provider`);
    keepCredentials(this, [options.clientSecret]);
    this.name = service;
    this.#service = service;
    this.#options = options;
    this.#publicKey = readPublicKey(options.publicKey);
    this.#now = options.now ?? Date.now;
    // E-invoice renews in a token's last 10 minutes (ForceRefreshAccessToken); e-way bill
    // answers the same token for its whole life, so it logs in again once it has run out.
    this.capabilities = Object.freeze({
      login: false,
      refresh: service === 'einvoice',
      logout: false,
      accessDuration: false,
      reads: true,
      challenge: 'password',
      ...(service === 'einvoice' ? { renewWindowMs: NIC_DEFAULTS.renewWindowMs } : {}),
    });
    if (service === 'einvoice')
      this.refreshToken = (input, options = {}) =>
        this.#login(
          'refreshToken',
          parseInput(RequestOtpInputSchema, input, 'refreshToken'),
          true,
          options,
        );
    this.#http = createJsonClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? NIC_DEFAULTS.timeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? NIC_DEFAULTS.maxResponseBytes,
      retry: options.retry,
      fetch: options.fetch,
      secrets: [options.clientSecret],
      refusal: nicError,
      // NIC answers its refusals with HTTP 200 and a status of 0.
      isRefusal: (body) => nicErrorIn(body) !== undefined,
    });
  }

  /** Logs in with the taxpayer's API password: a token and its SEK, no OTP. */
  authenticate(input: TaxpayerRef, options: ProviderCallOptions = {}): Promise<TaxpayerSession> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'authenticate');
    return this.#login('authenticate', taxpayer, false, options);
  }

  /**
   * Reads an e-invoice by IRN (`GET {baseUrl}/eicore/v1.03/Invoice/irn/{irn}`, `Data` under the
   * SEK) or an e-way bill by number (`GET {baseUrl}/ewaybillapi/v1.03/ewayapi/GetEwayBill`,
   * `data` under a REK under the SEK, with its HMAC), with the session's token. A stale token
   * (1005, 238...) is a `TokenRejectedError`: the session renews and replays once.
   */
  async read(
    input: TaxpayerRef & { readonly session: TaxpayerSession; readonly request: SessionRead },
    options: ReadCallOptions = {},
  ): Promise<ReadOutcome> {
    const taxpayer = parseInput(RequestOtpInputSchema, input, 'call');
    const request = parseInput(NicReadSchema, input.request, 'call', 'request');
    const wanted: NicService = request.kind === 'irnDetails' ? 'einvoice' : 'ewaybill';
    if (wanted !== this.#service)
      throw new InvalidInputError(
        'request',
        `is a ${wanted} read: this is a ${this.#service} session`,
        {
          step: 'call',
        },
      );
    const { session } = input;
    const sek = Buffer.from(session?.secrets?.sek ?? '', 'base64');
    if (sek.length !== 32)
      throw new InvalidInputError('session.secrets.sek', 'must be a 32-byte key in base64', {
        step: 'call',
      });
    const path =
      request.kind === 'irnDetails'
        ? `${NIC_DEFAULTS.readPath.irnDetails}/${request.irn}`
        : NIC_DEFAULTS.readPath.ewayBill;
    return this.#inStep('call', options, async (deadline) => {
      const hook = await this.#headers('call', request.kind, taxpayer, path, deadline);
      const body = await this.#http.send({
        step: 'call',
        method: 'get',
        path,
        ...(request.kind === 'ewayBill' ? { searchParams: { ewbNo: request.ewbNo } } : {}),
        headers: {
          ...hook,
          ...(this.#service === 'einvoice'
            ? { user_name: taxpayer.username, AuthToken: session.authToken }
            : { authtoken: session.authToken }),
        },
        signal: deadline.signal,
        idempotent: true,
        secrets: [session.authToken],
        maxBytes:
          options.maxResponseBytes ??
          this.#options.maxCallResponseBytes ??
          NIC_DEFAULTS.maxCallResponseBytes,
        timeoutMs: Math.max(1, deadline.remaining()),
      });
      return { kind: 'data', data: this.#decrypted(body, sek) };
    });
  }

  /** A data answer decrypted: e-invoice's `Data` under the SEK (or a REK), e-way bill's REK way. */
  #decrypted(body: unknown, sek: Buffer): unknown {
    if (this.#service === 'ewaybill') return decryptDataAnswer(body, sek);
    const answer = parseResponse(EinvoiceDataAnswerSchema, body, 'call');
    return answer.Rek !== undefined && answer.Hmac !== undefined
      ? decryptDataAnswer({ data: answer.Data, rek: answer.Rek, hmac: answer.Hmac }, sek)
      : decryptSekData(sek, answer.Data);
  }

  /** NIC has no OTP: the session logs in with `authenticate` and never calls this. */
  requestOtp(): Promise<OtpChallenge> {
    return Promise.reject(this.#noOtp('requestOtp'));
  }

  /** NIC has no OTP: the session logs in with `authenticate` and never calls this. */
  getAuthToken(): Promise<TaxpayerSession> {
    return Promise.reject(this.#noOtp('getAuthToken'));
  }

  #noOtp(step: GstrStep): GstrError {
    return new GstrError(`${step} is not a step of ${this.#service} sessions: they have no OTP`, {
      step,
    });
  }

  /** One auth request under one deadline: the password, the headers and the answer. */
  #login(
    step: GstrStep,
    taxpayer: TaxpayerRef,
    force: boolean,
    options: ProviderCallOptions,
  ): Promise<TaxpayerSession> {
    return this.#inStep(step, options, (deadline) => this.#send(step, taxpayer, force, deadline));
  }

  /** Runs one step under one deadline that covers every await of it (hooks and request). */
  #inStep<T>(
    step: GstrStep,
    options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number | undefined },
    run: (deadline: StepDeadline) => Promise<T>,
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? NIC_DEFAULTS.timeoutMs;
    return runStep(step, this.#http.host, timeoutMs, options.signal, run);
  }

  async #send(
    step: GstrStep,
    taxpayer: TaxpayerRef,
    force: boolean,
    deadline: StepDeadline,
  ): Promise<TaxpayerSession> {
    const service = this.#service;
    const resolver = this.#options.password;
    const password = await runHook('password()', step, deadline, (signal) =>
      resolver({ service, gstin: taxpayer.gstin, username: taxpayer.username }, { signal }),
    );
    if (typeof password !== 'string' || password.length === 0)
      throw new InvalidInputError('password()', 'must answer a non-empty string', { step });
    const appKey = newAppKey();
    const credentials =
      service === 'einvoice'
        ? {
            UserName: taxpayer.username,
            Password: password,
            AppKey: appKey.toString('base64'),
            ForceRefreshAccessToken: force,
          }
        : {
            action: 'ACCESSTOKEN',
            username: taxpayer.username,
            password,
            app_key: appKey.toString('base64'),
          };
    const plain = Buffer.from(
      Buffer.from(JSON.stringify(credentials), 'utf8').toString('base64'),
      'utf8',
    );
    const capacity = rsaCapacity(this.#publicKey);
    if (plain.length > capacity) {
      // Base64 grows the JSON by a third: a long username and password do not fit one block.
      throw new InvalidInputError(
        'password()',
        `with the username is too long for NIC's login: its encoded form is ${plain.length} bytes, and NIC's key takes at most ${capacity}`,
        { step },
      );
    }
    const path = this.#options.authPath ?? NIC_DEFAULTS.authPath[service];
    const headers = await this.#headers(step, 'auth', taxpayer, path, deadline);
    const body = await this.#http.send({
      step,
      method: 'post',
      path,
      json: { Data: rsaEncrypt(this.#publicKey, plain) },
      headers,
      signal: deadline.signal,
      timeoutMs: Math.max(1, deadline.remaining()),
      // A login elsewhere voids the token before it: never re-sent once it may have arrived.
      idempotent: false,
      secrets: [password, plain.toString('utf8'), appKey.toString('base64')],
    });
    return this.#session(body, step, this.#now(), appKey);
  }

  /** The answer as a taxpayer session: the SEK decrypted under this login's app key. */
  #session(body: unknown, step: GstrStep, receivedAt: number, appKey: Buffer): TaxpayerSession {
    const lifetime = this.#options.tokenLifetimeMs ?? NIC_DEFAULTS.tokenLifetimeMs;
    let authToken: string;
    let encryptedSek: string;
    let expiresAt: number;
    if (this.#service === 'einvoice') {
      const { Data } = parseResponse(EinvoiceAuthAnswerSchema, body, step);
      authToken = Data.AuthToken;
      encryptedSek = Data.Sek;
      expiresAt =
        Data.TokenExpiry === undefined ? receivedAt + lifetime : istToEpoch(Data.TokenExpiry);
    } else {
      const answer = parseResponse(EwaybillAuthAnswerSchema, body, step);
      authToken = answer.authtoken;
      encryptedSek = answer.sek;
      // Counted from when the answer arrived, so NIC's 360 minutes (which started before) are
      // over when the session logs in again: a login any earlier answers the same, dying token.
      // A call in the token's last round trip is refused (238): one login, one replay.
      expiresAt = receivedAt + lifetime;
    }
    const sek = sessionKeyOf(appKey, encryptedSek, step);
    return {
      authToken,
      expiresAt: checkExpiresAt(expiresAt, this.#now(), { field: 'TokenExpiry', step }),
      secrets: { appKey: appKey.toString('base64'), sek: sek.toString('base64') },
    };
  }

  /** NIC's headers for a request (and the GSP's, from its hook). */
  async #headers(
    step: GstrStep,
    action: string,
    taxpayer: TaxpayerRef,
    path: string,
    deadline: StepDeadline,
  ): Promise<Record<string, string>> {
    const gsp = await gspHeaders(
      this.#options.headers,
      { service: this.#service, action, gstin: taxpayer.gstin, username: taxpayer.username, path },
      step,
      deadline,
    );
    return {
      ...gsp,
      'client-id': this.#options.clientId,
      'client-secret': this.#options.clientSecret,
      gstin: taxpayer.gstin,
    };
  }
}
