import { GstrError } from './GstrError.js';

/** Too many wrong OTPs in a row: the session stopped asking and must be started again. */
export class OtpAttemptsExceededError extends GstrError {
  override readonly name = 'OtpAttemptsExceededError';
  override readonly code: string = 'GSTR_OTP_ATTEMPTS_EXCEEDED';
  /** How many OTPs were refused. */
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    super(
      `the OTP was refused ${attempts} times in a row (getAuthToken); start the session again for a new OTP`,
      {
        step: 'getAuthToken',
        cause,
      },
    );
    this.attempts = attempts;
  }
}
