import type { AccessNotEnabledError } from './AccessNotEnabledError.js';
import type { CertificateRejectedError } from './CertificateRejectedError.js';
import type { InvalidInputError } from './InvalidInputError.js';
import type { NetworkError } from './NetworkError.js';
import type { OtpAttemptsExceededError } from './OtpAttemptsExceededError.js';
import type { OtpExpiredError } from './OtpExpiredError.js';
import type { OtpRejectedError } from './OtpRejectedError.js';
import type { OtpResendRefusedError } from './OtpResendRefusedError.js';
import type { ProviderHookError } from './ProviderHookError.js';
import type { ProviderHttpError } from './ProviderHttpError.js';
import type { ProviderUnavailableError } from './ProviderUnavailableError.js';
import type { ReauthenticationRequiredError } from './ReauthenticationRequiredError.js';
import type { ResponseTooLargeError } from './ResponseTooLargeError.js';
import type { ResponseValidationError } from './ResponseValidationError.js';
import type { SessionStateError } from './SessionStateError.js';
import type { StoreError } from './StoreError.js';
import type { StoreUnavailableError } from './StoreUnavailableError.js';
import type { TimeoutError } from './TimeoutError.js';
import type { TokenRejectedError } from './TokenRejectedError.js';
import type { UnauthorizedError } from './UnauthorizedError.js';
/** The step of the GSTR flow on which an error happened. */
export type GstrStep =
  | 'login'
  | 'requestOtp'
  | 'getAuthToken'
  | 'refreshToken'
  | 'logout'
  | 'call'
  | 'session';

/**
 * A brand shared across realms (worker threads, duplicated package copies), so that
 * `isGstrError` works where `instanceof` does not.
 */
const BRAND = Symbol.for('gstr-session.error');

/** Options common to every {@link GstrError}. */
export interface GstrErrorOptions {
  /** The step of the flow that failed. */
  readonly step: GstrStep;
  /** The underlying error, already stripped of anything secret. */
  readonly cause?: unknown;
}

/**
 * The base of every error this library throws or keeps in a session's context.
 *
 * Messages say what failed and on which step; they never contain a secret
 * (password, access token, OTP, appKey, authToken, sek).
 *
 * @example
 * ```ts
 * try { await session.submitOtp('123456'); }
 * catch (error) { if (isGstrError(error)) console.error(error.step, error.message); }
 * ```
 */
export class GstrError extends Error {
  override readonly name: string = 'GstrError';
  /**
   * A stable, machine-readable code of the error's class (`GSTR_OTP_REJECTED`...), for
   * switches, metrics and JSON APIs; the message is for people and may change. The codes are
   * listed in the guide's Errors section.
   */
  readonly code: string = 'GSTR_ERROR';
  /** The step of the flow that failed. */
  readonly step: GstrStep;
  readonly [BRAND] = true;

  constructor(message: string, options: GstrErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.step = options.step;
  }

  /** A plain, secret-free description for logs and JSON APIs. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'name' && key !== 'message' && value !== undefined) json[key] = value;
    }
    return json;
  }
}

/** Every error class of the library by its `name`: what {@link isGstrError} narrows to. */
export interface GstrErrorTypes {
  GstrError: GstrError;
  AccessNotEnabledError: AccessNotEnabledError;
  CertificateRejectedError: CertificateRejectedError;
  InvalidInputError: InvalidInputError;
  NetworkError: NetworkError;
  OtpAttemptsExceededError: OtpAttemptsExceededError;
  OtpExpiredError: OtpExpiredError;
  OtpRejectedError: OtpRejectedError;
  OtpResendRefusedError: OtpResendRefusedError;
  ProviderHookError: ProviderHookError;
  ProviderHttpError: ProviderHttpError;
  ProviderUnavailableError: ProviderUnavailableError;
  ReauthenticationRequiredError: ReauthenticationRequiredError;
  ResponseTooLargeError: ResponseTooLargeError;
  ResponseValidationError: ResponseValidationError;
  SessionStateError: SessionStateError;
  StoreError: StoreError;
  StoreUnavailableError: StoreUnavailableError;
  TimeoutError: TimeoutError;
  TokenRejectedError: TokenRejectedError;
  UnauthorizedError: UnauthorizedError;
}

/** The `name` of an error class of the library; a typo is a type error, not a silent `false`. */
export type GstrErrorName = keyof GstrErrorTypes;

/**
 * Tells whether a value is a {@link GstrError}, also across realms and package copies.
 * With a `name`, also checks the class by its name (a subclass counts as its parent) and
 * narrows to it.
 *
 * @example
 * ```ts
 * if (isGstrError(error, 'OtpRejectedError')) askForTheOtpAgain(error.providerCode);
 * ```
 */
export function isGstrError(value: unknown): value is GstrError;
export function isGstrError<N extends GstrErrorName>(
  value: unknown,
  name: N,
): value is GstrErrorTypes[N];
export function isGstrError(value: unknown, name?: GstrErrorName): value is GstrError {
  if (typeof value !== 'object' || value === null) return false;
  if (!(value instanceof GstrError) && (value as Record<symbol, unknown>)[BRAND] !== true) {
    return false;
  }
  // `GstrError` names the base class: every library error is one. A subclass is also its
  // parent (an OtpRejectedError is a ProviderHttpError), by name, so that this holds across
  // realms as well.
  if (name === undefined || name === 'GstrError') return true;
  for (
    let current: string | undefined = (value as Error).name;
    current;
    current = PARENT[current]
  ) {
    if (current === name) return true;
  }
  return false;
}

/** The parent class of each error class that does not extend `GstrError` directly. */
const PARENT: Readonly<Record<string, GstrErrorName>> = {
  AccessNotEnabledError: 'ProviderHttpError',
  CertificateRejectedError: 'ProviderHttpError',
  OtpRejectedError: 'ProviderHttpError',
  ProviderUnavailableError: 'ProviderHttpError',
  StoreUnavailableError: 'StoreError',
  TokenRejectedError: 'ProviderHttpError',
  UnauthorizedError: 'ProviderHttpError',
};
