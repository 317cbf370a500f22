import type { AccessNotEnabledError } from './AccessNotEnabledError.js';
import type { CertificateRejectedError } from './CertificateRejectedError.js';
import { GSTR_ERROR_BRAND, GstrError } from './GstrError.js';
import type { InvalidInputError } from './InvalidInputError.js';
import type { NetworkError } from './NetworkError.js';
import type { OtpAttemptsExceededError } from './OtpAttemptsExceededError.js';
import type { OtpExpiredError } from './OtpExpiredError.js';
import type { OtpRejectedError } from './OtpRejectedError.js';
import type { OtpResendRefusedError } from './OtpResendRefusedError.js';
import type { ProviderHookError } from './ProviderHookError.js';
import type { ProviderHttpError } from './ProviderHttpError.js';
import type { ProviderUnavailableError } from './ProviderUnavailableError.js';
import type { RateLimitedError } from './RateLimitedError.js';
import type { ReauthenticationRequiredError } from './ReauthenticationRequiredError.js';
import type { ResponseTooLargeError } from './ResponseTooLargeError.js';
import type { ResponseValidationError } from './ResponseValidationError.js';
import type { SessionStateError } from './SessionStateError.js';
import type { StoreError } from './StoreError.js';
import type { StoreUnavailableError } from './StoreUnavailableError.js';
import type { TimeoutError } from './TimeoutError.js';
import type { TokenRejectedError } from './TokenRejectedError.js';
import type { UnauthorizedError } from './UnauthorizedError.js';

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
  RateLimitedError: RateLimitedError;
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
  if (
    !(value instanceof GstrError) &&
    (value as Record<symbol, unknown>)[GSTR_ERROR_BRAND] !== true
  ) {
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
  RateLimitedError: 'ProviderHttpError',
  StoreUnavailableError: 'StoreError',
  TokenRejectedError: 'ProviderHttpError',
  UnauthorizedError: 'ProviderHttpError',
};
