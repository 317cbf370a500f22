import type { ReadOutcome } from '../reads/GstrRead.js';
import type { SessionRead } from '../reads/NicRead.js';

/**
 * A provider's own values that go with a challenge or a taxpayer session, by name: every value
 * is a secret (Signzy: `appKey`, `sek`; GSTN direct: the app key, its RSA ciphertext and the
 * SEK). Serialisable, so that it survives a restart; never logged, never inspected.
 */
export type ProviderSecrets = Readonly<Record<string, string>>;

/** A provider's own non-secret details of its API account (Signzy: `patronId`). */
export type ProviderDetails = Readonly<Record<string, string>>;

/** What a provider can do, declared (not discovered at run time). */
export interface ProviderCapabilities {
  /**
   * Whether the provider has its own login (an access token per API account), made by
   * `login()` and sent with every call. GSTN direct has none: its client id and secret go with
   * every request.
   */
  readonly login: boolean;
  /** Whether `refreshToken()` extends a taxpayer session without a new OTP. */
  readonly refresh: boolean;
  /** Whether `logout()` ends something at the provider (its access token or the taxpayer session). */
  readonly logout: boolean;
  /** Whether taxpayer sessions report `accessExpiresAt` (the access duration chosen on the portal). */
  readonly accessDuration: boolean;
  /** Whether `read()` reads returns (GSTR-1, 2A, 2B, 3B...) with a taxpayer session. */
  readonly reads: boolean;
  /**
   * How a taxpayer session starts. `otp` (the default): an SMS to the taxpayer and a person
   * who types it (`requestOtp`, `getAuthToken`). `password`: the provider logs in with the
   * taxpayer's API password (`authenticate`), with no person: NIC's e-invoice and e-way bill.
   * A `password` session renews by itself in every mode (nobody is interrupted).
   */
  readonly challenge?: 'otp' | 'password' | undefined;
  /**
   * How long before expiry a renewal can bring a new token, where the provider limits it
   * (NIC e-invoice: the last 10 minutes; before that a login answers the same token). The
   * session's refresh lead is capped to it. Absent: any time.
   */
  readonly renewWindowMs?: number | undefined;
}

/** The provider's own session (the `login` answer): the access token of an API account. */
export interface AccessToken {
  /** The provider access token, sent with every call. Secret. */
  readonly accessToken: string;
  /** When the access token stops working, as epoch milliseconds. */
  readonly expiresAt: number;
  /** The provider's own non-secret details of the account (Signzy: `patronId`). */
  readonly details?: ProviderDetails | undefined;
}

/** The answer of an OTP request: an SMS went to the taxpayer, and this goes with it. */
export interface OtpChallenge {
  /** What the provider needs back with the OTP (Signzy: `appKey`). Secret. */
  readonly secrets: ProviderSecrets;
  /** The provider's status message, if any. */
  readonly message?: string | undefined;
}

/** A taxpayer session: the GSTR auth token and what the provider keeps with it. */
export interface TaxpayerSession {
  /** The GSTR auth token (Sandbox: the taxpayer access token). Secret. */
  readonly authToken: string;
  /** When the auth token expires, as epoch milliseconds on the session's clock. */
  readonly expiresAt: number;
  /**
   * When the access duration chosen on the portal ends, as epoch ms, where the provider knows
   * it: no refresh is made past it, only a new OTP helps.
   */
  readonly accessExpiresAt?: number | undefined;
  /** What the provider keeps with the token (Signzy: `sek`, `appKey`). Secret. */
  readonly secrets: ProviderSecrets;
  /** The provider's status message, if any. */
  readonly message?: string | undefined;
}

/** Who a GSTR session is for. */
export interface TaxpayerRef {
  /** The taxpayer's GSTIN. */
  readonly gstin: string;
  /** The taxpayer's GST portal username. */
  readonly username: string;
}

/** Options of every provider call made for a session. */
export interface ProviderCallOptions {
  /** The access token from `login`, for providers with a login (absent otherwise). */
  readonly access?: AccessToken | undefined;
  /** Aborts the request (leaving a machine state aborts its request). */
  readonly signal?: AbortSignal | undefined;
}

/** Options of a read: its own deadline and size cap besides the call options. */
export interface ReadCallOptions extends ProviderCallOptions {
  /** The longest the read may take, in ms (all its requests and downloads). */
  readonly timeoutMs?: number | undefined;
  /** The largest answer (and each downloaded file) accepted, in bytes. */
  readonly maxResponseBytes?: number | undefined;
  /** The most the whole read may hold, every downloaded file together, in bytes. */
  readonly maxReadBytes?: number | undefined;
}

/**
 * What a GSTR session needs from a provider: the OTP flow, the taxpayer session, and what the
 * provider declares it can do. Signzy, GSTN direct and Sandbox.co.in implement it; so can an
 * app's own provider. The session never knows which provider it drives.
 *
 * **The error contract.** Every method fails with a `GstrError`; the session acts on these
 * classes, and the shared contract test (`test/providers/contract.test.ts`) holds every
 * provider of the library, and the test kit's faces, to them:
 * - `OtpRejectedError`: `getAuthToken` was given a wrong, stale or used OTP (GSTN `AUTH4033`,
 *   `AUTH4034`). The session lets the person try again, within its attempt limit.
 * - `UnauthorizedError`: the provider's own access token was refused (providers with a
 *   login). The session logs in once more, silently, and retries the step once.
 * - `TokenRejectedError`: the taxpayer's auth token is no longer accepted (GSTN `AUTH4038`,
 *   `AUTH4033` outside the OTP exchange, `RET11402`, `RET11407`, ...). The session expires.
 * - `AccessNotEnabledError`: GSTN `AUTH4037`: API access is off or the portal access duration
 *   is over. Never retried; the message says what the taxpayer must do.
 * - `CertificateRejectedError`: GSTN `TEC4002`, the public certificate was rotated.
 * - `ProviderUnavailableError`: the GSP or GSTN is down (5xx, `GSPGSTDOWN`, `GSPERR300`),
 *   kept apart from GSTN's business errors; `NetworkError` and `TimeoutError` for transport.
 * - `ResponseValidationError`, `ResponseTooLargeError`: an answer that is not what was promised.
 *
 * A provider classifies GSTN's codes through the one shared table (`gstnRefusal`). It never
 * puts a secret (password, tokens, OTP, keys) in an error; the session scrubs errors anyway.
 * `requestOtp` and `getAuthToken` are never re-sent once they may have reached the provider:
 * a second SMS and a replayed OTP are a person's choice.
 */
export interface GstrProvider {
  /** A short name for logs and records, e.g. `signzy`. */
  readonly name: string;
  /** What the provider can do; the session reads this, never probes for methods. */
  readonly capabilities: ProviderCapabilities;
  /** Logs in to the provider; present exactly when `capabilities.login`. */
  login?(options?: { signal?: AbortSignal | undefined }): Promise<AccessToken>;
  /** Asks for an OTP to be sent to the taxpayer's mobile. Never retried once sent. */
  requestOtp(input: TaxpayerRef, options: ProviderCallOptions): Promise<OtpChallenge>;
  /** Exchanges the OTP and its challenge for a taxpayer session. Never retried once sent. */
  getAuthToken(
    input: TaxpayerRef & { readonly otp: string; readonly challenge: OtpChallenge },
    options: ProviderCallOptions,
  ): Promise<TaxpayerSession>;
  /**
   * Starts a taxpayer session with no OTP (the provider logs in with the taxpayer's password,
   * which it gets from the app's resolver); present exactly when `capabilities.challenge` is
   * `password`. A `password` provider's `requestOtp` and `getAuthToken` refuse with a
   * `GstrError`: the session never calls them.
   */
  authenticate?(input: TaxpayerRef, options: ProviderCallOptions): Promise<TaxpayerSession>;
  /** Extends a taxpayer session without an OTP; present exactly when `capabilities.refresh`. */
  refreshToken?(
    input: TaxpayerRef & { readonly session: TaxpayerSession },
    options: ProviderCallOptions,
  ): Promise<TaxpayerSession>;
  /**
   * Reads returns with a taxpayer session; present exactly when `capabilities.reads`. GSTN's
   * "no data" and "queued" codes are outcomes, not errors; a refused token is a
   * `TokenRejectedError` (the session then renews the token and retries once). Reads are
   * idempotent: they may be retried by the transport.
   */
  read?(
    input: TaxpayerRef & { readonly session: TaxpayerSession; readonly request: SessionRead },
    options: ReadCallOptions,
  ): Promise<ReadOutcome>;
  /**
   * Ends what the provider holds for this session (its access token, the taxpayer session, or
   * both); present exactly when `capabilities.logout`. Best effort: the session is cleared
   * locally whatever it answers.
   */
  logout?(
    input: TaxpayerRef & { readonly session?: TaxpayerSession | undefined },
    options: ProviderCallOptions,
  ): Promise<void>;
}
