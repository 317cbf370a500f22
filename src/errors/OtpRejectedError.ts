import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/**
 * The provider refused the OTP (HTTP 400/422 on `getAuthToken`, or GSTN's AUTH4033/AUTH4034):
 * it was wrong, expired or already used. Ask the person again or request a new OTP.
 */
export class OtpRejectedError extends ProviderHttpError {
  override readonly name = 'OtpRejectedError';
  override readonly code: string = 'GSTR_OTP_REJECTED';

  constructor(details: ProviderHttpErrorDetails) {
    super(details, 'the OTP was refused,');
  }
}
