import { GstrError } from './GstrError.js';

/**
 * The auth token has expired and the session is in `manual` re-authentication mode: a
 * person must call `reauthenticate()` and answer a new OTP. Background jobs get this at
 * once instead of waiting for a person who is not there.
 */
export class ReauthenticationRequiredError extends GstrError {
  override readonly name = 'ReauthenticationRequiredError';
  override readonly code: string = 'GSTR_REAUTHENTICATION_REQUIRED';
  /** The GSTIN whose session needs a person. */
  readonly gstin: string;

  constructor(gstin: string) {
    super(`The GSTR session of ${gstin} has expired and needs re-authentication with a new OTP`, {
      step: 'session',
    });
    this.gstin = gstin;
  }
}
