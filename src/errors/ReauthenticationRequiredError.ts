import { GstrError } from './GstrError.js';

/** Why a person is needed: what is true of the session when the error is thrown. */
export type ReauthenticationReason =
  /** There is no authenticated session for the GSTIN here: never started, or logged out. */
  | 'notAuthenticated'
  /** The token ran out. */
  | 'expired'
  /** GSTN refused the token and the provider cannot renew it without an OTP. */
  | 'refused';

const MESSAGES: Readonly<Record<ReauthenticationReason, (gstin: string) => string>> = {
  notAuthenticated: (gstin) =>
    `The GSTR session of ${gstin} is not authenticated here (never started, or logged out): start an OTP round (start() or reauthenticate()) and submit the OTP the taxpayer receives`,
  expired: (gstin) =>
    `The GSTR session of ${gstin} has expired: call reauthenticate() and submit the OTP the taxpayer receives`,
  refused: (gstin) =>
    `GSTN refused the auth token of ${gstin} and the provider cannot renew it without an OTP: call reauthenticate() and submit the OTP the taxpayer receives`,
};

/**
 * The session needs a person and is in `manual` re-authentication mode: a person must start
 * an OTP round and answer it. Background jobs get this at once instead of waiting for a person
 * who is not there. `reason` says what is true: never authenticated here, expired, or refused.
 *
 * @example
 * ```ts
 * if (isGstrError(error, 'ReauthenticationRequiredError')) notifyThePerson(error.gstin, error.reason);
 * ```
 */
export class ReauthenticationRequiredError extends GstrError {
  override readonly name = 'ReauthenticationRequiredError';
  override readonly code: string = 'GSTR_REAUTHENTICATION_REQUIRED';
  /** The GSTIN whose session needs a person. */
  readonly gstin: string;
  /** What is true of the session: `notAuthenticated`, `expired` or `refused`. */
  readonly reason: ReauthenticationReason;

  constructor(gstin: string, reason: ReauthenticationReason = 'expired') {
    super(MESSAGES[reason](gstin), { step: 'session' });
    this.gstin = gstin;
    this.reason = reason;
  }
}
