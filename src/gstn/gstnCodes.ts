import { AccessNotEnabledError } from '../errors/AccessNotEnabledError.js';
import { CertificateRejectedError } from '../errors/CertificateRejectedError.js';
import type { GstrStep } from '../errors/GstrError.js';
import { OtpRejectedError } from '../errors/OtpRejectedError.js';
import { outageOfStatus } from '../errors/outageOfStatus.js';
import { ProviderHttpError, type ProviderHttpErrorDetails } from '../errors/ProviderHttpError.js';
import { ProviderUnavailableError } from '../errors/ProviderUnavailableError.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { TokenRejectedError } from '../errors/TokenRejectedError.js';
import { UnauthorizedError } from '../errors/UnauthorizedError.js';

/**
 * What a GSTN error code means to a session, whichever provider relayed it. The one table of
 * GSTN's codes: every provider (Signzy, GSTN direct, Sandbox) classifies through it.
 */
export type GstnCodeMeaning =
  /** The OTP (or its round) was refused. */
  | 'otpRejected'
  /** The taxpayer's auth token is no longer accepted: the session is over. */
  | 'tokenRejected'
  /** API access is off, or the portal access duration is over: only the taxpayer can fix it. */
  | 'accessNotEnabled'
  /** GSTN could not decrypt the app key: its public certificate was rotated. */
  | 'certificateRejected'
  /** The GSP or GSTN is down: transient. */
  | 'unavailable'
  /** The request is wrong (a bug, a wrong username, a wrong state code). */
  | 'refused'
  /** The GSP's client id or client secret was refused: a configuration error. */
  | 'clientRefused'
  /** Too many requests: try again later. */
  | 'rateLimited'
  /** A read found nothing to return: a result, not an error. */
  | 'noData'
  /** A read is being prepared: ask again later. */
  | 'queued';

const TABLE: Readonly<Record<string, GstnCodeMeaning>> = {
  AUTH4032: 'refused',
  // AUTH4033 is "invalid session": a wrong OTP on AUTHTOKEN, a dead token anywhere else.
  AUTH4033: 'tokenRejected',
  AUTH4034: 'otpRejected',
  AUTH4036: 'refused',
  TEC4003: 'refused',
  AUTH4037: 'accessNotEnabled',
  AUTH4038: 'tokenRejected',
  AUTH4039: 'refused',
  AUTH4040: 'refused',
  AUTH4041: 'refused',
  GEN5001: 'refused',
  GEN5005: 'rateLimited',
  GEN5007: 'refused',
  TEC4001: 'unavailable',
  TEC4002: 'certificateRejected',
  AUT4031: 'clientRefused',
  AUT4032: 'clientRefused',
  AUT4033: 'clientRefused',
  AUT4034: 'clientRefused',
  RET11402: 'tokenRejected',
  RET11407: 'tokenRejected',
  RET2B1010: 'tokenRejected',
  'RT-R1R3BAV-1007': 'tokenRejected',
  RET13506: 'otpRejected',
  GSPGSTDOWN: 'unavailable',
  GSPERR300: 'unavailable',
  RET11416: 'noData',
  RET11417: 'noData',
  RET13508: 'noData',
  RET13509: 'noData',
  RET13510: 'noData',
  RET2B1016: 'noData',
  RET2B1018: 'noData',
  'RT-3BAS1009': 'noData',
  RET2B1023: 'queued',
  RETINPROGRESS: 'queued',
  RTN_24: 'queued',
};

/** What a GSTN code means on a step, or `undefined` for a code not in the table. */
export function gstnCodeMeaning(
  code: string | undefined,
  step: GstrStep,
): GstnCodeMeaning | undefined {
  if (code === undefined) return undefined;
  const meaning = TABLE[code.trim().toUpperCase()];
  // On the OTP exchange, "invalid session" is GSTN's answer to a wrong or stale OTP.
  if (meaning === 'tokenRejected' && code === 'AUTH4033' && step === 'getAuthToken') {
    return 'otpRejected';
  }
  return meaning;
}

/**
 * The typed error for a refusal carrying a GSTN code or a 5xx status, or `undefined` when
 * neither says more than the provider's own classification would. Providers call this first,
 * then apply what is theirs (Signzy's 401 means its access token).
 */
export function gstnRefusal(details: ProviderHttpErrorDetails): ProviderHttpError | undefined {
  switch (gstnCodeMeaning(details.providerCode, details.step)) {
    case 'otpRejected':
      return new OtpRejectedError(details);
    case 'tokenRejected':
      return details.step === 'requestOtp' || details.step === 'login'
        ? new ProviderHttpError(details)
        : new TokenRejectedError(details);
    case 'accessNotEnabled':
      return new AccessNotEnabledError(details);
    case 'certificateRejected':
      return new CertificateRejectedError(details);
    case 'unavailable':
      return new ProviderUnavailableError(details);
    case 'refused':
      return new ProviderHttpError(details);
    case 'rateLimited':
      return new RateLimitedError(details);
    case 'clientRefused':
      return new UnauthorizedError({
        ...details,
        credentials: true,
        hint: 'the GSP refused the client id or client secret',
      });
    default:
      return outageOfStatus(details);
  }
}
