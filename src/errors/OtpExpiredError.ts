import { GstrError } from './GstrError.js';

/** The OTP's validity (10 min on GSTN) ran out before it was submitted; request a new one. */
export class OtpExpiredError extends GstrError {
  override readonly name = 'OtpExpiredError';
  override readonly code: string = 'GSTR_OTP_EXPIRED';

  constructor() {
    super('getAuthToken not attempted: the OTP has expired; request a new OTP', {
      step: 'getAuthToken',
    });
  }
}
